package dev.herald.core.engine;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.EngineTestSupport.Recorder;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobEngineConcurrencyTest {
    private static final int THREADS = 8;

    private InMemoryJobStore store;
    private LocalEventBus bus;
    private Recorder recorder;
    private JobEngine engine;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        store = new InMemoryJobStore();
        bus = new LocalEventBus();
        recorder = new Recorder(bus);
        engine = EngineTestSupport.engine(store, bus, new SettableClock(T0), Duration.ofMillis(20));
        pool = Executors.newFixedThreadPool(20);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        engine.close();
    }

    private Job running() {
        return await(engine.create(new NewJob("t", null, "acme", null, null, null, null, null, null, false,
                JobStatus.RUNNING, 1, null))).job();
    }

    /** 8 threads, each {@code perThread} commands alternating progress and logs on the given jobs. */
    private List<CompletableFuture<?>> hammer(List<Job> jobs, int perThread) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<CompletableFuture<?>> futures = new ConcurrentLinkedQueue<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    Job job = jobs.get((thread + i) % jobs.size());
                    if (i % 4 == 3) {
                        futures.add(engine.log(job.id(), new LogEntry(LogLevel.INFO, "t" + thread + " #" + i, null)));
                    } else {
                        futures.add(engine.progress(job.id(), ProgressReport.of(thread * 1000 + i, 1_000_000)));
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> w : workers) {
            w.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        List<CompletableFuture<?>> all = new ArrayList<>(futures);
        for (CompletableFuture<?> f : all) {
            await(f);
        }
        return all;
    }

    private void awaitLastVersionPublished(Job job) {
        long newest = await(engine.get(job.id())).version();
        await().atMost(WAIT).until(() -> recorder.of(job.id()).stream().anyMatch(e -> e.version() == newest));
    }

    @Test
    void eventsOfOneJobArriveInStrictlyIncreasingVersionOrder() throws Exception {
        Job job = running();
        int perThread = 400;
        hammer(List.of(job), perThread);
        awaitLastVersionPublished(job);

        List<JobEvent> events = recorder.of(job.id());
        long last = 0;
        for (JobEvent e : events) {
            assertThat(e.version()).as("event %s after version %d", e.type(), last).isGreaterThan(last);
            if (e.job() != null) {
                assertThat(e.job().version()).isEqualTo(e.version());
            }
            last = e.version();
        }
        long finalVersion = await(engine.get(job.id())).version();
        assertThat(finalVersion).isEqualTo(1 + THREADS * perThread);
        assertThat(last).isEqualTo(finalVersion);
        // log events are never dropped, and each log line is a version of its own
        assertThat(events).filteredOn(e -> e.type() == EventType.LOG).hasSize(THREADS * perThread / 4);
        List<LogLine> logs = await(engine.logs(job.id(), 0, 10_000));
        assertThat(logs).extracting(LogLine::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, THREADS * perThread / 4)
                        .boxed().toList());
    }

    @Test
    void retainedEventsGetIncreasingPositionsAndProgressNeverRunsAhead() throws Exception {
        Job job = running();
        hammer(List.of(job), 300);
        awaitLastVersionPublished(job);

        long lastRetained = 0;
        int progress = 0;
        for (JobEvent e : recorder.of(job.id())) {
            if (e.type().isRetained()) {
                assertThat(e.position()).as("retained %s v%d", e.type(), e.version()).isGreaterThan(lastRetained);
                lastRetained = e.position();
            } else {
                assertThat(e.type()).isEqualTo(EventType.PROGRESS);
                assertThat(e.position()).as("progress v%d", e.version()).isGreaterThanOrEqualTo(lastRetained);
                progress++;
            }
        }
        assertThat(progress).isPositive();
        assertThat(engine.streams().position()).isEqualTo(lastRetained);
        // the store kept the retained events with the same positions, in order
        List<JobEvent> stored = store.eventsAfter(List.of(job.id()), 0, 100_000);
        assertThat(stored).containsExactlyElementsOf(
                recorder.of(job.id()).stream().filter(e -> e.type().isRetained()).toList());
    }

    @Test
    void eventsOfManyJobsStayInOrderPerJob() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(running());
        }
        hammer(jobs, 300);
        for (Job job : jobs) {
            awaitLastVersionPublished(job);
        }
        for (Job job : jobs) {
            long lastVersion = 0;
            long lastRetained = 0;
            for (JobEvent e : recorder.of(job.id())) {
                assertThat(e.version()).isGreaterThan(lastVersion);
                lastVersion = e.version();
                if (e.type().isRetained()) {
                    assertThat(e.position()).isGreaterThan(lastRetained);
                    lastRetained = e.position();
                } else {
                    assertThat(e.position()).isGreaterThanOrEqualTo(lastRetained);
                }
            }
        }
        // retained positions are unique and increasing across the whole stream
        List<Long> positions = recorder.all().stream().filter(e -> e.type().isRetained())
                .map(JobEvent::position).toList();
        assertThat(positions).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aProgressEventIsNeverBehindTheRetainedEventsPublishedBeforeIt() {
        // one caller, several jobs: "published before" is the order the calls completed in
        List<Job> jobs = List.of(running(), running(), running());
        for (int i = 0; i < 300; i++) {
            Job job = jobs.get(i % 3);
            if (i % 3 == 1) {
                await(engine.log(job.id(), new LogEntry(LogLevel.INFO, "x" + i, null)));
            } else {
                await(engine.progress(job.id(), ProgressReport.of(i, 1000)));
            }
        }
        for (Job job : jobs) {
            awaitLastVersionPublished(job);
        }
        long lastRetained = 0;
        for (JobEvent e : recorder.all()) {
            if (e.type().isRetained()) {
                assertThat(e.position()).isGreaterThan(lastRetained);
                lastRetained = e.position();
            } else {
                assertThat(e.position()).isGreaterThanOrEqualTo(lastRetained);
            }
        }
    }

    @Test
    void concurrentCreatesWithOneKeyMakeOneJob() throws Exception {
        for (int round = 0; round < 10; round++) {
            String key = "key-" + round;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CompletableFuture<JobEngine.Created>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return engine.create(new NewJob("t", null, "acme", null, null, null, null, null, null, false,
                            null, 1, key));
                }));
            }
            go.countDown();
            List<JobEngine.Created> results = new ArrayList<>();
            for (Future<CompletableFuture<JobEngine.Created>> c : calls) {
                results.add(await(c.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)));
            }
            assertThat(results).extracting(r -> r.job().id()).as("round %d", round).containsOnly(
                    results.get(0).job().id());
            assertThat(results).filteredOn(JobEngine.Created::isNew).as("round %d", round).hasSize(1);
            assertThat(store.jobIdForIdempotencyKey("acme", key)).contains(results.get(0).job().id());
        }
        assertThat(store.list(new JobQuery(null, null, null, null, null, 500, null)).items()).hasSize(10);
        assertThat(recorder.all()).filteredOn(e -> e.type() == EventType.STATUS).hasSize(10);
    }
}
