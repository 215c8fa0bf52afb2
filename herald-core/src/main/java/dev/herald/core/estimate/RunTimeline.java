package dev.herald.core.estimate;

import dev.herald.core.history.RunRecord;
import dev.herald.core.history.StageRun;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One running job's time, stage by stage, as its reports arrive: the running time
 * in each stage, the current stage's smoothed rate, and at the end the
 * {@link RunRecord} its history keeps. A silence longer than {@code pauseAfterMs}
 * is a pause: it counts neither as running time nor in the rate. Times are the
 * caller's clock in milliseconds. Not thread-safe: the engine holds the job's lock.
 */
public final class RunTimeline {
    private final long pauseAfterMs;
    private final List<StageRun> closed = new ArrayList<>();
    /** Whether it saw the run start, so its stages and running time are whole. */
    private boolean whole;
    private long lastMs = -1;
    private long runMs;
    private long stageMs;
    private StagePoint stage;
    private ItemRate rate = new ItemRate();

    public RunTimeline(long pauseAfterMs) {
        this.pauseAfterMs = pauseAfterMs;
    }

    /** The job starts running (again, after a retry): what came before is forgotten. */
    public void started(long nowMs, Job job) {
        closed.clear();
        whole = true;
        runMs = 0;
        enterStage(nowMs, StagePoint.of(job));
    }

    /** The job reported progress at {@code nowMs}; its state is the one after the report. */
    public void observe(long nowMs, Job job) {
        StagePoint point = StagePoint.of(job);
        boolean paused = elapse(nowMs);
        if (stage == null || point.index() != stage.index()) {
            if (stage != null && point.index() > stage.index()) {
                closed.add(closeStage());
            } else if (stage != null) {
                closed.clear();
                whole = false;
            }
            enterStage(nowMs, point);
            return;
        }
        stage = point;
        if (paused) {
            rate.restart(nowMs, point.fraction());
        } else {
            rate.observe(nowMs, point.fraction());
        }
    }

    /** The estimate at {@code nowMs}, counting the time since the last report unless it is already a pause. */
    public Estimate estimate(long nowMs, Job job, HistoryStats history) {
        if (job.status() != JobStatus.RUNNING) {
            return Estimate.NONE;
        }
        long since = lastMs < 0 ? 0 : Math.max(0, nowMs - lastMs);
        long pending = since > pauseAfterMs ? 0 : since;
        long run = whole ? runMs + pending : elapsedSinceStart(job, nowMs);
        EtaBlend.Position at = new EtaBlend.Position(StagePoint.of(job), job.stages(), stageMs + pending, run,
                rate.rate(), rate.spread(), List.copyOf(closed));
        return EtaBlend.estimate(at, history);
    }

    /** The finished job's run, as its type's history keeps it; stages only when it saw all of them. */
    public RunRecord finish(long nowMs, Job job) {
        elapse(nowMs);
        List<StageRun> stages = new ArrayList<>(closed);
        if (stage != null) {
            stages.add(closeStage());
        }
        long duration = whole ? runMs : elapsedSinceStart(job, nowMs);
        return new RunRecord(job.type(), job.project(), job.status() == JobStatus.COMPLETED,
                Instant.ofEpochMilli(nowMs), duration, whole ? stages : List.of());
    }

    private static long elapsedSinceStart(Job job, long nowMs) {
        return job.startedAt() == null ? 0 : Math.max(0, nowMs - job.startedAt().toEpochMilli());
    }

    /** Counts the time since the last report, unless it was a pause; answers whether it was. */
    private boolean elapse(long nowMs) {
        long dt = lastMs < 0 ? 0 : Math.max(0, nowMs - lastMs);
        lastMs = nowMs;
        if (dt > pauseAfterMs) {
            return true;
        }
        runMs += dt;
        stageMs += dt;
        return false;
    }

    private void enterStage(long nowMs, StagePoint point) {
        lastMs = nowMs;
        stage = point;
        stageMs = 0;
        rate = new ItemRate();
        rate.restart(nowMs, point.fraction());
    }

    private StageRun closeStage() {
        Double perSecond = stage.total() != null && stageMs > 0 ? stage.total() * 1000.0 / stageMs : null;
        return new StageRun(stage.name(), stageMs, perSecond);
    }
}
