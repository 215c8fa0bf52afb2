package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * At the start, before any command: every unfinished job is stored again at {@link JobCache#VERSION_GAP} above
 * its stored version, with a {@code progress} event. The process before may have handed out versions of its
 * progress that never reached the store (a flush interval's worth, API §8); a reader holding one of them, or
 * long-polling past it, would otherwise wait for the job's next write, which may never come if its worker died
 * too. Now every reader, live or reconnecting, sees a version above any it holds, naming the state the store kept.
 * A start after a clean stop does the same: nothing tells it from a crash, and it costs one row write per job.
 */
final class VersionRecovery {
    private static final System.Logger LOG = System.getLogger(VersionRecovery.class.getName());
    /** Jobs per transaction. */
    private static final int PAGE = 1000;

    private final JobStore store;
    /** Ancestors by job id, so subtree streams find the events; read once per parent. */
    private final Map<String, List<String>> ancestors = new HashMap<>();

    private VersionRecovery(JobStore store) {
        this.store = store;
    }

    /**
     * Stores the new versions of the jobs last written before {@code started} and publishes their events; answers
     * how many jobs.
     */
    static int run(JobStore store, EventPublisher publisher, Instant started) {
        long start = System.nanoTime();
        int count = new VersionRecovery(store).raiseAll(publisher, started);
        if (count > 0) {
            LOG.log(System.Logger.Level.INFO, "{0} unfinished jobs continue at a new version ({1} ms)", count,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return count;
    }

    private int raiseAll(EventPublisher publisher, Instant started) {
        int count = 0;
        String after = null;
        List<Job> page;
        do {
            page = store.unfinished(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            WriteBatch batch = new WriteBatch();
            List<JobEvent> events = new ArrayList<>(page.size());
            for (Job job : page) {
                if (!job.updatedAt().isBefore(started)) {
                    continue; // written by no earlier process (a clock held still, in tests)
                }
                Job raised = job.toBuilder().version(job.version() + JobCache.VERSION_GAP).build();
                batch.job(raised);
                events.add(JobEvent.progress(raised).within(ancestorsOf(job.parentId())));
            }
            if (!batch.isEmpty()) {
                store.write(batch);
            }
            // published as the store writer publishes what it committed (it has not started yet); a failing listener
            // is logged
            events.forEach(publisher::publishCommitted);
            count += events.size();
            after = page.get(page.size() - 1).id();
        } while (page.size() == PAGE);
        return count;
    }

    /** The parent, its parent and so on up to the root; empty for a root. */
    private List<String> ancestorsOf(String parentId) {
        if (parentId == null) {
            return List.of();
        }
        List<String> known = ancestors.get(parentId);
        if (known != null) {
            return known;
        }
        // parents form a tree, so the walk up ends; the map holds each parent once
        List<String> chain = new ArrayList<>();
        chain.add(parentId);
        chain.addAll(ancestorsOf(store.find(parentId).map(Job::parentId).orElse(null)));
        List<String> fixed = List.copyOf(chain);
        ancestors.put(parentId, fixed);
        return fixed;
    }
}
