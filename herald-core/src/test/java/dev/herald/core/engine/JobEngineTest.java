package dev.herald.core.engine;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.EngineTestSupport.Recorder;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.await;
import static dev.herald.core.engine.EngineTestSupport.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class JobEngineTest {
    private static final List<Stage> STAGES = List.of(new Stage("parsing", 1), new Stage("loading", 3));

    private InMemoryJobStore store;
    private LocalEventBus bus;
    private SettableClock clock;
    private Recorder recorder;
    private JobEngine engine;

    @BeforeEach
    void setUp() {
        store = new InMemoryJobStore();
        bus = new LocalEventBus();
        clock = new SettableClock(T0);
        recorder = new Recorder(bus);
        engine = EngineTestSupport.engine(store, bus, clock, Duration.ofMillis(20));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static NewJob newJob(String project, JobStatus status, String key) {
        return new NewJob("import-csv", "Import customers.csv", project, "user-17", null, List.of(), null, null,
                null, false, status, 1, key);
    }

    private Job create(JobStatus status) {
        return await(engine.create(newJob("acme", status, null))).job();
    }

    private Job running() {
        return create(JobStatus.RUNNING);
    }

    private static JobQuery all() {
        return new JobQuery(null, null, null, null, null, 500, null);
    }

    // --- create ---

    @Test
    void createWithDefaults() {
        JobEngine.Created c = await(engine.create(NewJob.of("import-csv", "acme")));
        Job job = c.job();
        assertThat(c.isNew()).isTrue();
        assertThat(IdGenerator.looksLikeJobId(job.id())).isTrue();
        assertThat(job.type()).isEqualTo("import-csv");
        assertThat(job.project()).isEqualTo("acme");
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.parentId()).isNull();
        assertThat(job.stages()).isEmpty();
        assertThat(job.progress().percent()).isZero();
        assertThat(job.children()).isNull();
        assertThat(job.eta()).isNull();
        assertThat(job.result()).isNull();
        assertThat(job.error()).isNull();
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.version()).isEqualTo(1);
        assertThat(job.createdAt()).isEqualTo(T0);
        assertThat(job.updatedAt()).isEqualTo(T0);
        assertThat(job.startedAt()).isNull();
        assertThat(job.finishedAt()).isNull();
        assertThat(store.find(job.id())).contains(job);
        assertThat(await(engine.get(job.id()))).isEqualTo(job);
    }

    @Test
    void createPublishesAStatusEventFromNull() {
        Job job = create(JobStatus.PENDING);
        List<JobEvent> events = recorder.of(job.id());
        assertThat(events).hasSize(1);
        JobEvent e = events.get(0);
        assertThat(e.type()).isEqualTo(EventType.STATUS);
        assertThat(e.from()).isNull();
        assertThat(e.to()).isEqualTo(JobStatus.PENDING);
        assertThat(e.version()).isEqualTo(1);
        assertThat(e.job()).isEqualTo(job);
        assertThat(e.project()).isEqualTo("acme");
        assertThat(e.position()).isPositive();
        assertThat(engine.streams().position()).isEqualTo(e.position());
        assertThat(store.eventsAfter(List.of(job.id()), 0, 10)).containsExactly(e);
    }

    @Test
    void createQueuedAndRunning() {
        Job queued = create(JobStatus.QUEUED);
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.startedAt()).isNull();
        Job running = running();
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.startedAt()).isEqualTo(T0);
        assertThat(recorder.of(running.id())).singleElement()
                .satisfies(e -> assertThat(e.to()).isEqualTo(JobStatus.RUNNING));
    }

    @Test
    void createWithStagesTotalAndUnit() {
        NewJob cmd = new NewJob("import-csv", "n", "acme", "o", null, STAGES, 1000.0, "rows",
                new RawJson("{\"file\":\"a.csv\"}"), false, JobStatus.PENDING, 3, null);
        Job job = await(engine.create(cmd)).job();
        assertThat(job.stages()).containsExactlyElementsOf(STAGES);
        assertThat(job.progress().total()).isEqualTo(1000.0);
        assertThat(job.progress().unit()).isEqualTo("rows");
        assertThat(job.progress().metadata().text()).isEqualTo("{\"file\":\"a.csv\"}");
        assertThat(job.maxAttempts()).isEqualTo(3);
        assertThat(job.owner()).isEqualTo("o");
        assertThat(job.name()).isEqualTo("n");
    }

    @Test
    void createIsDurableBeforeItsFutureCompletes() {
        AtomicReference<Boolean> durable = new AtomicReference<>();
        Job job = await(engine.create(NewJob.of("t", "acme"))
                .thenApply(c -> {
                    durable.set(store.find(c.job().id()).isPresent());
                    return c;
                })).job();
        assertThat(durable.get()).isTrue();
        assertThat(store.find(job.id())).isPresent();
    }

    // --- idempotency ---

    @Test
    void sameIdempotencyKeyReturnsTheSameJob() {
        JobEngine.Created first = await(engine.create(newJob("acme", JobStatus.PENDING, "key-1")));
        JobEngine.Created second = await(engine.create(newJob("acme", JobStatus.PENDING, "key-1")));
        assertThat(first.isNew()).isTrue();
        assertThat(second.isNew()).isFalse();
        assertThat(second.job().id()).isEqualTo(first.job().id());
        assertThat(store.list(all()).items()).hasSize(1);
        assertThat(recorder.all()).hasSize(1);
    }

    @Test
    void sameKeyReturnsTheJobAsItIsNow() {
        Job job = await(engine.create(newJob("acme", JobStatus.PENDING, "key-1"))).job();
        await(engine.start(job.id()));
        JobEngine.Created again = await(engine.create(newJob("acme", JobStatus.PENDING, "key-1")));
        assertThat(again.isNew()).isFalse();
        assertThat(again.job().id()).isEqualTo(job.id());
        assertThat(again.job().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void sameKeyInAnotherProjectIsANewJob() {
        JobEngine.Created a = await(engine.create(newJob("acme", JobStatus.PENDING, "key-1")));
        JobEngine.Created b = await(engine.create(newJob("globex", JobStatus.PENDING, "key-1")));
        assertThat(b.isNew()).isTrue();
        assertThat(b.job().id()).isNotEqualTo(a.job().id());
        assertThat(b.job().project()).isEqualTo("globex");
        assertThat(store.list(all()).items()).hasSize(2);
    }

    @Test
    void noKeyMeansANewJobEveryTime() {
        Job a = create(JobStatus.PENDING);
        Job b = create(JobStatus.PENDING);
        assertThat(a.id()).isNotEqualTo(b.id());
    }

    // --- parents ---

    @Test
    void parentMustExist() {
        NewJob cmd = new NewJob("t", null, "acme", null, IdGenerator.newJobId(), null, null, null, null, false,
                null, 1, null);
        assertThat(refusal(() -> engine.create(cmd)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(store.list(all()).items()).isEmpty();
    }

    @Test
    void parentMustNotBeTerminal() {
        Job parent = running();
        await(engine.cancel(parent.id()));
        NewJob cmd = new NewJob("t", null, "acme", null, parent.id(), null, null, null, null, false, null, 1, null);
        HeraldException e = refusal(() -> engine.create(cmd));
        assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
        assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.list(all()).items()).hasSize(1);
    }

    @Test
    void childTakesTheParentsProject() {
        Job parent = running();
        NewJob cmd = new NewJob("t", null, "elsewhere", null, parent.id(), null, null, null, null, false, null, 1,
                null);
        Job child = await(engine.create(cmd)).job();
        assertThat(child.parentId()).isEqualTo(parent.id());
        assertThat(child.project()).isEqualTo("acme");
        assertThat(store.find(child.id()).orElseThrow().project()).isEqualTo("acme");
    }

    @Test
    void parentOnlyInTheStoreIsFound() {
        Job parent = running();
        engine.close();
        engine = EngineTestSupport.engine(store, bus, clock, Duration.ofMillis(20));
        Job child = await(engine.create(new NewJob("t", null, "x", null, parent.id(), null, null, null, null, false,
                null, 1, null))).job();
        assertThat(child.project()).isEqualTo("acme");
    }

    // --- progress ---

    @Test
    void progressOnAPendingJobStartsItWithOneStatusEvent() {
        Job job = create(JobStatus.PENDING);
        clock.advance(Duration.ofSeconds(1));
        long v = await(engine.progress(job.id(), ProgressReport.of(25, 100)));
        assertThat(v).isEqualTo(2);
        List<JobEvent> events = recorder.of(job.id());
        assertThat(events).hasSize(2);
        JobEvent e = events.get(1);
        assertThat(e.type()).isEqualTo(EventType.STATUS);
        assertThat(e.from()).isEqualTo(JobStatus.PENDING);
        assertThat(e.to()).isEqualTo(JobStatus.RUNNING);
        assertThat(e.version()).isEqualTo(2);
        assertThat(e.job().progress().current()).isEqualTo(25.0);
        assertThat(e.job().progress().percent()).isCloseTo(25.0, within(1e-9));
        assertThat(e.job().startedAt()).isEqualTo(T0.plusSeconds(1));
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(stored.version()).isEqualTo(2);
    }

    @Test
    void progressOnAQueuedJobStartsItToo() {
        Job job = create(JobStatus.QUEUED);
        await(engine.progress(job.id(), ProgressReport.of(1, 10)));
        assertThat(recorder.of(job.id())).extracting(JobEvent::type)
                .containsExactly(EventType.STATUS, EventType.STATUS);
        assertThat(await(engine.get(job.id())).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void progressOnARunningJobPublishesAProgressEventWithTheNewState() {
        Job job = running();
        long v = await(engine.progress(job.id(), ProgressReport.of(40, 100)));
        assertThat(v).isEqualTo(2);
        await().atMost(EngineTestSupport.WAIT).until(() -> recorder.of(job.id()).size() == 2);
        JobEvent e = recorder.of(job.id()).get(1);
        assertThat(e.type()).isEqualTo(EventType.PROGRESS);
        assertThat(e.version()).isEqualTo(2);
        assertThat(e.job().progress().percent()).isCloseTo(40.0, within(1e-9));
        assertThat(e.job().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(await(engine.get(job.id())).progress().current()).isEqualTo(40.0);
    }

    @Test
    void progressWithStagesOnTheEngine() {
        Job job = await(engine.create(new NewJob("t", null, "acme", null, null, STAGES, null, null, null, false,
                JobStatus.RUNNING, 1, null))).job();
        await(engine.progress(job.id(), new ProgressReport("loading", null, 50.0, 100.0, "rows", null, null, null)));
        Job now = await(engine.get(job.id()));
        assertThat(now.progress().stage()).isEqualTo("loading");
        assertThat(now.progress().percent()).isCloseTo(25 + 75 * 0.5, within(1e-9));
    }

    @Test
    void invalidProgressChangesNothing() {
        Job job = running();
        await(engine.progress(job.id(), ProgressReport.of(5, 10)));
        int events = recorder.of(job.id()).size();
        HeraldException e = refusal(() -> engine.progress(job.id(), ProgressReport.of(11, 10)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROGRESS);
        HeraldException n = refusal(() -> engine.progress(job.id(),
                new ProgressReport(null, null, Double.NaN, null, null, null, null, null)));
        assertThat(n.code()).isEqualTo(ErrorCode.INVALID_PROGRESS);
        Job now = await(engine.get(job.id()));
        assertThat(now.version()).isEqualTo(2);
        assertThat(now.progress().current()).isEqualTo(5.0);
        assertThat(recorder.of(job.id())).hasSize(events);
    }

    @Test
    void progressIsWrittenBehind() {
        Job job = running();
        long newest = 0;
        for (int i = 1; i <= 50; i++) {
            newest = await(engine.progress(job.id(), ProgressReport.of(i, 100)));
            assertThat(store.find(job.id()).orElseThrow().version()).isLessThanOrEqualTo(newest);
        }
        long expected = newest;
        await().atMost(EngineTestSupport.WAIT)
                .until(() -> store.find(job.id()).orElseThrow().version() == expected);
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.progress().current()).isEqualTo(50.0);
        assertThat(stored.progress().percent()).isCloseTo(50.0, within(1e-9));
        // progress events are not retained
        assertThat(store.eventsAfter(List.of(job.id()), 0, 100)).extracting(JobEvent::type)
                .containsOnly(EventType.STATUS);
    }

    @Test
    void progressOnAnUnknownJob() {
        assertThat(refusal(() -> engine.progress(IdGenerator.newJobId(), ProgressReport.of(1, 2))).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refusal(() -> engine.get(IdGenerator.newJobId())).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refusal(() -> engine.heartbeat(IdGenerator.newJobId())).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refusal(() -> engine.start(IdGenerator.newJobId())).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void etaAppearsForASteadyJob() {
        Job job = running();
        for (int s = 1; s <= 10; s++) {
            clock.advance(Duration.ofSeconds(1));
            await(engine.progress(job.id(), ProgressReport.of(s, 100)));
        }
        Job now = await(engine.get(job.id()));
        assertThat(now.eta()).isNotNull();
        assertThat((double) now.eta().remainingMs()).isCloseTo(90_000, within(2_000.0));
    }

    // --- transitions ---

    @Test
    void transitionsAreDurableBeforeTheirFutureCompletes() {
        Job job = create(JobStatus.PENDING);
        AtomicReference<JobStatus> seen = new AtomicReference<>();
        await(engine.start(job.id()).thenAccept(j -> seen.set(store.find(j.id()).orElseThrow().status())));
        assertThat(seen.get()).isEqualTo(JobStatus.RUNNING);

        await(engine.complete(job.id(), new RawJson("{\"ok\":true}"))
                .thenAccept(j -> seen.set(store.find(j.id()).orElseThrow().status())));
        assertThat(seen.get()).isEqualTo(JobStatus.COMPLETED);
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.result().text()).isEqualTo("{\"ok\":true}");
        assertThat(stored.progress().percent()).isEqualTo(100.0);
        assertThat(stored.finishedAt()).isEqualTo(T0);
    }

    @Test
    void transitionOfAJobWithUnflushedProgressCarriesThatProgress() {
        Job job = running();
        await(engine.progress(job.id(), ProgressReport.of(30, 100)));
        Job failed = await(engine.fail(job.id(), new JobError("E1", "boom")));
        assertThat(failed.version()).isEqualTo(3);
        assertThat(failed.progress().current()).isEqualTo(30.0);
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.FAILED);
        assertThat(stored.error()).isEqualTo(new JobError("E1", "boom"));
        assertThat(stored.progress().current()).isEqualTo(30.0);
    }

    @Test
    void everyTransitionPublishesOneStatusEventInVersionOrder() {
        NewJob cmd = new NewJob("t", null, "acme", null, null, null, null, null, null, false, JobStatus.PENDING, 3,
                null);
        Job job = await(engine.create(cmd)).job();
        await(engine.start(job.id()));
        await(engine.retry(job.id()));
        await(engine.start(job.id()));
        await(engine.fail(job.id(), new JobError(null, "x")));
        Job retried = await(engine.retry(job.id()));
        assertThat(retried.attempt()).isEqualTo(3); // 1 → 2 (retry while running) → 3 (retry after failing)
        await(engine.cancel(job.id()));
        List<JobEvent> events = recorder.of(job.id());
        assertThat(events).extracting(JobEvent::type).containsOnly(EventType.STATUS);
        assertThat(events).extracting(JobEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(events).extracting(JobEvent::to).containsExactly(JobStatus.PENDING, JobStatus.RUNNING,
                JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED, JobStatus.CANCELLED);
        assertThat(events).extracting(JobEvent::from).containsExactly(null, JobStatus.PENDING, JobStatus.RUNNING,
                JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED);
        assertThat(store.eventsAfter(List.of(job.id()), 0, 100)).containsExactlyElementsOf(events);
    }

    @Test
    void retryResetsProgress() {
        Job job = running();
        await(engine.progress(job.id(), ProgressReport.of(70, 100)));
        Job retried = await(engine.retry(job.id()));
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(retried.progress().percent()).isZero();
        assertThat(retried.progress().current()).isNull();
        await(engine.progress(job.id(), ProgressReport.of(10, 100)));
        assertThat(await(engine.get(job.id())).progress().percent()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void invalidTransitionIsRefusedAndChangesNothing() {
        Job job = create(JobStatus.PENDING);
        HeraldException e = refusal(() -> engine.complete(job.id(), null));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TRANSITION);
        assertThat(e.status()).isEqualTo(JobStatus.PENDING);
        assertThat(await(engine.get(job.id())).version()).isEqualTo(1);
        assertThat(recorder.of(job.id())).hasSize(1);
    }

    @Test
    void writesToATerminalJobFailWithJobFinished() {
        Job job = running();
        await(engine.cancel(job.id()));
        long version = await(engine.get(job.id())).version();
        int events = recorder.of(job.id()).size();
        List<java.util.function.Supplier<CompletableFuture<?>>> writes = List.of(
                () -> engine.progress(job.id(), ProgressReport.of(1, 2)),
                () -> engine.log(job.id(), new LogEntry(LogLevel.INFO, "late", null)),
                () -> engine.heartbeat(job.id()),
                () -> engine.complete(job.id(), null),
                () -> engine.fail(job.id(), new JobError(null, "x")),
                () -> engine.cancel(job.id()),
                () -> engine.start(job.id()),
                () -> engine.retry(job.id()));
        for (var w : writes) {
            HeraldException e = refusal(w);
            assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
            assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);
        }
        assertThat(await(engine.get(job.id())).version()).isEqualTo(version);
        assertThat(recorder.of(job.id())).hasSize(events);
    }

    @Test
    void writesToACompletedJobLoadedFromTheStoreFailWithJobFinished() {
        Job job = running();
        await(engine.complete(job.id(), null));
        engine.close();
        engine = EngineTestSupport.engine(store, bus, clock, Duration.ofMillis(20));
        for (var w : List.<java.util.function.Supplier<CompletableFuture<?>>>of(
                () -> engine.progress(job.id(), ProgressReport.of(1, 2)),
                () -> engine.log(job.id(), new LogEntry(LogLevel.INFO, "late", null)),
                () -> engine.heartbeat(job.id()),
                () -> engine.complete(job.id(), null))) {
            HeraldException e = refusal(w);
            assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
            assertThat(e.status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void heartbeatChangesNothing() {
        Job job = running();
        await(engine.heartbeat(job.id()));
        assertThat(await(engine.get(job.id())).version()).isEqualTo(job.version());
        assertThat(recorder.of(job.id())).hasSize(1);
    }

    // --- logs ---

    @Test
    void logsAreNumberedPerJobAndReadBackInOrder() {
        Job a = running();
        Job b = running();
        LogLine a1 = await(engine.log(a.id(), new LogEntry(LogLevel.INFO, "one", null)));
        LogLine b1 = await(engine.log(b.id(), new LogEntry(LogLevel.WARN, "other", new RawJson("{\"k\":1}"))));
        LogLine a2 = await(engine.log(a.id(), new LogEntry(LogLevel.DEBUG, "two", null)));
        LogLine a3 = await(engine.log(a.id(), new LogEntry(LogLevel.ERROR, "three\nlines", null)));
        assertThat(List.of(a1.seq(), a2.seq(), a3.seq())).containsExactly(1L, 2L, 3L);
        assertThat(b1.seq()).isEqualTo(1);
        assertThat(a3.time()).isEqualTo(T0);
        assertThat(await(engine.logs(a.id(), 0, 100))).containsExactly(a1, a2, a3);
        assertThat(await(engine.logs(a.id(), 1, 100))).containsExactly(a2, a3);
        assertThat(await(engine.logs(a.id(), 0, 2))).containsExactly(a1, a2);
        assertThat(await(engine.logs(b.id(), 0, 100))).containsExactly(b1);
    }

    @Test
    void aLogIsDurableAndPublishedWithTheNextVersion() {
        Job job = running();
        AtomicReference<List<LogLine>> seen = new AtomicReference<>();
        LogLine line = await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "hello", null))
                .thenApply(l -> {
                    seen.set(store.logs(job.id(), 0, 10));
                    return l;
                }));
        assertThat(seen.get()).containsExactly(line);
        JobEvent e = recorder.of(job.id()).get(1);
        assertThat(e.type()).isEqualTo(EventType.LOG);
        assertThat(e.log()).isEqualTo(line);
        assertThat(e.version()).isEqualTo(2);
        assertThat(await(engine.get(job.id())).version()).isEqualTo(2);
    }

    @Test
    void logSeqContinuesAfterTheJobIsReloaded() {
        Job job = running();
        await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "one", null)));
        await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "two", null)));
        long position = engine.streams().position();
        engine.close();
        engine = EngineTestSupport.engine(store, bus, clock, Duration.ofMillis(20));
        LogLine three = await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "three", null)));
        assertThat(three.seq()).isEqualTo(3);
        assertThat(await(engine.get(job.id())).version()).isEqualTo(4);
        assertThat(engine.streams().position()).isGreaterThan(position);
    }

    @Test
    void aVersionLostWithUnwrittenProgressIsNeverGivenOutAgainAfterARestart() {
        EngineTestSupport.FlakyStore lagging = new EngineTestSupport.FlakyStore();
        JobEngine crashed = EngineTestSupport.engine(lagging, bus, clock, Duration.ofMillis(20));
        Job job = await(crashed.create(newJob("acme", JobStatus.RUNNING, null))).job();
        lagging.refuseWriteBehind = true; // progress given out, never written: what a kill -9 loses
        long lost = await(crashed.progress(job.id(), ProgressReport.of(50, 100)));
        assertThat(lagging.find(job.id()).orElseThrow().version()).isLessThan(lost);

        clock.advance(Duration.ofSeconds(1));
        try (JobEngine restarted = EngineTestSupport.engine(lagging, bus, clock, Duration.ofMillis(20))) {
            long next = await(restarted.progress(job.id(), ProgressReport.of(60, 100)));
            assertThat(next).as("a version names one state only").isGreaterThan(lost);
            Job now = await(restarted.get(job.id()));
            assertThat(now.version()).isEqualTo(next);
            assertThat(now.progress().percent()).isCloseTo(60.0, within(1e-9));
        } finally {
            crashed.close();
        }
    }

    // --- list ---

    @Test
    void listOverlaysNewerProgressKeptInMemory() {
        EngineTestSupport.FlakyStore lagging = new EngineTestSupport.FlakyStore();
        lagging.refuseWriteBehind = true; // progress stays in memory only
        try (JobEngine e = EngineTestSupport.engine(lagging, bus, clock, Duration.ofMillis(20))) {
            Job job = await(e.create(newJob("acme", JobStatus.RUNNING, null))).job();
            Job other = await(e.create(newJob("acme", JobStatus.RUNNING, null))).job();
            await(e.progress(job.id(), ProgressReport.of(60, 100)));
            assertThat(lagging.list(all()).items()).filteredOn(j -> j.id().equals(job.id()))
                    .singleElement().satisfies(j -> assertThat(j.version()).isEqualTo(1));

            JobPage page = await(e.list(all()));
            assertThat(page.items()).extracting(Job::id).containsExactlyInAnyOrder(job.id(), other.id());
            Job listed = page.items().stream().filter(j -> j.id().equals(job.id())).findFirst().orElseThrow();
            assertThat(listed.version()).isEqualTo(2);
            assertThat(listed.progress().percent()).isCloseTo(60.0, within(1e-9));
            Job untouched = page.items().stream().filter(j -> j.id().equals(other.id())).findFirst().orElseThrow();
            assertThat(untouched.version()).isEqualTo(1);

            lagging.refuseWriteBehind = false;
            await().atMost(EngineTestSupport.WAIT).until(() -> lagging.find(job.id()).orElseThrow().version() == 2);
        }
    }

    @Test
    void listFiltersByProjectAndStatus() {
        Job a = running();
        Job b = create(JobStatus.PENDING);
        Job c = await(engine.create(newJob("globex", JobStatus.RUNNING, null))).job();
        JobPage acme = await(engine.list(new JobQuery(Set.of("acme"), null, null, null, null, 50, null)));
        assertThat(acme.items()).extracting(Job::id).containsExactlyInAnyOrder(a.id(), b.id());
        JobPage running = await(engine.list(new JobQuery(null, JobStatus.RUNNING, null, null, null, 50, null)));
        assertThat(running.items()).extracting(Job::id).containsExactlyInAnyOrder(a.id(), c.id());
    }

    // --- retention ---

    @Test
    void deleteExpiredRemovesOnlyFinishedJobsPastTheRetention() {
        engine.close();
        engine = JobEngine.start(store, bus, EngineOptions.defaults().withFlushInterval(Duration.ofMillis(20))
                .withClock(clock).withRetention(Duration.ofHours(1)));
        Job done = running();
        Job failed = running();
        Job stillRunning = running();
        Job pending = create(JobStatus.PENDING);
        await(engine.log(done.id(), new LogEntry(LogLevel.INFO, "bye", null)));
        await(engine.complete(done.id(), null));
        await(engine.fail(failed.id(), new JobError(null, "x")));

        clock.advance(Duration.ofMinutes(59));
        Job recent = running();
        await(engine.cancel(recent.id()));
        assertThat(engine.deleteExpired()).isZero();

        clock.advance(Duration.ofMinutes(2));
        assertThat(engine.deleteExpired()).isEqualTo(2);

        for (Job gone : List.of(done, failed)) {
            assertThat(store.find(gone.id())).isEmpty();
            assertThat(refusal(() -> engine.get(gone.id())).code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(refusal(() -> engine.progress(gone.id(), ProgressReport.of(1, 2))).code())
                    .isEqualTo(ErrorCode.NOT_FOUND);
            List<JobEvent> events = recorder.of(gone.id());
            assertThat(events.get(events.size() - 1).type()).isEqualTo(EventType.DELETED);
            assertThat(events).filteredOn(e -> e.type() == EventType.DELETED).hasSize(1);
        }
        assertThat(store.logs(done.id(), 0, 10)).isEmpty();
        assertThat(store.eventsAfter(List.of(done.id(), failed.id()), 0, 100)).isEmpty();
        for (Job kept : List.of(stillRunning, pending, recent)) {
            assertThat(await(engine.get(kept.id())).id()).isEqualTo(kept.id());
            assertThat(store.find(kept.id())).isPresent();
            assertThat(recorder.of(kept.id())).noneMatch(e -> e.type() == EventType.DELETED);
        }
        assertThat(engine.deleteExpired()).isZero();
    }

    @Test
    void aDeletedJobIsGoneFromTheCacheToo() {
        engine.close();
        engine = JobEngine.start(store, bus, EngineOptions.defaults().withFlushInterval(Duration.ofMillis(20))
                .withClock(clock).withRetention(Duration.ofSeconds(1)));
        Job job = running();
        await(engine.complete(job.id(), null));
        assertThat(engine.cached(job.id())).isPresent();
        clock.advance(Duration.ofSeconds(5));
        assertThat(engine.deleteExpired()).isEqualTo(1);
        assertThat(engine.cached(job.id())).isEmpty();
        assertThat(refusal(() -> engine.get(job.id())).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aDeletedParentIsNotWrittenBackByItsSummaryWrittenBehind() {
        engine.close();
        // flushed only at the stop: the summary the parent's child changed after the parent finished is unwritten
        engine = JobEngine.start(store, bus, EngineOptions.defaults().withFlushInterval(Duration.ofHours(1))
                .withClock(clock).withRetention(Duration.ofSeconds(1)));
        Job parent = running();
        Job child = await(engine.create(new NewJob("part", null, "acme", null, parent.id(), List.of(), null, null,
                null, false, JobStatus.RUNNING, 1, null))).job();
        await(engine.complete(parent.id(), null));
        await(engine.complete(child.id(), null));
        await().atMost(EngineTestSupport.WAIT).until(() -> engine.cached(parent.id())
                .map(p -> p.children() != null && p.children().completed() == 1).orElse(false));
        clock.advance(Duration.ofSeconds(5));

        assertThat(engine.deleteExpired()).isEqualTo(2);
        engine.close();

        assertThat(store.find(parent.id())).isEmpty();
        assertThat(store.find(child.id())).isEmpty();
    }

    // --- close ---

    @Test
    void closeFlushesPendingProgress() {
        engine.close();
        engine = EngineTestSupport.engine(store, bus, clock, Duration.ofMillis(200));
        Job job = running();
        long v = 0;
        for (int i = 1; i <= 100; i++) {
            v = await(engine.progress(job.id(), ProgressReport.of(i, 200)));
        }
        engine.close();
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.version()).isEqualTo(v);
        assertThat(stored.progress().current()).isEqualTo(100.0);
    }

    @Test
    void closeFlushesPendingProgressWhateverTheFlushInterval() {
        // EngineOptions says progress is flushed "every flushInterval"; close() says it "writes everything
        // queued and dirty, then stops". With a long interval nothing has been written when close() is called.
        JobEngine slow = EngineTestSupport.engine(store, bus, clock, Duration.ofHours(1));
        Job job = await(slow.create(newJob("acme", JobStatus.RUNNING, null))).job();
        long v = 0;
        for (int i = 1; i <= 100; i++) {
            v = await(slow.progress(job.id(), ProgressReport.of(i, 200)));
        }
        assertThat(store.find(job.id()).orElseThrow().version()).as("written behind, not yet").isEqualTo(1);
        slow.close();
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.version()).as("newest progress after close()").isEqualTo(v);
        assertThat(stored.progress().current()).isEqualTo(100.0);
    }
}
