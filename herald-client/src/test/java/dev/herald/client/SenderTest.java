package dev.herald.client;

import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The reporters' promises against a scripted transport: coalescing, batches, order, outages, the line bound,
 * cancellation. A progress interval of an hour means a round happens only when a worker waits for one
 * ({@code complete}, {@code child}), so what each round holds is decided by the test, not by timing.
 */
class SenderTest {
    private static final Duration LONG = Duration.ofHours(1);
    private final ScriptedTransport transport = new ScriptedTransport();
    private Herald herald;

    private Herald herald(Duration progressInterval, Duration heartbeatInterval) {
        herald = Herald.builder().transport(transport).progressInterval(progressInterval)
                .heartbeatInterval(heartbeatInterval).build();
        return herald;
    }

    @AfterEach
    void close() {
        if (herald != null) {
            herald.close();
        }
    }

    @Test
    void aMillionIncrementsCostAFewRequestsAndTheFinalCountIsExact() {
        Reporter r = herald(Duration.ofMillis(20), LONG).reporter(transport.job());
        for (int i = 0; i < 1_000_000; i++) {
            r.increment();
        }
        r.complete();
        List<String> progress = transport.callsOf("progress");
        assertThat(progress.size()).as("progress requests for a million increments").isBetween(1, 100);
        assertThat(progress.get(progress.size() - 1)).endsWith(" 1000000.0");
        assertThat(transport.calls.indexOf("complete " + r.jobId()))
                .isGreaterThan(transport.calls.indexOf(progress.get(progress.size() - 1)));
    }

    @Test
    void severalJobsWithProgressGoInOneBatch() {
        Herald h = herald(LONG, LONG);
        Reporter a = h.reporter(transport.job());
        Reporter b = h.reporter(transport.job());
        a.progress(1);
        b.progress(2);
        a.complete();
        assertThat(transport.calls).containsSubsequence("batch 2", "progress " + a.jobId() + " 1.0",
                "complete " + a.jobId());
        assertThat(transport.calls).contains("progress " + b.jobId() + " 2.0");
    }

    @Test
    void eachRequestOfARoundTakesItsJobsStatesJustBeforeItGoes() {
        Herald h = herald(LONG, LONG);
        List<Reporter> reporters = IntStream.rangeClosed(0, SendingRound.BATCH_LIMIT)
                .mapToObj(i -> h.reporter(transport.job())).toList();
        reporters.forEach(r -> r.progress(1));
        Reporter last = reporters.get(SendingRound.BATCH_LIMIT);
        // while the first batch is on its way, the worker of the job left for the next request moves on
        transport.beforeBatch = () -> last.progress(2);
        reporters.get(0).complete();
        assertThat(transport.calls).contains("batch " + SendingRound.BATCH_LIMIT, "progress " + last.jobId() + " 2.0")
                .doesNotContain("progress " + last.jobId() + " 1.0");
    }

    @Test
    void aLogLineGoesAfterTheProgressReportedBeforeIt() {
        Reporter r = herald(LONG, LONG).reporter(transport.job());
        r.progress(5);
        r.info("after 5");
        r.progress(6);
        r.complete();
        assertThat(transport.calls).containsSubsequence("progress " + r.jobId() + " 6.0", "log " + r.jobId()
                + " after 5", "complete " + r.jobId());
    }

