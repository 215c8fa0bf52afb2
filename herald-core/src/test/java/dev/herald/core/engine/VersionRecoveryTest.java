package dev.herald.core.engine;

import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** A start after a crash: every unfinished job continues at a stored version above any the crash may have lost. */
class VersionRecoveryTest {
    private final EngineTestSupport.FlakyStore store = new EngineTestSupport.FlakyStore();
    private final LocalEventBus bus = new LocalEventBus();
    private final SettableClock clock = new SettableClock(T0);
    private final List<JobEngine> engines = new ArrayList<>();

    @AfterEach
    void closeAll() {
        engines.forEach(JobEngine::close);
    }

    private JobEngine start() {
        return start(bus);
    }

    private JobEngine start(LocalEventBus on) {
        return start(store, on);
    }

    private JobEngine start(JobStore through, LocalEventBus on) {
        JobEngine e = EngineTestSupport.engine(through, on, clock, Duration.ofMillis(20));
        engines.add(e);
        return e;
    }

    private static NewJob newJob(JobStatus status, String parentId) {
        return newJob("import-csv", status, parentId);
    }

    private static NewJob newJob(String type, JobStatus status, String parentId) {
        return new NewJob(type, "Import", "acme", null, parentId, List.of(), null, null, null, false, status, 1, null);
    }

    @Test
    void aReaderHoldingALostVersionGetsAHigherOneWithTheStoredStateWithoutAnotherWrite() {
        EngineTestSupport.FlakyStore crashedWrites = store.sameData();
        JobEngine crashed = start(crashedWrites, bus);
        Job job = await(crashed.create(newJob(JobStatus.RUNNING, null))).job();
        await(crashed.progress(job.id(), ProgressReport.of(40, 100)));
        Job child = await(crashed.create(newJob(JobStatus.PENDING, job.id()))).job();
        // of another type: its run in the child's type's history would make the parent's estimate depend on when
        // each engine reads that history, and the restarted engine's recount would write the parent again
        Job done = await(crashed.create(newJob("send-report", JobStatus.RUNNING, null))).job();
        Job finished = await(crashed.complete(done.id(), null));
        // the summary counting the child too, or the restarted engine's repair of it would write the parent again
        await().atMost(EngineTestSupport.WAIT).until(() -> store.find(job.id())
                .filter(j -> j.progress().percent() == 40.0 && j.children() != null && j.children().total() == 1)
                .isPresent());
        // killed: progress given out from here on is never written, and nothing else of this process either (a
        // durable batch would carry the written-behind progress along)
        crashedWrites.failing = true;
        long lost = await(crashed.progress(job.id(), ProgressReport.of(50, 100)));
        assertThat(store.find(job.id()).orElseThrow().version()).as("given out, never written").isLessThan(lost);

        clock.advance(Duration.ofSeconds(1));
        // the crashed engine lives on, its writes refused, on a bus no one here listens to
        LocalEventBus fresh = new LocalEventBus();
        EngineTestSupport.Recorder seen = new EngineTestSupport.Recorder(fresh);
        JobEngine restarted = start(fresh);

        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.version()).as("stored before any command").isGreaterThan(lost);
        assertThat(stored.progress().percent()).isCloseTo(40.0, within(1e-9));
        assertThat(await(restarted.get(job.id()))).isEqualTo(stored);
        JobEvent event = seen.of(job.id()).get(0);
        assertThat(event.type()).isEqualTo(EventType.PROGRESS);
        assertThat(event.job()).isEqualTo(stored);
        assertThat(seen.of(child.id())).singleElement().satisfies(e -> {
            assertThat(e.ancestors()).containsExactly(job.id());
            assertThat(e.version()).isGreaterThan(child.version());
        });
        assertThat(seen.of(done.id())).as("a finished job lost nothing").isEmpty();
        assertThat(store.find(done.id())).contains(finished);

        long next = await(restarted.progress(job.id(), ProgressReport.of(60, 100)));
        assertThat(next).as("versions go on from the new one").isEqualTo(stored.version() + 1);
    }

    @Test
    void everyUnfinishedJobIsRaisedPageAfterPage() {
        JobEngine before = start();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            jobs.add(await(before.create(newJob(JobStatus.PENDING, null))).job());
        }
        clock.advance(Duration.ofSeconds(1));
        start();
        for (Job job : jobs) {
            assertThat(store.find(job.id()).orElseThrow().version()).isEqualTo(job.version() + JobCache.VERSION_GAP);
        }
    }

}
