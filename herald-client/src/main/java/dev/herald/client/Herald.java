package dev.herald.client;

import dev.herald.client.keys.Keys;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client of a Herald server: create and read jobs, change their status, report their progress through
 * {@link Reporter}s and follow them through {@link Watch}es (SDK.md). Thread-safe; one per application is plenty.
 *
 * <pre>{@code
 * try (Herald herald = Herald.remote("http://127.0.0.1:8080", token)) {
 *     Job job = herald.create(JobSpec.of("import-csv").stage("parsing", 20).stage("loading", 80));
 *     ...
 * }
 * }</pre>
 *
 * <p>Errors are {@link dev.herald.core.model.HeraldException}s with the API's {@code code()} ({@code not_found},
 * {@code invalid_transition}, {@code job_finished}, ...). A call the server could not answer (no connection, no
 * answer within {@code requestTimeout}, 408, 429, 5xx) is tried again up to {@code maxRetries} times with a
 * jittered exponential backoff that waits at least the server's {@code Retry-After}; other refusals are not. A
 * transition tried again after a lost answer counts as done when the job already has the target status, so a
 * retry never turns success into an error. Creates carry an {@code Idempotency-Key} (the spec's, else one of the
 * client's), so a retried create never makes a second job. Bad arguments throw
 * {@link IllegalArgumentException} before anything is sent.
 */
public interface Herald extends AutoCloseable {
    /** Where {@link #fromEnv()} looks when {@code HERALD_URL} is not set. */
    String DEFAULT_URL = "http://127.0.0.1:8080";

    /** A client of the server at {@code url} with the bearer {@code token}, and every other setting at its default. */
    static Herald remote(String url, String token) {
        return builder().url(url).token(token).build();
    }

    /** A client configured by {@code HERALD_URL} (default {@value #DEFAULT_URL}) and {@code HERALD_TOKEN}. */
    static Herald fromEnv() {
        return HeraldBuilder.fromEnv(System.getenv()).build();
    }

    /** A client configured setting by setting; see {@link HeraldBuilder} for the defaults. */
    static HeraldBuilder builder() {
        return new HeraldBuilder();
    }

    /** Creates a job. */
    Job create(JobSpec spec);

    /** The job as it is now. */
    Job get(String id);

    /** A page of jobs, newest first. */
    JobList list(JobFilter filter);

    /** Starts a pending or queued job; the new job. */
    Job start(String id);

    /** Completes a job with {@code result} (any JSON-able object, or null); the new job. */
    Job complete(String id, Object result);

    /** Fails a job with this message; the new job. */
    Job fail(String id, String message);

    /** Fails a job with an error code of the caller's own and a message; the new job. */
    Job fail(String id, String code, String message);

    /** Cancels a job and every unfinished job below it; the new job. */
    Job cancel(String id);

    /** Puts a running job back on its queue, or a failed one while its attempts allow; the new job. */
    Job retry(String id);

    /** Appends a log line to a job. */
    void log(String id, LogLevel level, String message);

    /** Appends a log line with structured fields (any object Jackson writes as a JSON object, or null). */
    void log(String id, LogLevel level, String message, Object fields);

    /** Up to {@code limit} (1 to 1000) log lines of a job with a {@code seq} above {@code afterSeq}, in order. */
    List<LogLine> logs(String id, long afterSeq, int limit);

    /** A reporter of an existing job, which knows the job's stages and progress as they are now. */
    Reporter reporter(String id);

    /** Creates a job that is running from the start, and returns its reporter. */
    Reporter start(JobSpec spec);

    /** Watches one job: {@code watch(WatchRequest.job(jobId), listener)}. */
    Watch watch(String jobId, Consumer<JobEvent> listener);

    /**
     * Follows jobs as they change: their events reach {@code listener} (see {@link Watch} for the order, the
     * reconnects and the fallback to polling). The watch connects in the background and returns at once.
     */
    Watch watch(WatchRequest request, Consumer<JobEvent> listener);

    /**
     * Waits until the job has finished (completed, failed or cancelled) and returns it as it ended.
     *
     * @throws TimeoutException when it has not finished within {@code timeout}
     * @throws dev.herald.core.model.HeraldException {@code not_found} for an unknown job (or one deleted
     *         meanwhile), {@code unauthorized}, or {@code unavailable} when interrupted or the client closes
     */
    Job awaitFinished(String id, Duration timeout) throws TimeoutException;

    /**
     * The job once it has finished (completed, failed or cancelled), as it ended; completes exceptionally with
     * the {@link dev.herald.core.model.HeraldException} of {@link #awaitFinished}. Cancelling the future ends
     * the watch behind it.
     */
    CompletableFuture<Job> whenFinished(String id);

    /**
     * The server's API keys: create, list, revoke ({@link Keys}). An extension beyond SDK.md, for tools such as
     * {@code herald keys}; needs an admin token of all projects ({@code server.client()} acts as the operator).
     */
    Keys keys();

    /**
     * Sends what every reporter still has (for at most {@code requestTimeout} when the server cannot be reached),
     * then ends every watch and the client. Calls after it throw {@link IllegalStateException}.
     */
    @Override
    void close();
}
