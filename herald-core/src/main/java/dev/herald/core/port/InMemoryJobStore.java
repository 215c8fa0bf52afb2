package dev.herald.core.port;

import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A store that keeps everything in memory: for tests, and the reference for the store contract. */
public final class InMemoryJobStore implements JobStore {
    private static final Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::createdAt).reversed()
            .thenComparing(Job::id, Comparator.reverseOrder());

    private final String epoch = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Map<String, Job> jobs = new HashMap<>();
    private final List<JobEvent> events = new ArrayList<>();
    private final Map<String, String> keys = new HashMap<>();
    private final InMemoryRunHistory history = new InMemoryRunHistory();
    private final Map<String, RawJson> inputs = new HashMap<>();
    /** The version each job was claimed at, and until when: that version is not claimable again before then. */
    private final Map<String, Job> claimedAt = new HashMap<>();
    private long highWater;

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public synchronized long lastPosition() {
        return highWater;
    }

    @Override
    public synchronized WriteResult write(WriteBatch batch) {
        Map<String, Job> newest = new HashMap<>();
        for (Job j : batch.jobs()) {
            newest.merge(j.id(), j, (kept, next) -> next.version() > kept.version() ? next : kept);
        }
        refuseConflicts(newest.values(), batch.keys());
        jobs.putAll(newest);
        batch.inputs().forEach(inputs::putIfAbsent);
        for (WriteBatch.IdempotencyKey k : batch.keys()) {
            keys.putIfAbsent(keyOf(k), k.jobId());
        }
        Set<String> gone = new HashSet<>(batch.deletions());
        if (!gone.isEmpty()) {
            gone.forEach(jobs::remove);
            events.removeIf(e -> gone.contains(e.jobId()));
            keys.values().removeIf(gone::contains);
            inputs.keySet().removeAll(gone);
        }
        List<JobEvent> positioned = new ArrayList<>(batch.events().size());
        for (JobEvent e : batch.events()) {
            JobEvent stored = e.at(++highWater);
            positioned.add(stored);
            if (!gone.contains(e.jobId())) {
                events.add(stored);
            }
        }
        return new WriteResult(positioned);
    }

    private void refuseConflicts(Collection<Job> newest, List<WriteBatch.IdempotencyKey> batchKeys) {
        Set<String> stale = new HashSet<>();
        for (Job j : newest) {
            Job old = jobs.get(j.id());
            if (old != null && old.version() >= j.version()) {
                stale.add(j.id());
            }
        }
        Map<String, String> held = new HashMap<>();
        List<WriteBatch.IdempotencyKey> taken = new ArrayList<>();
        for (WriteBatch.IdempotencyKey k : batchKeys) {
            String holder = keys.containsKey(keyOf(k)) ? keys.get(keyOf(k)) : held.putIfAbsent(keyOf(k), k.jobId());
            if (holder != null && !holder.equals(k.jobId())) {
                taken.add(new WriteBatch.IdempotencyKey(k.project(), k.key(), holder));
            }
        }
        if (!stale.isEmpty() || !taken.isEmpty()) {
            throw new WriteConflict(stale, taken);
        }
    }

    private static String keyOf(WriteBatch.IdempotencyKey k) {
        return keyOf(k.project(), k.key());
    }

    private static String keyOf(String project, String key) {
        return project + "\u0000" + key;
    }

    @Override
    public synchronized Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public synchronized JobPage list(JobQuery q) {
        if (q.limit() < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        List<Job> all = jobs.values().stream()
                .filter(j -> matches(j, q) && (q.status() == null || q.status() == j.status()))
                .filter(j -> q.after() == null || isAfter(j, q.after()))
                .sorted(NEWEST_FIRST)
                .limit(q.limit() + 1L)
                .toList();
        if (all.size() <= q.limit()) {
            return new JobPage(all, null);
        }
        List<Job> page = all.subList(0, q.limit());
        Job last = page.get(page.size() - 1);
        return new JobPage(List.copyOf(page), new ListCursor(last.createdAt().toEpochMilli(), last.id()));
    }

    @Override
    public synchronized Map<JobStatus, Long> countByStatus(JobQuery q) {
        return jobs.values().stream().filter(j -> matches(j, q))
                .collect(Collectors.groupingBy(Job::status, () -> new EnumMap<>(JobStatus.class), Collectors.counting()));
    }

    /** The query's filters but status and cursor. */
    private static boolean matches(Job j, JobQuery q) {
        return (q.projects() == null || q.projects().contains(j.project()))
                && (q.type() == null || q.type().equals(j.type()))
                && (q.parentId() == null || q.parentId().equals(j.parentId()))
                && (q.owner() == null || q.owner().equals(j.owner()));
    }

    private static boolean isAfter(Job j, ListCursor c) {
        long t = j.createdAt().toEpochMilli();
        return t < c.createdAtMillis() || (t == c.createdAtMillis() && j.id().compareTo(c.jobId()) < 0);
    }

    @Override
    public synchronized List<JobEvent> eventsAfter(Collection<String> jobIds, long after, int limit) {
        Set<String> ids = new HashSet<>(jobIds);
        return events.stream().filter(e -> e.position() > after && ids.contains(e.jobId())).limit(limit).toList();
    }

    @Override
    public synchronized List<JobEvent> eventsBetween(long after, long upTo, int limit) {
        return events.stream().filter(e -> e.position() > after && e.position() <= upTo).limit(limit).toList();
    }

    @Override
    public synchronized List<JobEvent> projectEventsAfter(String project, long after, int limit) {
        return events.stream().filter(e -> e.position() > after && e.project().equals(project)).limit(limit).toList();
    }

    @Override
    public synchronized List<LogLine> logs(String jobId, long after, int limit) {
        return events.stream()
                .filter(e -> e.type() == EventType.LOG && e.jobId().equals(jobId) && e.log().seq() > after)
                .map(JobEvent::log).limit(limit).toList();
    }

    @Override
    public synchronized long lastLogSeq(String jobId) {
        return events.stream().filter(e -> e.type() == EventType.LOG && e.jobId().equals(jobId))
                .mapToLong(e -> e.log().seq()).max().orElse(0);
    }

    @Override
    public synchronized Optional<String> jobIdForIdempotencyKey(String project, String key) {
        return Optional.ofNullable(keys.get(keyOf(project, key)));
    }

    @Override
    public synchronized List<Job> finishedBefore(Instant cutoff, int limit) {
        return jobs.values().stream()
                .filter(j -> finishedBefore(j, cutoff))
                .filter(j -> j.parentId() == null || !jobs.containsKey(j.parentId())
                        || finishedBefore(jobs.get(j.parentId()), cutoff))
                .sorted(Comparator.comparing(Job::finishedAt).thenComparing(Job::id)).limit(limit).toList();
    }

    private static boolean finishedBefore(Job j, Instant cutoff) {
        return j.finishedAt() != null && j.finishedAt().isBefore(cutoff);
    }

    @Override
    public synchronized List<Job> unfinished(String afterId, int limit) {
        return jobs.values().stream().filter(j -> j.finishedAt() == null)
                .filter(j -> afterId == null || j.id().compareTo(afterId) > 0)
                .sorted(Comparator.comparing(Job::id)).limit(limit).toList();
    }

    @Override
    public synchronized Set<String> parentsOfJobsWithEventsAfter(long position) {
        Set<String> parents = new HashSet<>();
        for (JobEvent e : events) {
            Job job = e.position() > position ? jobs.get(e.jobId()) : null;
            if (job != null && job.parentId() != null) {
                parents.add(job.parentId());
            }
        }
        return parents;
    }

    @Override
    public void recordRuns(List<RunRecord> runs) {
        runs.forEach(history::record);
    }

    @Override
    public RunHistory history(String project, String type) {
        return history.history(project, type);
    }

    @Override
    public List<RunHistory> histories(String project) {
        return history.histories(project);
    }

    @Override
    public int pruneHistory(Instant cutoff) {
        return history.prune(cutoff);
    }

    @Override
    public synchronized Optional<String> claimNext(ClaimQuery q) {
        Optional<Job> next = jobs.values().stream()
                .filter(j -> j.status() == JobStatus.QUEUED && q.matches(j.type(), j.project()))
                .filter(j -> j.nextAttemptAt() == null || !j.nextAttemptAt().isAfter(q.now()))
                .filter(j -> isClaimable(j, q.now()))
                .min(NEWEST_FIRST.reversed());
        // the hold is kept as the job at its claimed version, with the hold's end as its update time
        next.ifPresent(j -> claimedAt.put(j.id(), j.toBuilder().updatedAt(q.holdUntil()).build()));
        return next.map(Job::id);
    }

    private boolean isClaimable(Job job, Instant now) {
        Job held = claimedAt.get(job.id());
        return held == null || held.version() < job.version() || !held.updatedAt().isAfter(now);
    }

    @Override
    public synchronized List<String> expiredLeases(Instant now, int limit) {
        return jobs.values().stream()
                .filter(j -> j.status() == JobStatus.RUNNING && j.lease() != null && j.lease().isExpiredAt(now))
                .sorted(Comparator.comparing(j -> j.lease().expiresAt()))
                .limit(limit).map(Job::id).toList();
    }

    @Override
    public synchronized Optional<RawJson> input(String jobId) {
        return Optional.ofNullable(inputs.get(jobId));
    }

    @Override
    public void ping() {
    }

    @Override
    public void close() {
    }
}
