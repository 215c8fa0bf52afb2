package dev.herald.core.engine;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static dev.herald.core.engine.EngineTestSupport.unwrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Children summaries stay exact when children are created at the last moment, after a crash, and under load. */
class ChildrenSummaryRepairTest {
    private final SettableClock clock = new SettableClock(T0);
    private JobEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private static NewJob job(String parentId, JobStatus status, boolean completeWithChildren) {
        return new NewJob("t", null, "acme", null, parentId, List.of(), null, null, null, completeWithChildren,
                status, 1, null);
    }

    private Job create(String parentId, JobStatus status, boolean completeWithChildren) {
        return await(engine.create(job(parentId, status, completeWithChildren))).job();
    }

    private Job current(String id) {
        return await(engine.get(id));
    }

    @Test
    void aParentNeverFinishesByItsChildrenWhileOneIsBeingCreated() {
        EngineTestSupport.FlakyStore store = new EngineTestSupport.FlakyStore();
        engine = EngineTestSupport.engine(store, new LocalEventBus(), clock, Duration.ofMillis(20));
        for (int round = 0; round < 5; round++) {
            Job parent = create(null, JobStatus.RUNNING, true);
            Job only = create(parent.id(), JobStatus.RUNNING, false);
            await().atMost(WAIT).until(() -> current(parent.id()).children() != null);
            // the last child ends, and a new one is accepted but held back from the store until the summary has
            // counted the end: that is when a parent unaware of the new child would finish
            await(engine.complete(only.id(), null));
            CountDownLatch release = new CountDownLatch(1);
            store.held = release;
            CompletableFuture<JobEngine.Created> late = engine.create(job(parent.id(), JobStatus.PENDING, false));
            await().atMost(WAIT).until(() -> current(parent.id()).children().completed() == 1);
            store.held = null;
            release.countDown();
            try {
                late.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the parent finished before the create came: refused, and nobody is orphaned
                assertThat(((HeraldException) unwrap(e)).code()).isEqualTo(ErrorCode.JOB_FINISHED);
                assertThat(current(parent.id()).status()).isEqualTo(JobStatus.COMPLETED);
                continue;
            }
            await().atMost(WAIT).until(() -> current(parent.id()).children().total() == 2);
            Job p = current(parent.id());
            assertThat(p.status()).as("round %d: %s", round, p.children()).isEqualTo(JobStatus.RUNNING);
            assertThat(p.children().pending()).isEqualTo(1);
        }
    }

    @Test
    void aSteadyStreamOfNewChildrenNeverHoldsTheSummaryBack() throws Exception {
        engine = EngineTestSupport.engine(new InMemoryJobStore(), new LocalEventBus(), clock, Duration.ofMillis(20));
        Job parent = create(null, JobStatus.RUNNING, true);
        java.util.concurrent.atomic.AtomicBoolean creating = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread creator = new Thread(() -> {
            while (creating.get()) {
                create(parent.id(), JobStatus.RUNNING, false);
            }
        });
        creator.start();
        try {
            // the summary follows while children keep coming, not once they stop
            await().atMost(WAIT).until(() -> {
                ChildrenSummary c = current(parent.id()).children();
                return c != null && c.total() >= 50;
            });
            assertThat(creator.isAlive()).isTrue();
        } finally {
            creating.set(false);
            creator.join();
        }
    }

    @Test
    void afterARestartStaleSummariesAreCountedAgainAndAParentWhoseChildrenEndedFinishes() {
        InMemoryJobStore store = new InMemoryJobStore();
        // what a crash can leave: the children's transitions are durable, their parents' summaries are not
        Job root = stored(null, JobStatus.RUNNING, false, new ChildrenSummary(1, 0, 0, 1, 0, 0, 0, 0));
        Job parent = stored(root.id(), JobStatus.RUNNING, true, new ChildrenSummary(2, 0, 0, 2, 0, 0, 0, 0));
        Job done = stored(parent.id(), JobStatus.COMPLETED, false, null);
        Job failed = stored(parent.id(), JobStatus.FAILED, false, null);
        WriteBatch batch = new WriteBatch().job(root).job(parent).job(done).job(failed);
        for (Job j : List.of(root, parent, done, failed)) {
            batch.event(JobEvent.status(j, null));
        }
        store.write(batch);

        engine = EngineTestSupport.engine(store, new LocalEventBus(), clock, Duration.ofMillis(20));
        await().atMost(WAIT).untilAsserted(() -> {
            Job p = current(parent.id());
            assertThat(p.status()).as("it had failed children: %s", p.children()).isEqualTo(JobStatus.FAILED);
            assertThat(p.children().text()).isEqualTo("0 pending, 0 running, 1 completed, 1 failed");
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(current(root.id()).children().text())
                .as("the grandparent hears of it").isEqualTo("0 pending, 0 running, 0 completed, 1 failed"));
    }

    private Job stored(String parentId, JobStatus status, boolean completeWithChildren, ChildrenSummary children) {
        Job.Builder b = new Job.Builder().id(IdGenerator.newJobId()).type("t").project("acme").parentId(parentId)
                .status(status).completeWithChildren(completeWithChildren).children(children)
                .createdAt(T0).updatedAt(T0).startedAt(T0).version(3);
        if (status.isTerminal()) {
            b.finishedAt(T0);
        }
        return b.build();
    }

    @Test
    void aParentBusyWithItsOwnWritesStillGetsItsSummary() throws Exception {
        // the store holds the parent's log write back: the summary must not wait for it
        EngineTestSupport.FlakyStore store = new EngineTestSupport.FlakyStore();
        engine = EngineTestSupport.engine(store, new LocalEventBus(), clock, Duration.ofMillis(20));
        Job parent = create(null, JobStatus.RUNNING, false);
        Job child = create(parent.id(), JobStatus.RUNNING, false);
        await().atMost(WAIT).until(() -> current(parent.id()).children() != null);

        CountDownLatch release = new CountDownLatch(1);
        store.held = release;
        CompletableFuture<?> log = engine.log(parent.id(), new LogEntry(LogLevel.INFO, "busy", null));
        await(engine.progress(child.id(), new ProgressReport(null, null, null, null, null, 40.0, null, null)));
        try {
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(current(parent.id()).children().percent()).isEqualTo(40.0));
            assertThat(log).as("the parent's own write is still held").isNotDone();
        } finally {
            release.countDown();
        }
        await(log);
    }
}
