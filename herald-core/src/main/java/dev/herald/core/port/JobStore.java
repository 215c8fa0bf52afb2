package dev.herald.core.port;

import dev.herald.core.event.JobEvent;
import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where jobs, their retained events and their log lines live. One writer per node
 * calls {@link #write}; reads may come from any thread.
 */
public interface JobStore extends AutoCloseable {

    /** Names this store's event log; a cursor from another epoch is not a position here. */
    String epoch();

    /** The highest position ever given out (its event may be deleted since), 0 when there is none. */
    long lastPosition();

    /**
     * Applies the batch in one transaction, durably, and gives its events their positions:
     * consecutive, in the batch's order, after every position committed before. Positions
     * are dense and in commit order, also between writers on other nodes: once a reader
     * sees position P, every event up to P is committed and visible (but those deleted
     * with their jobs, in this batch too). A job's state is written only over an older
     * version: the same version twice is a conflict too.
     *
     * @throws WriteConflict when a job is stored at the same or a newer version, or an idempotency key
     *                       is held by another job; then nothing of the batch is written
     */
    WriteResult write(WriteBatch batch);

    Optional<Job> find(String id);

    JobPage list(JobQuery query);

    /**
     * How many jobs match the query's filters, by status: its {@code status}, {@code limit} and {@code after} are
     * not read. A status no job has is left out.
     */
    Map<JobStatus, Long> countByStatus(JobQuery query);

    /** Retained events of these jobs with a position after {@code after}, oldest first. */
    List<JobEvent> eventsAfter(Collection<String> jobIds, long after, int limit);

    /**
     * Retained events of every job with a position after {@code after} and up to {@code upTo}, oldest first: what a
     * node of a cluster missed on the bus (docs/cluster.md §4.3).
     */
    List<JobEvent> eventsBetween(long after, long upTo, int limit);

    /** Retained events of every job of a project with a position after {@code after}, oldest first. */
    List<JobEvent> projectEventsAfter(String project, long after, int limit);

    /** Log lines of a job with {@code seq > after}, in order. */
    List<LogLine> logs(String jobId, long after, int limit);

    /** The highest log seq of a job, 0 when it has none. */
    long lastLogSeq(String jobId);

    Optional<String> jobIdForIdempotencyKey(String project, String key);

    /**
     * Finished jobs whose {@code finishedAt} is before the cutoff, oldest first; a child only once its
     * parent is gone or finished before the cutoff too, so a live parent keeps the children it counts.
     */
    List<Job> finishedBefore(Instant cutoff, int limit);

    /** Unfinished jobs ({@code finishedAt} null) with an id after {@code afterId} (null: from the first), by id. */
    List<Job> unfinished(String afterId, int limit);

    /** The parents of the jobs that have a retained event after this position. */
    Set<String> parentsOfJobsWithEventsAfter(long position);

    /**
     * Adds a finished run to its type's history (API §10), durably: counted as finished (and succeeded), and if
     * it succeeded kept among the type's newest {@link RunHistory#KEPT} successful runs, the oldest let go.
     */
    default void recordRun(RunRecord run) {
        recordRuns(List.of(run));
    }

    /** {@link #recordRun} for each run, in order, in one transaction where the store has them. */
    void recordRuns(List<RunRecord> runs);

    /** The history of one type in a project; {@link RunHistory#empty} when it has none. */
    RunHistory history(String project, String type);

    /** The histories of every type of the project that has one, by type name. */
    List<RunHistory> histories(String project);

    /** Forgets runs finished before the cutoff, and the counts of types with none after it; answers how many runs. */
    int pruneHistory(Instant cutoff);

    /**
     * Takes the oldest queued job (by creation) of the query's types and projects whose next attempt is due,
     * and holds it for the caller until {@code holdUntil}: no other claim, from any store object on the same
     * data, answers it before then unless the job's stored version moves (it is queued again). The caller
     * then moves the job to running; a job it finds no longer claimable is simply not taken. Empty: none.
     */
    Optional<String> claimNext(ClaimQuery query);

    /** Running jobs whose stored lease ran out before {@code now}, soonest first. */
    List<String> expiredLeases(Instant now, int limit);

    /** The input a job was created with (API §9); empty when it has none or is unknown. */
    Optional<RawJson> input(String jobId);

    /** Throws if the store cannot be reached. */
    void ping();

    @Override
    void close();
}
