package dev.herald.core.engine;

import dev.herald.core.command.NewJob;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.LocalEventBus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Finished runs join the estimates' history in batches: those that finish while one is recorded go in the next. */
class FinishedRunsBatchTest {
    @Test
    void runsThatFinishWhileABatchIsRecordedAreRecordedTogether() {
        EngineTestSupport.FlakyStore store = new EngineTestSupport.FlakyStore();
        store.runsHeld = new CountDownLatch(1);
        try (JobEngine engine = JobEngine.start(store, new LocalEventBus(), EngineOptions.defaults())) {
            finishOne(engine);
            await().atMost(WAIT).until(() -> store.runBatches.size() == 1);
            for (int i = 0; i < 20; i++) {
                finishOne(engine);
            }
            store.runsHeld.countDown();
            await().atMost(WAIT).until(() -> store.delegate.history("acme", "import").finished() == 21);
            assertThat(store.runBatches).containsExactly(1, 20);
            assertThat(store.delegate.history("acme", "import").recent()).hasSize(21);
        }
    }

    @Test
    void aBatchIsAtMostTheRunsOfOneTransaction() {
        EngineTestSupport.FlakyStore store = new EngineTestSupport.FlakyStore();
        store.runsHeld = new CountDownLatch(1);
        int runs = Estimates.RUNS_AT_ONCE + 2;
        try (JobEngine engine = JobEngine.start(store, new LocalEventBus(), EngineOptions.defaults())) {
            finishOne(engine);
            await().atMost(WAIT).until(() -> store.runBatches.size() == 1);
            for (int i = 1; i < runs; i++) {
                finishOne(engine);
            }
            store.runsHeld.countDown();
            await().atMost(WAIT).until(() -> store.delegate.history("acme", "import").finished() == runs);
            assertThat(store.runBatches).containsExactly(1, Estimates.RUNS_AT_ONCE, 1);
        }
    }

    @Test
    void runsWaitingToBeRecordedAreRecordedWhenTheEngineCloses() {
        EngineTestSupport.FlakyStore store = new EngineTestSupport.FlakyStore();
        try (JobEngine engine = JobEngine.start(store, new LocalEventBus(), EngineOptions.defaults())) {
            for (int i = 0; i < 3; i++) {
                finishOne(engine);
            }
        }
        await().atMost(WAIT).until(() -> store.delegate.history("acme", "import").finished() == 3);
    }

    private static void finishOne(JobEngine engine) {
        String id = await(engine.create(new NewJob("import", null, "acme", null, null, List.of(), null, null, null,
                false, JobStatus.RUNNING, 1, null))).job().id();
        await(engine.complete(id, null));
    }
}
