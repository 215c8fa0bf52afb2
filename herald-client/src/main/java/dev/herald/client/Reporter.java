package dev.herald.client;

import dev.herald.core.model.LogLevel;

/**
 * Reports one job's progress from the worker that does it (SDK.md §4).
 *
 * <pre>{@code
 * try (Reporter r = herald.reporter(job.id())) {
 *     r.stage("parsing").progress(0, 1000).unit("rows");
 *     for (...) { r.increment(); r.throwIfCancelled(); }
 *     r.info("skipped 2 bad rows");
 *     r.complete(Map.of("rows", 1000));
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>It never blocks the worker on the network.</b> {@code stage}, {@code progress}, {@code increment},
 *     {@code unit}, {@code percent}, {@code message}, {@code metadata} and the log methods change a local state
 *     and return at once. The newest state of each job is sent at most once per {@code progressInterval}, by the
 *     one sender all reporters of a {@link Herald} share ({@code POST /progress:batch} when several jobs have
 *     something); a million {@code increment()} calls cost one state, not a million requests.</li>
 * <li><b>Order.</b> A log line, a child's creation and a transition are sent after the progress that came before
 *     them. {@link #complete} and {@link #fail} send the final progress first and return when the server has the
 *     transition; {@link #child} returns when the server has the child.</li>
 * <li><b>Cancellation.</b> The reporter learns that its job ended without it (cancelled by a person or an
 *     ancestor's cancel, or finished elsewhere) from the {@code 409 job_finished} answer to any write, or from
 *     the heartbeat it sends every {@code heartbeatInterval} while open. Then {@link #isCancelled()} is true,
 *     {@link #throwIfCancelled()} throws, {@link #onCancel} callbacks run once, and further writes are dropped
 *     silently.</li>
 * <li><b>Faults.</b> While the server cannot be reached, the newest progress waits and is sent on recovery; log
 *     lines and transitions wait in order ({@code complete} and {@code fail} wait too). At most 10 000 lines wait
 *     per {@link Herald}; past that the oldest debug and info lines are dropped and counted
 *     ({@link #droppedLogLines()}). A progress call never fails the worker for the network's sake.</li>
 * <li><b>Bad input</b> (null, negative or non-finite numbers, {@code current} above {@code total}, a stage the
 *     job does not have, metadata that is not a JSON object) throws {@link IllegalArgumentException} at the
 *     call; a job without stages takes any stage name as a label, as the server does. Calls after
 *     {@link #close()} throw {@link IllegalStateException}.</li>
 * </ul>
 * A reporter is thread-safe. Use one reporter per job at a time: two reporters of one job keep no order between
 * them.
 */
public interface Reporter extends AutoCloseable {

    /** The id of the job this reporter reports. */
    String jobId();

    /** Moves to this stage (one of the job's stages); a move to another stage starts its count afresh. */
    Reporter stage(String name);

    /** {@code current} units done, of the total known so far. */
    Reporter progress(double current);

    /** {@code current} units done of {@code total}. */
    Reporter progress(double current, double total);

    /** One more unit done. */
    Reporter increment();

    /** {@code units} more done. */
    Reporter increment(double units);

    /** What is counted ("rows"). */
    Reporter unit(String unit);

    /** The percent done (0 to 100), for work without a countable total. */
    Reporter percent(double percent);

    /** A line for people ("Loading rows"). */
    Reporter message(String message);

    /** Replaces the job's metadata: any object Jackson writes as a JSON object. */
    Reporter metadata(Object metadata);

    Reporter debug(String message);

    Reporter info(String message);

    Reporter warn(String message);

    Reporter error(String message);

    Reporter log(LogLevel level, String message);

    /** A log line with structured fields: any object Jackson writes as a JSON object, or null. */
    Reporter log(LogLevel level, String message, Object fields);

    /**
     * Creates a child job under this one ({@code spec}'s parent is this job) and returns its own reporter. Waits
     * until the server has the child.
     *
     * @throws JobCancelledException when this job has ended
     */
    Reporter child(JobSpec spec);

    /** Completes the job without a result; see {@link #complete(Object)}. */
    void complete();

    /**
     * Sends the final progress, then completes the job with {@code result} (any JSON-able object, or null), and
     * returns when the server has it. Returns at once if the job already ended elsewhere.
     *
     * @throws dev.herald.core.model.HeraldException when the server refuses the result (too large, say)
     */
    void complete(Object result);

    /** Fails the job with this message; like {@link #complete(Object)} it waits until the server has it. */
    void fail(String message);

    /** Fails the job with an error code of the worker's own ({@code upstream_unavailable}) and a message. */
    void fail(String code, String message);

    /** True once the job ended without this reporter ending it (cancelled, or finished elsewhere). */
    boolean isCancelled();

    /** @throws JobCancelledException once {@link #isCancelled()} */
    void throwIfCancelled();

    /**
     * Runs {@code callback} once when the job is found cancelled (at once, on this thread, if it already is),
     * on a thread of the client's: it may call this reporter.
     */
    Reporter onCancel(Runnable callback);

    /** Debug and info lines dropped because too many lines waited for an unreachable server. */
    long droppedLogLines();

    /**
     * Stops the heartbeat; what waits is still sent. Closing a reporter whose job is unfinished leaves the job as
     * it is.
     */
    @Override
    void close();
}
