package dev.herald.client;

import dev.herald.client.transport.EventQuery;
import dev.herald.client.transport.ListQuery;
import dev.herald.client.transport.Page;
import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.ServerUnreachableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A watch's jobs followed without a stream, on a thread of its own until stopped. A watch of one job long-polls
 * it ({@code waitForVersion}); a watch of several reads them every {@link WatchSettings#POLL_ROUND}: listed jobs
 * one by one, a subtree through each unfinished job's children, a project through its unfinished jobs by
 * status. Each state read turns into events ({@link PolledChanges}). A server that cannot be reached hands the
 * watch back to streaming; a refusal ends it; other failures wait and try again.
 */
final class PollingLoop implements Runnable {
    /** The watch, as the loop sees it. */
    interface Owner {
        EventQuery query();

        JobVersions versions();

        void offer(JobEvent event);

        void unreachable(PollingLoop from);

        void refused(PollingLoop from, HeraldException why);
    }

    private static final Backoff BACKOFF = Backoff.fullJitter(Duration.ofMillis(500), Duration.ofSeconds(20));
    private static final int PAGE = 500;
    private static final List<JobStatus> UNFINISHED = List.of(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING);

    private final Owner owner;
    private final Transport transport;
    private final PolledChanges changes;
    /** Jobs this loop follows besides those the request lists: a subtree's or a project's, with their state. */
    private final Map<String, Job> found = new LinkedHashMap<>();
    private volatile boolean stopped;
    private volatile Thread thread;

    PollingLoop(Owner owner, Transport transport) {
        this.owner = owner;
        this.transport = transport;
        this.changes = new PolledChanges(owner, transport);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        int failures = 0;
        while (!stopped) {
            try {
                if (!round()) {
                    pause(WatchSettings.POLL_ROUND);
                }
                failures = 0;
            } catch (ServerUnreachableException e) {
                if (!stopped) {
                    owner.unreachable(this);
                }
                return;
            } catch (RetryableException e) {
                pause(BACKOFF.delay(failures++, e.retryAfter()));
            } catch (HeraldException e) {
                if (!stopped) {
                    owner.refused(this, e);
                }
                return;
            }
        }
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** One round; true when it waited on the server (a long poll), so the next may follow at once. */
    private boolean round() {
        EventQuery q = owner.query();
        if (q.project() != null) {
            project(q.project());
        } else if (q.descendants()) {
            subtree(q.jobs().get(0));
        } else {
            List<String> open = q.jobs().stream().filter(changes::follows).toList();
            if (open.size() == 1) {
                String id = open.get(0);
                changes.poll(id, WatchSettings.LONG_POLL);
                return true;
            }
            for (String id : open) {
                changes.poll(id, Duration.ZERO);
            }
        }
        return false;
    }

    private void subtree(String rootId) {
        changes.poll(rootId, Duration.ZERO);
        Set<String> parents = new LinkedHashSet<>();
        parents.add(rootId);
        found.values().stream().filter(j -> !j.status().isTerminal()).forEach(j -> parents.add(j.id()));
        for (String parent : parents) {
            if (changes.follows(parent)) {
                list(new ListQuery(null, null, parent, null, null, PAGE, null));
            }
        }
    }

    private void project(String name) {
        Set<String> before = new LinkedHashSet<>(found.keySet());
        found.clear();
        for (JobStatus status : UNFINISHED) {
            list(new ListQuery(status, null, null, name, null, PAGE, null));
        }
        // what no longer lists as unfinished has finished (or gone): read it once more to tell its end
        before.removeAll(found.keySet());
        for (String id : before) {
            changes.poll(id, Duration.ZERO);
        }
    }

    private void list(ListQuery query) {
        ListQuery q = query;
        while (!stopped) {
            Page page = transport.list(q);
            for (Job job : page.items()) {
                found.put(job.id(), job);
                changes.read(job);
            }
            if (page.nextCursor() == null) {
                return;
            }
            q = new ListQuery(q.status(), q.type(), q.parentId(), q.project(), q.owner(), q.limit(), page.nextCursor());
        }
    }

    private void pause(Duration d) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException e) {
            if (!stopped) {
                Thread.currentThread().interrupt();
                throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while polling");
            }
        }
    }
}
