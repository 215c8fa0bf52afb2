package dev.herald.server.sdk;

import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A watch listener that keeps what it was given and checks the watch's promises as it goes: each job's events in
 * rising version order (but for the state at a log line's version, once after the line), never one twice, never two
 * calls at once, never on a network thread.
 */
final class WatchedEvents implements Consumer<JobEvent> {
    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    final List<String> broken = new CopyOnWriteArrayList<>();
    private final Map<String, Long> versions = new HashMap<>();
    /** The jobs whose last event given was a log line. */
    private final Set<String> lineLast = new HashSet<>();
    private final AtomicInteger inside = new AtomicInteger();

    @Override
    public void accept(JobEvent e) {
        if (inside.incrementAndGet() > 1) {
            broken.add("two calls at once");
        }
        String thread = Thread.currentThread().getName();
        if (!thread.matches("herald-watch-\\d+")) {
            broken.add("called on " + thread + ", not a thread of the delivery pool");
        }
        Long before = versions.put(e.jobId(), e.version());
        // a log line takes a version and carries no state: the state at that version may follow it once (API §3)
        boolean stateAfterItsLine = before != null && e.version() == before && e.job() != null
                && lineLast.contains(e.jobId());
        if (before != null && e.version() <= before && !stateAfterItsLine) {
            broken.add(e.jobId() + ": " + e.type() + " v" + e.version() + " after v" + before);
        }
        if (e.type() == EventType.LOG) {
            lineLast.add(e.jobId());
        } else {
            lineLast.remove(e.jobId());
        }
        events.add(e);
        inside.decrementAndGet();
    }

    /** The job's status moves, as "from->to" ("null->running" when it was created running). */
    List<String> moves(String jobId) {
        return events.stream().filter(e -> e.jobId().equals(jobId) && e.type() == EventType.STATUS)
                .map(e -> e.from() + "->" + e.to()).map(String::toLowerCase).toList();
    }

    /** The job's log messages, in the order given. */
    List<String> lines(String jobId) {
        return events.stream().filter(e -> e.jobId().equals(jobId) && e.type() == EventType.LOG)
                .map(e -> e.log().message()).toList();
    }

    /** The newest state given of the job, or null. */
    Job last(String jobId) {
        Job last = null;
        for (JobEvent e : events) {
            if (e.jobId().equals(jobId) && e.job() != null) {
                last = e.job();
            }
        }
        return last;
    }

    boolean finished(String jobId) {
        Job last = last(jobId);
        return last != null && last.status().isTerminal();
    }

    List<EventType> types() {
        return events.stream().map(JobEvent::type).distinct().toList();
    }
}
