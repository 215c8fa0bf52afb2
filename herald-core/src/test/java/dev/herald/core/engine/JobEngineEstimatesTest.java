package dev.herald.core.engine;

import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.event.EventType;
import dev.herald.core.history.RunHistory;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine's estimates: history fed by finished runs, stalled and overdue judged by the engine's clock. */
class JobEngineEstimatesTest {
    private final SettableClock clock = new SettableClock(T0);
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final LocalEventBus bus = new LocalEventBus();
    private EngineTestSupport.Recorder events;
    private JobEngine engine;

    @BeforeEach
    void start() {
        events = new EngineTestSupport.Recorder(bus);
        engine = JobEngine.start(store, bus, EngineOptions.defaults().withClock(clock)
                .withStallAfter(Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private Job running() {
        return await(engine.create(new NewJob("import", null, "acme", null, null, List.of(), null, null, null,
                false, JobStatus.RUNNING, 1, null))).job();
    }

    /** A run of 10 s at 10 % a second, completed. */
    private void oneRun() {
        Job job = running();
        for (int s = 1; s <= 10; s++) {
            clock.advance(Duration.ofSeconds(1));
            await(engine.progress(job.id(), ProgressReport.of(s, 10)));
        }
        await(engine.complete(job.id(), null));
    }

    @Test
    void finishedRunsMakeTheHistoryTheNextRunsAreEstimatedFrom() {
        for (int i = 0; i < 3; i++) {
            oneRun();
        }
        await().atMost(WAIT).until(() -> store.history("acme", "import").recent().size() == 3);
        RunHistory history = await(engine.histories("acme")).get(0);
        assertThat(history.finished()).isEqualTo(3);
        assertThat(history.recent().get(0).durationMs()).isEqualTo(10_000);

        Job next = running();
        await().atMost(WAIT).untilAsserted(() -> {
            clock.advance(Duration.ofMillis(1));
            await(engine.progress(next.id(), ProgressReport.of(0, 10)));
            Eta eta = await(engine.get(next.id())).eta();
            assertThat(eta).isNotNull();
            assertThat(eta.basis()).isEqualTo(Eta.HISTORY);
            assertThat(eta.sampleSize()).isEqualTo(3);
        });
    }

    @Test
    void aSilentRunningJobIsStalledUntilItsNextWrite() {
        Job job = running();
        await(engine.progress(job.id(), ProgressReport.of(1, 10)));
        clock.advance(Duration.ofSeconds(31));
        await().atMost(WAIT).until(() -> await(engine.get(job.id())).stalled());
        assertThat(events.of(job.id())).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.PROGRESS);
            assertThat(e.job().stalled()).isTrue();
        });
        await(engine.progress(job.id(), ProgressReport.of(2, 10)));
        assertThat(await(engine.get(job.id())).stalled()).isFalse();
    }

    @Test
    void aRunPastItsHistorysNinetiethPercentileIsOverdue() {
        for (int i = 0; i < 3; i++) {
            oneRun();
        }
        await().atMost(WAIT).until(() -> store.history("acme", "import").recent().size() == 3);
        Job job = running();
        await(engine.progress(job.id(), ProgressReport.of(1, 10)));
        clock.advance(Duration.ofSeconds(11));
        await(engine.progress(job.id(), ProgressReport.of(2, 10)));
        await().atMost(WAIT).until(() -> await(engine.get(job.id())).overdue());
    }
}
