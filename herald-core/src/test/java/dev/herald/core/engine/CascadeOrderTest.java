package dev.herald.core.engine;

import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a cascade walks the store for a cancelled root's descendants, the root is cancelled in memory but its
 * cancellation waits in the cascade's group. A child that ends meanwhile changes the root's summary: that newer
 * version must reach readers after the cancellation (not before it, to be dropped as stale), and must not be
 * flushed to the store ahead of it (a restart would find the root cancelled over a child still running).
 */
class CascadeOrderTest {
    private final EngineTestSupport.FlakyStore store = new EngineTestSupport.FlakyStore();
    private final LocalEventBus bus = EngineTestSupport.bus();
    private final EngineTestSupport.Recorder recorder = new EngineTestSupport.Recorder(bus);
    private final JobEngine engine = EngineTestSupport.engine(store, bus, new SettableClock(T0), Duration.ofMillis(5));

    @AfterEach
    void close() {
        store.listHeld = null;
        engine.close();
    }

    @Test
    void aSummaryChangedDuringTheWalkFollowsTheCancellationToReadersAndToTheStore() {
        Job root = create(null);
        Job ending = create(root.id());
        Job running = create(root.id());
        Job bystander = create(null);
        // the root's tally counted once before the walk is held (counting lists the children too)
        Job ended = create(root.id());
        await(engine.complete(ended.id(), null));
        org.awaitility.Awaitility.await().atMost(EngineTestSupport.WAIT).until(() ->
                engine.cached(root.id()).map(j -> j.children() != null && j.children().completed() == 1).orElse(false));

        CountDownLatch walk = new CountDownLatch(1);
        store.listHeld = walk;
        CompletableFuture<Job> cancel = engine.cancel(root.id());
        org.awaitility.Awaitility.await().atMost(EngineTestSupport.WAIT).until(() -> store.listsWaiting.get() > 0);
        long cancelledVersion = engine.cached(root.id()).orElseThrow().version();

        await(engine.complete(ending.id(), null));
        org.awaitility.Awaitility.await().atMost(EngineTestSupport.WAIT).until(() ->
                engine.cached(root.id()).orElseThrow().version() > cancelledVersion);
        // a flush after the summary changed: the bystander's progress is written behind with it
        long progressed = await(engine.progress(bystander.id(), ProgressReport.of(1, 2)));
        org.awaitility.Awaitility.await().atMost(EngineTestSupport.WAIT).until(() ->
                store.find(bystander.id()).orElseThrow().version() == progressed);
        assertThat(store.find(root.id()).orElseThrow().status()).as("stored while the walk goes on")
                .isEqualTo(JobStatus.RUNNING);

        walk.countDown();
        assertThat(await(cancel).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.find(running.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        org.awaitility.Awaitility.await().atMost(EngineTestSupport.WAIT).until(() ->
                store.find(root.id()).orElseThrow().equals(engine.cached(root.id()).orElseThrow()));

        List<JobEvent> ofRoot = recorder.of(root.id());
        assertThat(ofRoot).extracting(JobEvent::version).isSorted().doesNotHaveDuplicates();
        assertThat(ofRoot).filteredOn(e -> e.type() == EventType.STATUS && e.to() == JobStatus.CANCELLED)
                .extracting(JobEvent::version).containsExactly(cancelledVersion);
    }

    private Job create(String parentId) {
        return await(engine.create(new NewJob("t", null, "acme", null, parentId, List.of(), null, null, null, false,
                JobStatus.RUNNING, 1, null))).job();
    }
}
