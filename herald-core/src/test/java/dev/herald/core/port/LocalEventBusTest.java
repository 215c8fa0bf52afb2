package dev.herald.core.port;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What only the local bus promises; what every bus promises is EventBusContract's, run in herald-testkit. */
class LocalEventBusTest {
    private static final Job JOB = new Job.Builder().id("j_b").type("t").project("p").status(JobStatus.RUNNING)
            .createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).version(1).build();

    @Test
    void listenersRunOnThePublishersThreadBeforePublishReturns() {
        try (LocalEventBus bus = new LocalEventBus()) {
            List<Thread> threads = new ArrayList<>();
            bus.subscribe(e -> threads.add(Thread.currentThread()));
            bus.subscribe(e -> threads.add(Thread.currentThread()));
            bus.publish(JobEvent.progress(JOB).at(1));
            assertThat(threads).containsExactly(Thread.currentThread(), Thread.currentThread());
        }
    }
}
