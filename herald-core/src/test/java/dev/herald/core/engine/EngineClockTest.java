package dev.herald.core.engine;

import dev.herald.core.command.NewJob;
import dev.herald.core.engine.EngineTestSupport.Recorder;
import dev.herald.core.event.EventType;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's background sweep asks its clock, not the wall, whether a job is idle or
 * past the retention: the test moves the clock by minutes and sees the sweep act at once.
 */
class EngineClockTest {
    private final SettableClock clock = new SettableClock(T0);
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final LocalEventBus bus = new LocalEventBus();
    private final Recorder recorder = new Recorder(bus);
    private JobEngine engine;

    @BeforeEach
    void start() {
        // the sweep looks every few milliseconds of real time; what it finds idle or expired is the clock's say
        engine = JobEngine.start(store, bus, EngineOptions.defaults().withClock(clock)
                .withFlushInterval(Duration.ofMillis(20)).withRetentionSweep(Duration.ofMillis(10))
                .withCacheIdle(Duration.ofMinutes(10)).withRetention(Duration.ofHours(1)));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private Job running() {
        return await(engine.create(new NewJob("t", null, "acme", null, null, null, null, null, null, false,
                JobStatus.RUNNING, 1, null))).job();
    }

    private boolean deleted(Job job) {
        return recorder.of(job.id()).stream().anyMatch(e -> e.type() == EventType.DELETED);
    }

    @Test
    void aJobIdleByTheClockLeavesMemory() {
        Job idle = running();
        Job busy = running();
        clock.advance(Duration.ofMinutes(9));
        await(engine.heartbeat(busy.id()));
        clock.advance(Duration.ofMinutes(2));

        await().atMost(WAIT).until(() -> engine.cached(idle.id()).isEmpty());
        assertThat(engine.cached(busy.id())).as("touched two minutes ago by the clock").isPresent();
        assertThat(await(engine.get(idle.id())).status()).as("only memory let go of it").isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aFinishedJobIsDeletedOnceTheClockPassesTheRetention() {
        Job old = running();
        await(engine.complete(old.id(), null));
        Job unfinished = running();
        clock.advance(Duration.ofMinutes(59));
        Job recent = running();
        await(engine.complete(recent.id(), null));
        clock.advance(Duration.ofMinutes(2));

        await().atMost(WAIT).until(() -> deleted(old));
        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.find(recent.id())).as("finished two minutes ago by the clock").isPresent();
        assertThat(store.find(unfinished.id())).isPresent();
        assertThat(deleted(recent) || deleted(unfinished)).isFalse();
    }
}
