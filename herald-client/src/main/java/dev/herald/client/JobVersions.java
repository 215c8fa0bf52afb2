package dev.herald.client;

import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How far a watch's listener got with each job: the newest version and state it was given, and the last log line.
 * An event passes only when it is newer: a state (snapshot, status, progress, children, deleted) above the
 * version held, a log line above the line held. A stream resumed after a drop sends some events again, and a
 * stream tried while polling overlaps the polls: this is where the copies stop. Log lines are told apart by
 * their {@code seq}, since lines read by polling have no version of their own. A log line moves the version on but
 * carries no state, so the state of that same version still passes once after it: a stream resumed after log lines,
 * or a cluster node's resync, sends it later (the server's streams rank events the same way). One thread admits
 * (the watch's delivery); any thread may read.
 */
final class JobVersions {
    /** {@code byLog}: the version held came from a log line, and the state of that version has not been given. */
    private record Seen(long version, long seq, Job job, boolean byLog) {
    }

    private static final Seen NONE = new Seen(0, 0, null, false);

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

    /** True when {@code e} is new to the listener; it is then recorded as given. */
    boolean admit(JobEvent e) {
        Seen s = seen.getOrDefault(e.jobId(), NONE);
        if (e.type() == EventType.LOG) {
            if (e.log() == null || e.log().seq() <= s.seq) {
                return false;
            }
            boolean ahead = e.version() > s.version;
            seen.put(e.jobId(), new Seen(ahead ? e.version() : s.version, e.log().seq(), s.job, ahead || s.byLog));
            return true;
        }
        if (e.version() < s.version || e.version() == s.version && !s.byLog) {
            return false;
        }
        seen.put(e.jobId(), new Seen(e.version(), s.seq, e.job() != null ? e.job() : s.job, false));
        return true;
    }

    /** The newest state given, or null. */
    Job job(String id) {
        return seen.getOrDefault(id, NONE).job;
    }

    /** The newest version given (0 for none). */
    long version(String id) {
        return seen.getOrDefault(id, NONE).version;
    }

    /** The {@code seq} of the last log line given (0 for none). */
    long seq(String id) {
        return seen.getOrDefault(id, NONE).seq;
    }
}
