package dev.herald.core.engine;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.EngineTestSupport.FlakyStore;
import dev.herald.core.engine.EngineTestSupport.Recorder;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static dev.herald.core.engine.EngineTestSupport.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobEngineStoreFailureTest {
    private FlakyStore store;
    private LocalEventBus bus;
    private Recorder recorder;
    private JobEngine engine;

    @BeforeEach
    void setUp() {
        store = new FlakyStore();
        bus = new LocalEventBus();
        recorder = new Recorder(bus);
        engine = EngineTestSupport.engine(store, bus, new SettableClock(T0), Duration.ofMillis(20));
    }

    @AfterEach
    void tearDown() {
        store.failing = false;
        engine.close();
    }

    private Job create(JobStatus status) {
        return await(engine.create(new NewJob("t", null, "acme", null, null, null, null, null, null, false, status, 1,
                null))).job();
    }

    private List<JobEvent> statusEvents(String id) {
        return recorder.of(id).stream().filter(e -> e.type() == EventType.STATUS).toList();
    }

    /** A cancel the store holds back (in memory, with the store, not durable), and a worker's report after it. */
    private record HeldCancel(CompletableFuture<Job> cancel, CompletableFuture<Long> progress, CountDownLatch release) {
    }

    private HeldCancel cancelHeldBack(Job job) {
        CountDownLatch release = new CountDownLatch(1);
        store.held = release;
        CompletableFuture<Job> cancel = engine.cancel(job.id());
        await().atMost(WAIT).until(() -> engine.cached(job.id()).orElseThrow().status() == JobStatus.CANCELLED
                && store.waiting.get() > 0);
        return new HeldCancel(cancel, engine.progress(job.id(), ProgressReport.of(1, 2)), release);
    }

    private void releaseStore(HeldCancel held) {
        store.held = null;
        held.release().countDown();
    }

    @Test
    void aWorkerLearnsOfACancelOnlyOnceItIsDurable() {
        HeldCancel held = cancelHeldBack(create(JobStatus.RUNNING));
        assertThat(held.progress()).as("no answer while the store holds the cancel").isNotDone();
        releaseStore(held);
        assertThat(EngineTestSupport.await(held.cancel()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(refusal(held::progress).code()).isEqualTo(ErrorCode.JOB_FINISHED);
    }

    @Test
    void aCancelTheStoreRefusesNeverStopsTheWorker() {
        Job job = create(JobStatus.RUNNING);
        HeldCancel held = cancelHeldBack(job);
        store.failing = true;
        releaseStore(held);
        assertThat(refusal(held::cancel).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        store.failing = false;
        assertThat(EngineTestSupport.await(held.progress())).as("the job still runs: the worker goes on").isPositive();
        assertThat(EngineTestSupport.await(engine.get(job.id())).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aTransitionTheStoreRefusesIsUnavailableAndUnpublished() {
        Job job = create(JobStatus.PENDING);
        store.failing = true;
        HeraldException e = refusal(() -> engine.start(job.id()));
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.code().httpStatus()).isEqualTo(503);
        assertThat(statusEvents(job.id())).extracting(JobEvent::to).containsExactly(JobStatus.PENDING);
        assertThat(store.delegate.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void theEngineRecoversWithTheLastDurableState() {
        Job job = create(JobStatus.PENDING);
        store.failing = true;
        assertThat(refusal(() -> engine.start(job.id())).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(refusal(() -> engine.cancel(job.id())).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        store.failing = false;

        Job reloaded = await(engine.get(job.id()));
        assertThat(reloaded.status()).isEqualTo(JobStatus.PENDING);
        assertThat(reloaded.version()).isEqualTo(1);

        Job started = await(engine.start(job.id()));
        assertThat(started.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(started.version()).isEqualTo(2);
        assertThat(store.delegate.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(statusEvents(job.id())).extracting(JobEvent::to)
                .containsExactly(JobStatus.PENDING, JobStatus.RUNNING);
        assertThat(statusEvents(job.id())).extracting(JobEvent::version).containsExactly(1L, 2L);
    }

    @Test
    void aCreateTheStoreRefusesLeavesNoJob() {
        store.failing = true;
        HeraldException e = refusal(() -> engine.create(NewJob.of("t", "acme")));
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(recorder.all()).isEmpty();
        store.failing = false;
        Job job = create(JobStatus.PENDING);
        assertThat(recorder.of(job.id())).hasSize(1);
    }

    @Test
    void aLogTheStoreRefusesIsUnavailableAndItsSeqIsReused() {
        Job job = create(JobStatus.RUNNING);
        await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "one", null)));
        store.failing = true;
        assertThat(refusal(() -> engine.log(job.id(), new LogEntry(LogLevel.INFO, "lost", null))).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
        store.failing = false;
        assertThat(await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "two", null))).seq()).isEqualTo(2);
        assertThat(recorder.of(job.id())).filteredOn(e -> e.type() == EventType.LOG)
                .extracting(e -> e.log().message()).containsExactly("one", "two");
        assertThat(await(engine.logs(job.id(), 0, 10))).extracting(l -> l.message()).containsExactly("one", "two");
    }

    @Test
    void positionsStayGaplessAfterARefusedWrite() {
        Job job = create(JobStatus.RUNNING);
        long before = engine.streams().position();
        store.failing = true;
        refusal(() -> engine.log(job.id(), new LogEntry(LogLevel.INFO, "lost", null)));
        store.failing = false;
        await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "kept", null)));
        assertThat(engine.streams().position()).isEqualTo(before + 1);
    }

    @Test
    void progressFlushedWhileTheStoreIsDownIsWrittenOnceItIsBack() {
        Job job = create(JobStatus.RUNNING);
        store.failing = true;
        long v = await(engine.progress(job.id(), ProgressReport.of(30, 100)));
        store.failing = false;
        await().atMost(WAIT).until(() -> store.delegate.find(job.id()).orElseThrow().version() == v);
    }

    @Test
    void aRefusedTransitionNeverBecomesDurableLater() {
        // the job has progress waiting to be written behind when the store refuses its completion
        Job job = create(JobStatus.RUNNING);
        store.failing = true;
        await(engine.progress(job.id(), ProgressReport.of(30, 100)));
        HeraldException refused = refusal(() -> engine.complete(job.id(), new RawJson("{\"refused\":true}")));
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        store.failing = false;

        Job reloaded = await(engine.get(job.id()));
        assertThat(reloaded.status()).as("state after the refused completion").isEqualTo(JobStatus.RUNNING);
        long v = await(engine.progress(job.id(), ProgressReport.of(40, 100)));
        await().atMost(WAIT).until(() -> store.delegate.find(job.id()).orElseThrow().version() >= v);

        Job stored = store.delegate.find(job.id()).orElseThrow();
        assertThat(statusEvents(job.id())).extracting(JobEvent::to).containsExactly(JobStatus.RUNNING);
        assertThat(stored.status()).as("the caller was told the completion failed, and no event said otherwise")
                .isEqualTo(JobStatus.RUNNING);
        assertThat(stored.result()).isNull();
        assertThat(await(engine.get(job.id())).status()).isEqualTo(JobStatus.RUNNING);
    }
}