    @Test
    void progressReportedWhileARoundIsUnderWayStillGoesBeforeTheLineAfterIt() throws Exception {
        Reporter r = herald(Duration.ofMillis(20), LONG).reporter(transport.job());
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger progressCalls = new AtomicInteger();
        transport.beforeProgress = id -> {
            if (progressCalls.getAndIncrement() == 0) {
                inFlight.countDown();
                awaitLatch(release);
            }
        };
        r.progress(1);
        assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();
        // the round has taken progress 1 and is sending it: 2, then the line, come after it
        r.progress(2);
        r.info("after 2");
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !transport.callsOf("log").isEmpty());
        assertThat(transport.calls).containsSubsequence("progress " + r.jobId() + " 1.0",
                "progress " + r.jobId() + " 2.0", "log " + r.jobId() + " after 2");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void duringAnOutageEverythingWaitsInOrderAndGoesOnRecovery() throws Exception {
        Reporter r = herald(Duration.ofMillis(20), LONG).reporter(transport.job());
        transport.down = true;
        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            r.progress(1).info("one").progress(2).info("two").progress(3);
            r.complete();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.unanswered.get() >= 3);
        assertThat(worker).as("complete waits for the server").isNotDone();
        assertThat(transport.calls).isEmpty();
        transport.down = false;
        worker.get(20, TimeUnit.SECONDS);
        String id = r.jobId();
        // the newest progress stands for the older ones the lines came after
        assertThat(transport.calls).containsSubsequence("progress " + id + " 3.0", "log " + id + " one",
                "log " + id + " two", "complete " + id);
    }

    @Test
    void pastTenThousandWaitingLinesTheOldestInfoLinesAreDroppedAndCounted() {
        Reporter r = herald(Duration.ofMillis(20), LONG).reporter(transport.job());
        transport.down = true;
        r.warn("kept");
        for (int i = 0; i < Sender.MAX_WAITING_LINES + 5; i++) {
            r.info("line " + i);
        }
        assertThat(r.droppedLogLines()).isEqualTo(6);
        transport.down = false;
        await().atMost(Duration.ofSeconds(20)).until(() -> transport.callsOf("log").size() == Sender.MAX_WAITING_LINES);
        assertThat(transport.calls).contains("log " + r.jobId() + " kept", "log " + r.jobId() + " line 6")
                .doesNotContain("log " + r.jobId() + " line 5");
    }

    @Test
    void aJobFinishedAnswerCancelsTheReporterOnceAndLaterWritesAreDropped() {
        Reporter r = herald(Duration.ofMillis(20), LONG).reporter(transport.job());
        AtomicInteger told = new AtomicInteger();
        r.onCancel(told::incrementAndGet);
        transport.ended.put(r.jobId(), JobStatus.CANCELLED);
        r.increment();
        await().atMost(Duration.ofSeconds(10)).until(r::isCancelled);
        await().atMost(Duration.ofSeconds(10)).until(() -> told.get() == 1);
        assertThatThrownBy(r::throwIfCancelled).isInstanceOf(JobCancelledException.class)
                .extracting(e -> ((JobCancelledException) e).status()).isEqualTo(JobStatus.CANCELLED);
        int before = transport.calls.size();
        r.increment().info("dropped");
        r.complete(Map.of("ignored", true));
        r.onCancel(told::incrementAndGet);
        assertThat(told).hasValue(2);
        assertThat(transport.calls.subList(before, transport.calls.size())).isEmpty();
    }

    @Test
    void anIdleReportersHeartbeatFindsTheCancel() {
        Reporter r = herald(Duration.ofMillis(20), Duration.ofMillis(50)).reporter(transport.job());
        await().atMost(Duration.ofSeconds(10)).until(() -> !transport.callsOf("heartbeat").isEmpty());
        transport.ended.put(r.jobId(), JobStatus.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(r::isCancelled);
    }

    @Test
    void aCompleteWhoseAnswerWasLostIsDoneWhenTheRetryFindsItCompleted() {
        Reporter r = herald(Duration.ofMillis(20), LONG).reporter(transport.job());
        transport.lostTransitionAnswers.set(1);
        r.complete();
        assertThat(r.isCancelled()).isFalse();
        assertThat(transport.callsOf("complete")).hasSize(1);
    }

    @Test
    void badInputIsRefusedAtTheCallAndNothingIsSent() {
        Reporter r = herald(LONG, LONG).reporter(transport.job(new Stage("parsing", 1), new Stage("loading", 3)));
        assertThatThrownBy(() -> r.progress(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.progress(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.progress(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.stage("uploading")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.stage(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.metadata("text")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.metadata(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.info(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.percent(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.child(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> herald.reporter(null)).isInstanceOf(IllegalArgumentException.class);
        r.progress(3, 3);
        assertThatThrownBy(r::increment).isInstanceOf(IllegalArgumentException.class);
        r.complete();
        assertThat(transport.callsOf("progress")).containsExactly("progress " + r.jobId() + " 3.0");
    }

    @Test
    void aWriteThatFailsInTheClientItselfIsDroppedAndTheRestGoesOn() {
        Reporter r = herald(LONG, LONG).reporter(transport.job());
        transport.logFault = new IllegalStateException("a bug");
        r.info("lost to the bug").info("sent");
        r.complete();
        assertThat(transport.calls).containsSubsequence("log " + r.jobId() + " sent", "complete " + r.jobId());
    }

    @Test
    void aClosedReporterRefusesCalls() {
        Reporter r = herald(LONG, LONG).reporter(transport.job());
        r.close();
        assertThatThrownBy(r::increment).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingTheClientSendsWhatWaits() {
        Reporter r = herald(LONG, LONG).reporter(transport.job());
        r.progress(7).info("last words");
        herald.close();
        assertThat(transport.calls).containsSubsequence("progress " + r.jobId() + " 7.0",
                "log " + r.jobId() + " last words", "close");
    }

    @Test
    void aChildIsCreatedAfterTheProgressBeforeIt() {
        Reporter parent = herald(LONG, LONG).reporter(transport.job());
        parent.progress(1);
        Reporter child = parent.child(JobSpec.of("page"));
        assertThat(transport.calls).containsSubsequence("progress " + parent.jobId() + " 1.0",
                "create " + child.jobId() + " under " + parent.jobId());
        transport.ended.put(parent.jobId(), JobStatus.CANCELLED);
        assertThatThrownBy(() -> parent.child(JobSpec.of("page"))).isInstanceOf(JobCancelledException.class);
        assertThat(parent.isCancelled()).isTrue();
    }
}
