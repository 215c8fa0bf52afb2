package dev.herald.core.port;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalEventBusTest {
    private static final Job JOB = new Job.Builder().id("j_b").type("t").project("p").status(JobStatus.RUNNING)
            .createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).version(1).build();

    @Test
    void everyListenerGetsEveryEventInOrderOnThePublishersThread() throws Exception {
        try (LocalEventBus bus = new LocalEventBus()) {
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            Thread me = Thread.currentThread();
            List<Thread> threads = new ArrayList<>();
            bus.subscribe(e -> {
                a.add(e.jobId() + "@" + e.position());
                threads.add(Thread.currentThread());
            });
            AutoCloseable hb = bus.subscribe(e -> b.add(e.jobId() + "@" + e.position()));
            bus.publish(JobEvent.progress(JOB).at(1));
            bus.publish(JobEvent.progress(JOB).at(2));
            hb.close();
            bus.publish(JobEvent.progress(JOB).at(3));
            assertThat(a).containsExactly("j_b@1", "j_b@2", "j_b@3");
            assertThat(b).containsExactly("j_b@1", "j_b@2");
            assertThat(threads).containsOnly(me);
        }
    }

    @Test
    void closeRemovesEveryListener() {
        LocalEventBus bus = new LocalEventBus();
        List<JobEvent> got = new ArrayList<>();
        bus.subscribe(got::add);
        bus.close();
        bus.publish(JobEvent.progress(JOB));
        assertThat(got).isEmpty();
    }
}
