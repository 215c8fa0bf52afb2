package dev.herald.server.sdk;

import dev.herald.client.JobSpec;
import dev.herald.client.Polled;
import dev.herald.client.ProgressPoller;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.time.SettableClock;
import dev.herald.server.support.JobsOverRest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ProgressPoller} (SDK.md §6) over a fake image-generation API against a real server. The test runs each
 * scheduled poll itself ({@link ManualScheduler}): no test waits for a poll's time to come.
 */
class SdkProgressPollerTest {
    @RegisterExtension
    static final SdkServer sdk = new SdkServer();

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    /** What the image API tells of a task. */
    record Pixel(String state, int done, int total, String phase, int frames, String error) {
        static Pixel running(int done) {
            return new Pixel("running", done, 10, "rendering", 0, null);
        }
    }

    /** The image API: answers what the test set last, or throws it. */
    static final class Upstream implements Callable<Pixel> {
        volatile Object next;
        final AtomicInteger calls = new AtomicInteger();

        Upstream answers(Object answer) {
            next = answer;
            return this;
        }

        @Override
        public Pixel call() throws Exception {
            calls.incrementAndGet();
            if (next instanceof Exception e) {
                throw e;
            }
            return (Pixel) next;
        }
    }

    private final ManualScheduler ticks = new ManualScheduler();
    private final SettableClock clock = new SettableClock(T0);
    private final Upstream upstream = new Upstream();
    private final AtomicBoolean cancelledUpstream = new AtomicBoolean();

    private static Job imageJob() {
        return sdk.herald().create(JobSpec.of("image").stage("prepare", 20).stage("generation", 60)
                .stage("upscale", 20).metadata(Map.of("prompt", "a lighthouse")));
    }

    private CompletableFuture<Job> poll(Job job, int maxErrors) {
        return ProgressPoller.builder(sdk.herald(), job.id(), upstream)
                .every(Duration.ofSeconds(2))
                .map(s -> Polled.progress("generation", s.done(), s.total()).message(s.phase()))
                .completeWhen(s -> s.state().equals("done"), s -> Map.of("frames", s.frames()))
                .failWhen(s -> s.state().equals("error"), Pixel::error)
                .maxConsecutiveErrors(maxErrors)
                .onCancel(() -> cancelledUpstream.set(true))
                .scheduler(ticks).clock(clock)
                .start();
    }

    private static Job read(Job job) {
        return sdk.herald().get(job.id());
    }

    private static String poller(Job job) {
        return JobsOverRest.tree(read(job).progress().metadata().text()).path("poller").toString();
    }

    @Test
    void halfOfAStageWeighted60AfterAStageOf20ShowsHalfOverall() {
        Job job = imageJob();
        upstream.answers(Pixel.running(5));
        poll(job, 5);
        ticks.runNext();
        await().until(() -> read(job).progress().current() != null);
        Job now = read(job);
        assertThat(now.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(now.progress().stage()).isEqualTo("generation");
        assertThat(now.progress().percent()).isEqualTo(50.0);
        assertThat(now.progress().message()).isEqualTo("rendering");
    }

    @Test
    void aFailedPollKeepsTheProgressMarksItStaleLogsAWarningAndBacksOffUntilAGoodPollClearsIt() {
        Job job = imageJob();
        upstream.answers(Pixel.running(3));
        poll(job, 5);
        assertThat(ticks.runNext()).isZero();
        await().until(() -> Double.valueOf(3).equals(read(job).progress().current()));

        clock.advance(Duration.ofSeconds(2));
        upstream.answers(new IOException("502 Bad Gateway from the image API"));
        assertThat(ticks.runNext()).isEqualTo(Duration.ofSeconds(2));
        await().until(() -> poller(job).contains("\"stale\":true"));
        assertThat(poller(job)).isEqualTo("{\"stale\":true,\"consecutiveErrors\":1,\"lastSuccessAt\":\"" + T0 + "\"}");
        assertThat(read(job).progress().current()).isEqualTo(3.0);
        assertThat(read(job).progress().metadata().text()).contains("\"prompt\":\"a lighthouse\"");
        await().until(() -> sdk.herald().logs(job.id(), 0, 10).stream().anyMatch(l -> l.level() == LogLevel.WARN));
        LogLine warn = sdk.herald().logs(job.id(), 0, 10).get(0);
        assertThat(warn.message()).contains("502 Bad Gateway from the image API").contains("1 in a row");

        upstream.answers(Pixel.running(6));
        assertThat(ticks.runNext()).as("the wait after one failure").isEqualTo(Duration.ofSeconds(4));
        await().until(() -> poller(job).contains("\"stale\":false"));
        assertThat(read(job).progress().current()).isEqualTo(6.0);
        assertThat(ticks.runNext()).as("the wait after a good poll").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void afterTooManyFailedPollsTheJobFailsAsUpstreamUnavailable() throws Exception {
        Job job = imageJob();
        upstream.answers(new IOException("connection refused"));
        CompletableFuture<Job> done = poll(job, 3);
        ticks.runNext();
        assertThat(ticks.runNext()).isEqualTo(Duration.ofSeconds(4));
        assertThat(ticks.runNext()).isEqualTo(Duration.ofSeconds(8));
        Job failed = done.get(15, TimeUnit.SECONDS);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("upstream_unavailable");
        assertThat(failed.error().message()).contains("3 failed polls").contains("connection refused");
    }

    @Test
    void aJobCancelledInHeraldStopsThePollerAndCallsOnCancel() throws Exception {
        Job job = imageJob();
        upstream.answers(Pixel.running(2));
        CompletableFuture<Job> done = poll(job, 5);
        ticks.runNext();
        await().until(() -> read(job).progress().current() != null);
        sdk.herald().cancel(job.id());
        ticks.runNext();
        assertThat(done.get(15, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelledUpstream).isTrue();
        int calls = upstream.calls.get();
        assertThat(ticks.pending()).as("no poll scheduled after the cancel").isZero();
        assertThat(upstream.calls).hasValue(calls);
    }

    @Test
    void aJobDoneUpstreamBeforeItsFirstPollGetsItsFinalProgressAndResult() throws Exception {
        Job job = imageJob();
        upstream.answers(new Pixel("done", 10, 10, "finished", 42, null));
        CompletableFuture<Job> done = poll(job, 5);
        ticks.runNext();
        Job finished = done.get(15, TimeUnit.SECONDS);
        assertThat(finished.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(finished.progress().stage()).isEqualTo("generation");
        assertThat(finished.progress().current()).isEqualTo(10.0);
        assertThat(finished.result().text()).isEqualTo("{\"frames\":42}");
    }

    @Test
    void aTaskThatFailsUpstreamFailsTheJobWithItsMessage() throws Exception {
        Job job = imageJob();
        upstream.answers(new Pixel("error", 4, 10, "rendering", 0, "out of GPU memory"));
        CompletableFuture<Job> done = poll(job, 5);
        ticks.runNext();
        Job failed = done.get(15, TimeUnit.SECONDS);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().message()).isEqualTo("out of GPU memory");
    }
}
