package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.LocalEventBus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Helpers shared by the engine tests. */
final class EngineTestSupport {
    static final Instant T0 = Instant.parse("2025-03-14T09:26:53.589Z");
    static final Duration WAIT = Duration.ofSeconds(10);

    private EngineTestSupport() {
    }

    /** Every event the bus carried, in the order listeners saw them. */
    static final class Recorder {
        final Queue<JobEvent> events = new ConcurrentLinkedQueue<>();

        Recorder(EventBus bus) {
            bus.subscribe(events::add);
        }

        List<JobEvent> of(String jobId) {
            return events.stream().filter(e -> e.jobId().equals(jobId)).toList();
        }

        List<JobEvent> all() {
            return List.copyOf(events);
        }
    }

    /**
     * A store whose writes can be made to fail, around the in-memory reference store. With
     * {@code refuseWriteBehind} it refuses only the store writer's batches that carry nothing but job states (the
     * engine's write-behind flushes of progress, not a start's recovery), so a test can hold progress back from
     * the store deterministically.
     */
    static final class FlakyStore implements JobStore {
        final InMemoryJobStore delegate;
        volatile boolean failing;
        volatile boolean refuseWriteBehind;
        final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        /** When set, every write waits for it: the test holds the store writer back. */
        volatile java.util.concurrent.CountDownLatch held;
        /** Writes waiting for {@link #held} right now: the writer is held with a change that is not durable. */
        final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

        FlakyStore() {
            this(new InMemoryJobStore());
        }

        private FlakyStore(InMemoryJobStore delegate) {
            this.delegate = delegate;
        }

        /**
         * The same stored jobs behind switches of their own: what another process on the same database writes
         * through, so one engine's writes can be refused (its process killed) while another's go on.
         */
        FlakyStore sameData() {
            return new FlakyStore(delegate);
        }

        @Override public String epoch() { return delegate.epoch(); }
        @Override public long lastPosition() { return delegate.lastPosition(); }

        @Override
        public dev.herald.core.port.WriteResult write(dev.herald.core.port.WriteBatch batch) {
            waitFor(held, waiting);
            if (failing) {
                throw new IllegalStateException("disk on fire");
            }
            if (refuseWriteBehind && batch.events().isEmpty() && batch.keys().isEmpty() && batch.deletions().isEmpty()
                    && Thread.currentThread().getName().equals("herald-store-writer")) {
                throw new IllegalStateException("write-behind held back by the test");
            }
            writes.incrementAndGet();
            return delegate.write(batch);
        }

        /** How many times a job was looked up in the store. */
        final java.util.concurrent.atomic.AtomicInteger finds = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public java.util.Optional<dev.herald.core.model.Job> find(String id) {
            finds.incrementAndGet();
            return delegate.find(id);
        }
        /** When set, every listing waits for it (a cascade's walk of the store): the test holds the walk back. */
        volatile java.util.concurrent.CountDownLatch listHeld;
        /** Listings waiting for {@link #listHeld} right now. */
        final java.util.concurrent.atomic.AtomicInteger listsWaiting = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public JobPage list(JobQuery query) {
            waitFor(listHeld, listsWaiting);
            return delegate.list(query);
        }

        private static void waitFor(java.util.concurrent.CountDownLatch latch,
                                    java.util.concurrent.atomic.AtomicInteger waiting) {
            if (latch == null) {
                return;
            }
            waiting.incrementAndGet();
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }
        @Override public java.util.Map<dev.herald.core.model.JobStatus, Long> countByStatus(JobQuery query) {
            return delegate.countByStatus(query);
        }
        @Override public List<JobEvent> eventsAfter(java.util.Collection<String> ids, long after, int limit) {
            return delegate.eventsAfter(ids, after, limit);
        }
        @Override public List<JobEvent> eventsBetween(long after, long upTo, int limit) {
            return delegate.eventsBetween(after, upTo, limit);
        }
        @Override public List<JobEvent> projectEventsAfter(String project, long after, int limit) {
            return delegate.projectEventsAfter(project, after, limit);
        }
        @Override public List<dev.herald.core.model.LogLine> logs(String jobId, long after, int limit) {
            return delegate.logs(jobId, after, limit);
        }
        @Override public long lastLogSeq(String jobId) { return delegate.lastLogSeq(jobId); }
        @Override public java.util.Optional<String> jobIdForIdempotencyKey(String project, String key) {
            return delegate.jobIdForIdempotencyKey(project, key);
        }
        @Override public List<dev.herald.core.model.Job> unfinished(String afterId, int limit) {
            return delegate.unfinished(afterId, limit);
        }
        @Override public List<dev.herald.core.model.Job> finishedBefore(Instant cutoff, int limit) {
            return delegate.finishedBefore(cutoff, limit);
        }
        @Override public java.util.Set<String> parentsOfJobsWithEventsAfter(long position) {
            return delegate.parentsOfJobsWithEventsAfter(position);
        }
        /** The size of each batch of finished runs the engine recorded, in order. */
        final Queue<Integer> runBatches = new ConcurrentLinkedQueue<>();
        /** When set, recording runs waits for it: the test holds a batch in the store. */
        volatile java.util.concurrent.CountDownLatch runsHeld;

        @Override
        public void recordRuns(List<dev.herald.core.history.RunRecord> runs) {
            runBatches.add(runs.size());
            java.util.concurrent.CountDownLatch latch = runsHeld;
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.recordRuns(runs);
        }
        @Override public dev.herald.core.history.RunHistory history(String project, String type) {
            return delegate.history(project, type);
        }
        @Override public List<dev.herald.core.history.RunHistory> histories(String project) {
            return delegate.histories(project);
        }
        @Override public int pruneHistory(Instant cutoff) { return delegate.pruneHistory(cutoff); }
        @Override public java.util.Optional<String> claimNext(dev.herald.core.port.ClaimQuery query) {
            return delegate.claimNext(query);
        }
        @Override public List<String> expiredLeases(Instant now, int limit) {
            return delegate.expiredLeases(now, limit);
        }
        @Override public java.util.Optional<dev.herald.core.model.RawJson> input(String jobId) {
            return delegate.input(jobId);
        }
        @Override public void ping() { }
        @Override public void close() { }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Waits for the future's value, failing the test on a timeout or an exception. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = unwrap(e);
            throw new AssertionError("expected success, got " + cause, cause);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The HeraldException the call failed with, whether it threw at once or its future failed. */
    static HeraldException refusal(Supplier<? extends CompletableFuture<?>> call) {
        Throwable cause;
        try {
            CompletableFuture<?> f = call.get();
            f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return fail("expected a HeraldException, but the call succeeded");
        } catch (ExecutionException | CompletionException e) {
            cause = unwrap(e);
        } catch (HeraldException e) {
            cause = e;
        } catch (TimeoutException e) {
            return fail("no answer within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(cause).isInstanceOf(HeraldException.class);
        return (HeraldException) cause;
    }

    static JobEngine engine(JobStore store, EventBus bus, Clock clock, Duration flush) {
        return JobEngine.start(store, bus, EngineOptions.defaults().withFlushInterval(flush).withClock(clock));
    }

    static LocalEventBus bus() {
        return new LocalEventBus();
    }
}
