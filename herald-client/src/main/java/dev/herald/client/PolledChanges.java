package dev.herald.client;

import dev.herald.client.transport.Transport;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.LogLine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Job states read by polling, turned into the events a stream would have brought: the log lines appended since
 * the last line given, then one event for the new state ({@code snapshot} for a job first seen, {@code status}
 * when the status moved, else {@code progress} or {@code children}). Log reads carry no versions, so the lines
 * get the versions right after the last one given: never more than their own, since every line took at least
 * one. A state read before lines that came after it is read again, so the state event always comes last. Lines
 * older than the state the listener already has are history, not news, and are skipped. Used by one thread.
 */
final class PolledChanges {
    private record Reached(long version, long seq, boolean finished) {
    }

    private static final int LOG_PAGE = 1000;

    private final PollingLoop.Owner owner;
    private final Transport transport;
    private final Map<String, Reached> reached = new HashMap<>();

    PolledChanges(PollingLoop.Owner owner, Transport transport) {
        this.owner = owner;
        this.transport = transport;
    }

    /** False once a job has finished or gone: nothing more will come of it. */
    boolean follows(String id) {
        Reached r = reached.get(id);
        return r == null || !r.finished;
    }

    private long held(String id) {
        Reached r = reached.get(id);
        return Math.max(r == null ? 0 : r.version, owner.versions().version(id));
    }

    /** Reads a job, waiting up to {@code wait} for a version above the one held; a job known before and now gone is deleted. */
    void poll(String id, Duration wait) {
        Job job;
        try {
            job = transport.awaitChange(id, held(id), wait);
        } catch (HeraldException e) {
            if (e.code() != ErrorCode.NOT_FOUND || held(id) == 0) {
                throw e;
            }
            deleted(id);
            return;
        }
        read(job);
    }

    /** A job's state as read: what the listener lacks of it, as events. */
    void read(Job job) {
        String id = job.id();
        long held = held(id);
        if (job.version() <= held) {
            if (job.status().isTerminal()) {
                Reached r = reached.get(id);
                reached.put(id, new Reached(held, r == null ? 0 : r.seq, true));
            }
            return;
        }
        Job before = owner.versions().job(id);
        Reached r = reached.get(id);
        long seq = Math.max(r == null ? 0 : r.seq, owner.versions().seq(id));
        List<LogLine> lines = List.of();
        Job state = job;
        if (wants(EventType.LOG)) {
            Instant since = seq > 0 ? Instant.MIN : before != null ? before.updatedAt() : job.updatedAt();
            List<LogLine> all = new ArrayList<>(logsAfter(id, seq));
            lines = news(all, since);
            if (state.version() <= held + lines.size()) {
                state = transport.get(id);
                // the server answers a state once its lines are readable: read those that came meanwhile too, or a
                // job that ended meanwhile would be left without them
                all.addAll(logsAfter(id, all.isEmpty() ? seq : all.get(all.size() - 1).seq()));
                lines = news(all, since);
            }
            seq = all.isEmpty() ? seq : all.get(all.size() - 1).seq();
        }
        long version = held;
        for (LogLine line : lines) {
            owner.offer(new JobEvent(EventType.LOG, id, state.project(), ++version, line.time(), null, null, null,
                    line, 0, null));
        }
        if (state.version() > version) {
            JobEvent e = stateEvent(before, state);
            if (e != null) {
                owner.offer(e);
            }
            version = state.version();
        }
        reached.put(id, new Reached(version, seq, state.status().isTerminal()));
    }

    private static List<LogLine> news(List<LogLine> lines, Instant since) {
        return lines.stream().filter(l -> l.time().isAfter(since)).toList();
    }

    private JobEvent stateEvent(Job before, Job now) {
        if (before == null) {
            return JobEvent.snapshot(now, 0);
        }
        JobEvent e = before.status() != now.status() ? JobEvent.status(now, before.status())
                : !Objects.equals(before.children(), now.children())
                        && Objects.equals(before.progress(), now.progress()) ? JobEvent.children(now)
                : JobEvent.progress(now);
        return wants(e.type()) ? e : null;
    }

    private void deleted(String id) {
        long version = held(id) + 1;
        reached.put(id, new Reached(version, 0, true));
        if (wants(EventType.DELETED)) {
            Job last = owner.versions().job(id);
            owner.offer(new JobEvent(EventType.DELETED, id, last == null ? null : last.project(), version,
                    Instant.now(), null, null, null, null, 0, null));
        }
    }

    private List<LogLine> logsAfter(String id, long seq) {
        List<LogLine> all = new ArrayList<>();
        for (long after = seq; ; ) {
            List<LogLine> page = transport.logs(id, after, LOG_PAGE);
            all.addAll(page);
            if (page.size() < LOG_PAGE) {
                return all;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    private boolean wants(EventType type) {
        Set<EventType> types = owner.query().types();
        return types == null || types.contains(type);
    }
}
