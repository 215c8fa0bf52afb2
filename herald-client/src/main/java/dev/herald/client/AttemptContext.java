package dev.herald.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.json.JobJson;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link JobContext} of one attempt: a reporter on the claimed job's leased channel. */
final class AttemptContext extends JobReporter implements JobContext {
    private final Job job;
    private RawJson input;
    private boolean inputRead;

    AttemptContext(Job job, ClientHerald herald, Duration renewal) {
        super(herald.claimed(job, renewal), herald);
        this.job = job;
    }

    @Override
    public <T> T input(Class<T> type) {
        Arguments.required(type, "type");
        RawJson raw = rawInput();
        if (raw == null) {
            return null;
        }
        try {
            return JobJson.mapper().readValue(raw.text(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the input of job " + job.id() + " cannot be read as "
                    + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private synchronized RawJson rawInput() {
        if (!inputRead) {
            input = herald.call(() -> herald.transport().input(job.id()));
            inputRead = true;
        }
        return input;
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public Job job() {
        return job;
    }

    @Override
    public Reporter child(JobSpec spec) {
        JobSpec s = Arguments.required(spec, "spec");
        boolean queued = s.status() != JobStatus.RUNNING;
        Reporter child = super.child(queued ? s.status(JobStatus.QUEUED) : s);
        if (queued) {
            child.close();
        }
        return child;
    }

    /**
     * The handler's result. When nothing of the job waits to be sent, the transition goes from the worker's
     * thread, not through the client's one sender, which would make all workers' completions wait in one line.
     * When that one try meets a server that is away or limits the key (429), the completion goes to the sender,
     * which waits as the server asks ({@code Retry-After}) and tries again without limit: a completion is never
     * lost to a refusal that may pass. A first try that got through after all is seen as such by the next.
     */
    @Override
    public void complete(Object result) {
        complete(result, null);
    }

    /**
     * {@link #complete(Object)} that claims the worker's {@code next} jobs in the same request (null: none);
     * answers them, or null when the completion went another way (to the sender, or the job had ended).
     */
    List<Job> complete(Object result, ClaimRequest next) {
        RawJson json = JsonArguments.value(result, "result");
        if (ch.isIdle()) {
            Transport leased = ch.via(herald.transport());
            try {
                List<Job> claimed = leased.complete(job.id(), json, next).next();
                ch.ended(JobStatus.COMPLETED, true);
                return next == null ? null : claimed;
            } catch (RetryableException e) {
                // to the sender, below
            } catch (HeraldException e) {
                if (ch.endedBy(e)) {
                    return null;
                }
                throw e;
            }
        }
        super.complete(json);
        return null;
    }

    /** The attempt failed: the job goes back to its queue, claimable after {@code delay}. */
    void requeue(Duration delay) {
        finish(ch.call(JobStatus.QUEUED, t -> t.retry(job.id(), delay)));
        ch.ended(JobStatus.QUEUED, true);
    }

    /**
     * The runner stops before the handler did: the job goes back to its queue at once, for another worker, and
     * the handler sees it as lost. Waits for the server at most {@code timeout}.
     */
    void giveBack(Duration timeout) {
        try {
            ch.call(JobStatus.QUEUED, t -> t.retry(job.id())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            JobChannel.LOG.log(System.Logger.Level.WARNING, "job {0} could not be given back ({1}): it runs again "
                    + "once its lease runs out", job.id(), e.getCause() != null ? e.getCause() : e);
        }
        ch.leaseLost();
    }
}
