package dev.herald.client.transport;

import dev.herald.client.keys.Keys;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.time.Duration;
import java.util.List;

/**
 * How a client reaches a server: one blocking method per operation of the API (API.md §2), answered with the
 * core's types. {@link HttpTransport} speaks the REST API; an in-process transport calls a server's engine in the
 * same JVM. The client on top adds retries, ordering and coalescing, so a transport sends each call once.
 *
 * <p>A refusal is a {@link dev.herald.core.model.HeraldException} with the API's code; a failure that may pass
 * when tried again later (no answer, 408, 429, 503) is a {@link RetryableException}. Implementations are
 * thread-safe.
 */
public interface Transport extends AutoCloseable {

    /**
     * {@code POST /jobs}. {@code job.project()} null lets the server choose (the token's only project, else
     * {@code default}); {@code job.idempotencyKey()} is sent as {@code Idempotency-Key}. {@code input} (API §9)
     * is sent only when not null.
     */
    Job create(NewJob job, RawJson input);

    /** {@code GET /jobs/{id}}. */
    Job get(String id);

    /** {@code GET /jobs}, newest first. */
    Page list(ListQuery query);

    /** {@code POST /jobs/{id}/start}. */
    Job start(String id);

    /** {@code POST /jobs/{id}/complete}; {@code result} may be null. */
    Job complete(String id, RawJson result);

    /**
     * {@code POST /jobs/{id}/complete} with {@code claim} (Herald's extension of API §9, docs/api-notes.md): the
     * job completed and up to {@code next.limit()} jobs of the worker's types claimed at once, in one request. A
     * server that predates it refuses with {@code invalid_field} {@code claim}, having changed nothing. This
     * default completes the job alone and claims none.
     */
    default Completed complete(String id, RawJson result, ClaimRequest next) {
        return new Completed(complete(id, result), List.of());
    }

    /** {@code POST /jobs/{id}/fail}. */
    Job fail(String id, JobError error);

    /** {@code POST /jobs/{id}/cancel}: the job and its unfinished descendants. */
    Job cancel(String id);

    /** {@code POST /jobs/{id}/retry}. */
    default Job retry(String id) {
        return retry(id, Duration.ZERO);
    }

    /** {@code POST /jobs/{id}/retry} with {@code delayMs}: queued again, claimable once {@code delay} has passed. */
    Job retry(String id, Duration delay);

    /**
     * {@code POST /jobs:claim} (API §9): the oldest queued job of the request's types in the token's projects
     * (the request's {@code projects} are not sent), now running under a lease whose token,
     * {@code job.lease().token()}, the worker's writes send through {@link #leased}; null when none came
     * within the request's wait.
     */
    Job claim(ClaimRequest request);

    /**
     * {@code POST /jobs:claim} with {@code limit}: up to {@code request.limit()} jobs at once, oldest first, each
     * under its own lease; empty when none came within the request's wait. One request, one write of the key's
     * rate limit, whatever the number of jobs.
     */
    default List<Job> claimAll(ClaimRequest request) {
        Job job = claim(request);
        return job == null ? List.of() : List.of(job);
    }

    /** {@code GET /jobs/{id}/input}: the input the job was created with, null when it has none. */
    RawJson input(String id);

    /**
     * This transport with every write to a job (progress, log, heartbeat, the transitions, but not a batch)
     * sent with this {@code Lease-Token} (API §9): each extends the worker's lease, or is refused with
     * {@code lease_lost} once the job is no longer the worker's.
     */
    Transport leased(String leaseToken);

    /** {@code POST /jobs/{id}/logs}: the new line's {@code seq}. */
    long log(String id, LogEntry entry);

    /** {@code GET /jobs/{id}/logs}: up to {@code limit} lines with a {@code seq} above {@code afterSeq}, in order. */
    List<LogLine> logs(String id, long afterSeq, int limit);

    /** {@code POST /jobs/{id}/progress}: the job's new version. */
    long progress(String id, ProgressReport report);

    /**
     * {@code POST /progress:batch}: one outcome per entry, in the entries' order. Only the request as a whole
     * throws; an entry the server refused carries its error.
     */
    List<ProgressOutcome> progress(List<ProgressEntry> entries);

    /** {@code POST /jobs/{id}/heartbeat}: the worker is alive ({@code job_finished} when it should stop). */
    void heartbeat(String id);

    /**
     * {@code GET /jobs/{id}?waitForVersion=...}: the job as soon as its version is above {@code afterVersion}, or
     * as it is once {@code wait} (at most 60 s) has passed; {@code wait} zero reads it at once.
     */
    Job awaitChange(String id, long afterVersion, Duration wait);

    /**
     * Opens a stream of events ({@code GET /events}, {@code GET /jobs/{id}/events}, API.md §3) and returns at
     * once; what comes, and how it ends, reaches {@code sink} on the transport's threads. The stream first gives
     * every retained ({@code status}, {@code log}) event after {@code cursor} (null for none), then one
     * {@code snapshot} per job, then live events.
     */
    EventStream events(EventQuery query, String cursor, EventSink sink);

    /** The API keys of the server ({@code /keys}), an extension beyond SDK.md. */
    Keys keys();

    /** Releases what the transport holds; calls after it fail. */
    @Override
    void close();
}
