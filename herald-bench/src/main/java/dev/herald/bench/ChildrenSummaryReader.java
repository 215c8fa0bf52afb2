package dev.herald.bench;

import dev.herald.client.Herald;
import dev.herald.client.Watch;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ChildrenSummary;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** An SDK {@link Watch} of the parent: counts its children events and tells when a summary shows. */
final class ChildrenSummaryReader implements AutoCloseable {
    private record Awaited(Predicate<ChildrenSummary> summary, CompletableFuture<long[]> seen) {
    }

    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final AtomicLong childrenEvents = new AtomicLong();
    private final List<Awaited> awaited = new CopyOnWriteArrayList<>();
    private final Herald herald;
    private final Watch watch;
    private volatile ChildrenSummary latest;

    private ChildrenSummaryReader(Target t, String job) {
        this.herald = Herald.remote(t.url(), t.token);
        this.watch = herald.watch(job, this::onEvent);
    }

    static ChildrenSummaryReader open(Target t, String job) {
        return new ChildrenSummaryReader(t, job);
    }

    /** Completes with {nanoTime when seen, children events so far} once a summary passes the test. */
    CompletableFuture<long[]> await(Predicate<ChildrenSummary> summary) {
        Awaited w = new Awaited(summary, new CompletableFuture<>());
        awaited.add(w);
        ChildrenSummary now = latest;
        if (now != null && summary.test(now)) {
            w.seen().complete(new long[] {System.nanoTime(), childrenEvents.get()});
            awaited.remove(w);
        }
        return w.seen();
    }

    private void onEvent(JobEvent e) {
        long now = System.nanoTime();
        if (e.type() == EventType.CHILDREN) {
            childrenEvents.incrementAndGet();
        }
        if (e.type() == EventType.SNAPSHOT) {
            ready.complete(null);
        }
        ChildrenSummary children = e.job() == null ? null : e.job().children();
        if (children == null) {
            return;
        }
        latest = children;
        for (Awaited w : awaited) {
            if (w.summary().test(children)) {
                w.seen().complete(new long[] {now, childrenEvents.get()});
                awaited.remove(w);
            }
        }
    }

    @Override
    public void close() {
        watch.close();
        herald.close();
    }
}
