package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.port.ClaimQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import dev.herald.core.port.WriteConflict;
import dev.herald.core.port.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static dev.herald.testkit.JobStoreFixture.ACME;
import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link JobStore} that several nodes share must do beyond {@link JobStoreContract}
 * (docs/cluster.md §3): positions dense and in commit order while nodes write at once, so
 * a reader that sees position P sees everything up to P; conflicts between nodes
 * reported, never dropped; and each queued job answered to one claim, whichever node asks. An adapter's test says how to open a node's store.
 */
public abstract class SharedStoreContract {
    private static final int WRITERS_PER_NODE = 2;
    private static final int BATCHES_PER_WRITER = 150;

    private final List<JobStore> nodes = new ArrayList<>();

    /** A node's store on a new, empty database; called once per test, first. */
    protected abstract JobStore newStore() throws Exception;

    /** Another node's store on the database of {@link #newStore}. */
    protected abstract JobStore anotherNode() throws Exception;

    /** Called after each test, once the stores are closed, to remove what {@link #newStore} made. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    void openNodes() throws Exception {
        nodes.add(newStore());
        nodes.add(anotherNode());
    }

    @AfterEach
    void closeNodes() throws Exception {
        try {
            nodes.forEach(JobStore::close);
        } finally {
            cleanUp();
        }
    }

    @Test
    void claimersOnTwoNodesTakeEveryQueuedJobExactlyOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 60; i++) {
            Job job = TestJobs.pending(ACME).type("shared.work").status(JobStatus.QUEUED)
                    .createdAt(T0.plusMillis(i)).build();
            batch.job(job);
            ids.add(job.id());
        }
        nodes.get(0).write(batch);
        ConcurrentLinkedQueue<String> taken = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                JobStore node = nodes.get(c % nodes.size());
                claimers.add(threads.submit(() -> {
                    java.util.Optional<String> id;
                    while ((id = node.claimNext(new ClaimQuery(java.util.Set.of("shared.work"), null, T0,
                            T0.plusSeconds(30)))).isPresent()) {
                        taken.add(id.get());
                    }
                }));
            }
            for (Future<?> f : claimers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdown();
        }
        assertThat(taken).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void positionsAreDenseAndInCommitOrderWhileNodesWriteAtOnce() throws Exception {
        int writers = nodes.size() * WRITERS_PER_NODE;
        ExecutorService threads = Executors.newFixedThreadPool(writers + 1);
        ConcurrentLinkedQueue<WriteResult> results = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                JobStore node = nodes.get(w % nodes.size());
                writes.add(threads.submit(() -> writeBatches(node, results)));
            }
            Future<Long> reader = threads.submit(() -> readInOrder(nodes.get(0), writing));
            for (Future<?> write : writes) {
                write.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            long read = reader.get(1, TimeUnit.MINUTES);

            List<Long> given = new ArrayList<>();
            for (WriteResult result : results) {
                List<Long> positions = result.events().stream().map(JobEvent::position).toList();
                assertThat(positions).as("one batch's positions follow one another")
                        .isEqualTo(LongStream.range(0, positions.size()).map(i -> positions.get(0) + i).boxed().toList());
                given.addAll(positions);
            }
            assertThat(given).as("positions given out once each, without gaps").containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, given.size()).boxed().toList());
            assertThat(read).isEqualTo(given.size());
            for (JobStore node : nodes) {
                assertThat(node.lastPosition()).isEqualTo(given.size());
            }
        } finally {
            writing.set(false);
            threads.shutdownNow();
        }
    }

    private static void writeBatches(JobStore node, ConcurrentLinkedQueue<WriteResult> results) {
        Job job = TestJobs.running(ACME).build();
        for (int i = 0; i < BATCHES_PER_WRITER; i++) {
            job = TestJobs.next(job).build();
            WriteBatch batch = new WriteBatch().job(job).event(JobEvent.status(job, JobStatus.RUNNING));
            for (int line = 0; line < i % 3; line++) {
                batch.event(JobEvent.log(job, new LogLine(i * 3L + line + 1, T0, LogLevel.INFO, "line", null)));
            }
            results.add(node.write(batch));
        }
    }

    /**
     * Reads the project's events from the last position seen on, while the writers write: each
     * read must bring the very next positions, never one past a gap. Answers the last position read.
     */
    private static long readInOrder(JobStore node, AtomicBoolean writing) {
        long seen = 0;
        boolean more = true;
        while (more) {
            boolean last = !writing.get();
            List<JobEvent> events = node.projectEventsAfter(ACME, seen, 500);
            for (JobEvent e : events) {
                assertThat(e.position()).as("a reader at %d sees everything up to the positions it reads", seen)
                        .isEqualTo(seen + 1);
                seen = e.position();
            }
            more = !last || !events.isEmpty();
        }
        return seen;
    }

    @Test
    void anOlderVersionFromAnotherNodeIsAConflict() {
        Job job = TestJobs.running(ACME).version(7).build();
        nodes.get(0).write(new WriteBatch().job(job));
        assertThatThrownBy(() -> nodes.get(1).write(new WriteBatch().job(job.toBuilder().version(6).build())))
                .isInstanceOfSatisfying(WriteConflict.class, c -> assertThat(c.staleJobs()).containsExactly(job.id()));
        assertThat(nodes.get(1).find(job.id())).contains(job);
    }

    @Test
    void aKeyTakenOnAnotherNodeIsAConflictNamingItsJob() {
        Job first = TestJobs.pending(ACME).build();
        Job second = TestJobs.pending(ACME).build();
        nodes.get(0).write(new WriteBatch().job(first).event(JobEvent.status(first, null))
                .key(new IdempotencyKey(ACME, "order-7", first.id())));
        assertThatThrownBy(() -> nodes.get(1).write(new WriteBatch().job(second).event(JobEvent.status(second, null))
                .key(new IdempotencyKey(ACME, "order-7", second.id()))))
                .isInstanceOfSatisfying(WriteConflict.class, c -> assertThat(c.takenKeys())
                        .containsExactly(new IdempotencyKey(ACME, "order-7", first.id())));
        assertThat(nodes.get(1).find(second.id())).isEmpty();
        assertThat(nodes.get(0).lastPosition()).isEqualTo(1);
    }
}
