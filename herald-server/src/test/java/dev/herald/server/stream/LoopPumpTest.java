package dev.herald.server.stream;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loop's fan-out lets other work on the loop (a worker's request) in between once a slice's time is up, however
 * few readers that took: a reader whose write is slow (a loaded machine) must not hold the loop for a whole slice
 * of readers. Events published while a round runs reach each reader together in the next, so a transport can send
 * them in one write.
 */
class LoopPumpTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    private static final Job JOB = new Job.Builder().id("j").type("t").project("p").status(JobStatus.RUNNING)
            .createdAt(T).updatedAt(T).version(2).build();

    private Vertx vertx;
    private Context context;
    private LoopPump pump;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        pump = new LoopPump(context);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void workQueuedOnTheLoopDuringAFanOutRunsBeforeTheFanOutEnds() throws Exception {
        int readers = 200;
        // each reader costs a twentieth of a slice, so one slice cannot hand the event to them all
        long cost = LoopPump.SLICE_NANOS / 20;
        List<String> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Set<FanOut.Subscriber> subscribers = new LinkedHashSet<>();
        for (int i = 0; i < readers; i++) {
            int n = i;
            subscribers.add(event -> {
                if (n == 0) {
                    context.runOnContext(v -> order.add("request"));
                }
                long start = System.nanoTime();
                while (System.nanoTime() - start < cost) {
                    Thread.onSpinWait(); // the reader's write, taking its time
                }
                order.add("reader " + n);
                if (n == readers - 1) {
                    done.countDown();
                }
            });
        }
        pump.add(new EncodedEvent(JobEvent.progress(JOB), "e"), subscribers);

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(order.indexOf("request")).isBetween(1, readers - 1);
        assertThat(order.stream().filter(s -> s.startsWith("reader")).toList())
                .isEqualTo(IntStream.range(0, readers).mapToObj(n -> "reader " + n).toList());
    }

    @Test
    void eventsQueuedDuringARoundReachEachReaderTogetherInTheNext() throws Exception {
        List<EncodedEvent> events = IntStream.range(0, 4)
                .mapToObj(i -> new EncodedEvent(JobEvent.progress(JOB).at(i + 1), "e")).toList();
        Set<FanOut.Subscriber> subscribers = new LinkedHashSet<>();
        List<List<Long>> rounds = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            subscribers.add(new FanOut.Subscriber() {
                @Override
                public void deliver(EncodedEvent event) {
                    deliver(List.of(event));
                }

                @Override
                public void deliver(List<EncodedEvent> got) {
                    rounds.add(got.stream().map(e -> e.event().position()).toList());
                    if (rounds.size() == 1) {
                        // published while the loop hands out the first: the loop owes them to every reader
                        events.subList(1, 4).forEach(e -> pump.add(e, subscribers));
                    }
                    if (got.contains(events.get(3))) {
                        done.countDown();
                    }
                }
            });
        }
        pump.add(events.get(0), subscribers);

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(rounds).containsExactly(List.of(1L), List.of(1L), List.of(2L, 3L, 4L), List.of(2L, 3L, 4L));
    }
}
