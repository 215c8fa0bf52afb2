package dev.herald.client;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The {@link Reporter} of a client: checks each call's arguments, then hands it to the job's {@link JobChannel}. */
class JobReporter implements Reporter {
    final JobChannel ch;
    final ClientHerald herald;

    JobReporter(JobChannel ch, ClientHerald herald) {
        this.ch = ch;
        this.herald = herald;
    }

    @Override
    public String jobId() {
        return ch.id;
    }

    @Override
    public Reporter stage(String name) {
        Arguments.text(name, "stage");
        ch.change(p -> p.stage(name));
        return this;
    }

    @Override
    public Reporter progress(double current) {
        Arguments.amount(current, "current");
        ch.change(p -> p.progress(current, null));
        return this;
    }

    @Override
    public Reporter progress(double current, double total) {
        Arguments.amount(current, "current");
        Arguments.amount(total, "total");
        if (current > total) {
            throw new IllegalArgumentException("current (" + current + ") exceeds total (" + total + ")");
        }
        ch.change(p -> p.progress(current, total));
        return this;
    }

    @Override
    public Reporter increment() {
        return increment(1);
    }

    @Override
    public Reporter increment(double units) {
        Arguments.amount(units, "units");
        ch.change(p -> p.increment(units));
        return this;
    }

    @Override
    public Reporter unit(String unit) {
        Arguments.required(unit, "unit");
        ch.change(p -> p.unit(unit));
        return this;
    }

    @Override
    public Reporter percent(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be between 0 and 100 (got " + percent + ")");
        }
        ch.change(p -> p.percent(percent));
        return this;
    }

    @Override
    public Reporter message(String message) {
        Arguments.required(message, "message");
        ch.change(p -> p.message(message));
        return this;
    }

    @Override
    public Reporter metadata(Object metadata) {
        RawJson json = JsonArguments.object(Arguments.required(metadata, "metadata"), "metadata");
        ch.change(p -> p.metadata(json));
        return this;
    }

    @Override
    public Reporter debug(String message) {
        return log(LogLevel.DEBUG, message, null);
    }

    @Override
    public Reporter info(String message) {
        return log(LogLevel.INFO, message, null);
    }

    @Override
    public Reporter warn(String message) {
        return log(LogLevel.WARN, message, null);
    }

    @Override
    public Reporter error(String message) {
        return log(LogLevel.ERROR, message, null);
    }

    @Override
    public Reporter log(LogLevel level, String message) {
        return log(level, message, null);
    }

    @Override
    public Reporter log(LogLevel level, String message, Object fields) {
        ch.log(new LogEntry(Arguments.required(level, "level"), Arguments.required(message, "message"),
                JsonArguments.object(fields, "fields")));
        return this;
    }

    @Override
    public Reporter child(JobSpec spec) {
        Arguments.required(spec, "spec");
        if (spec.parentId() != null && !spec.parentId().equals(ch.id)) {
            throw new IllegalArgumentException("a child of job " + ch.id + " cannot have parent " + spec.parentId());
        }
        NewJob job = spec.parent(ch.id).toNewJob();
        RawJson input = spec.input();
        Job created = await(ch.call(null, t -> t.create(job, input)));
        return herald.reporterOf(created);
    }

    @Override
    public void complete() {
        complete(null);
    }

    @Override
    public void complete(Object result) {
        RawJson json = JsonArguments.value(result, "result");
        finish(ch.call(JobStatus.COMPLETED, t -> t.complete(ch.id, json)));
    }

    @Override
    public void fail(String message) {
        fail(null, message);
    }

    @Override
    public void fail(String code, String message) {
        JobError error = new JobError(code, Arguments.required(message, "message"));
        finish(ch.call(JobStatus.FAILED, t -> t.fail(ch.id, error)));
    }

    /** Waits for the transition; a job that ended elsewhere meanwhile is no error for the worker. */
    static void finish(CompletableFuture<Job> answer) {
        try {
            await(answer);
        } catch (JobCancelledException e) {
            // the job ended without us: the write is dropped, as every write after a cancel is
        }
    }

    private static Job await(CompletableFuture<Job> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE,
                    "interrupted while waiting for the server (the write still goes when it can)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HeraldException h) {
                throw h;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public boolean isCancelled() {
        return ch.isCancelled();
    }

    @Override
    public void throwIfCancelled() {
        JobCancelledException stop = ch.cancellation();
        if (stop != null) {
            throw stop;
        }
    }

    @Override
    public Reporter onCancel(Runnable callback) {
        ch.onCancel(Arguments.required(callback, "callback"));
        return this;
    }

    @Override
    public long droppedLogLines() {
        return ch.droppedLines.get();
    }

    @Override
    public void close() {
        ch.close();
    }
}
