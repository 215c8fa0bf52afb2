package dev.herald.client;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One watch's deliveries on a shared pool: in the order given, one at a time, past a failing listener. */
class SerialExecutorTest {

    @Test
    void tasksRunInOrderOneAtATimeOnAManyThreadPool() {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> ran = new CopyOnWriteArrayList<>();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            IntStream.range(0, 2000).forEach(i -> serial.execute(() -> {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                ran.add(i);
                inside.decrementAndGet();
            }));
            await().until(() -> ran.size() == 2000);
            assertThat(ran).isSorted();
            assertThat(overlaps).hasValue(0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOnesAfterIt() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<String> ran = new CopyOnWriteArrayList<>();
            serial.execute(() -> {
                throw new IllegalStateException("a listener's bug");
            });
            serial.execute(() -> ran.add("after"));
            await().until(() -> ran.contains("after"));
        } finally {
            pool.shutdownNow();
        }
    }
}
