package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.ListCursor;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The behaviour every {@link JobStore} must have. An adapter's test extends this
 * class and says how to make a store; the in-memory store is the reference.
 */
public abstract class JobStoreContract {
    protected static final String ACME = "acme";
    protected static final String GLOBEX = "globex";
    protected static final Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::createdAt).reversed()
            .thenComparing(Job::id, Comparator.reverseOrder());

    protected JobStore store;
    private long position;

    /** A new, empty store; called before each test. */
    protected abstract JobStore newStore() throws Exception;

    /** Called after each test, once the store is closed, to remove what {@link #newStore} made. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            cleanUp();
        }
    }

    protected void save(Job... jobs) {
        WriteBatch batch = new WriteBatch();
        Stream.of(jobs).forEach(batch::job);
        store.write(batch);
    }

    /** The event at the next position of this test's stream. */
    protected JobEvent positioned(JobEvent event) {
        return event.at(++position);
    }

    protected static JobQuery query(Set<String> projects, JobStatus status, String type, String parentId,
                                    String owner) {
        return new JobQuery(projects, status, type, parentId, owner, 1_000, null);
    }

    protected static JobQuery everything(int limit) {
        return new JobQuery(null, null, null, null, null, limit, null);
    }

    private static LogLine line(long seq, LogLevel level, String message, RawJson fields) {
        return new LogLine(seq, T0.plusMillis(seq * 37), level, message, fields);
    }

    @Test
    void pingsWhenReachable() {
        assertThatCode(store::ping).doesNotThrowAnyException();
    }

    @Test
    void anEmptyStoreHasNothing() {
        assertThat(store.find("missing")).isEmpty();
        assertThat(store.lastPosition()).isZero();
        assertThat(store.list(everything(10))).isEqualTo(new JobPage(List.of(), null));
        assertThat(store.eventsAfter(List.of("missing"), 0, 10)).isEmpty();
        assertThat(store.logs("missing", 0, 10)).isEmpty();
        assertThat(store.lastLogSeq("missing")).isZero();
        assertThat(store.jobIdForIdempotencyKey(ACME, "k")).isEmpty();
        assertThat(store.finishedBefore(T0.plus(Duration.ofDays(3650)), 10)).isEmpty();
        assertThat(store.epoch()).matches("[a-z0-9]+");
    }

    @Test
    void keepsEveryFieldOfAJob() {
        Job job = TestJobs.everyField(ACME);
        save(job);
        assertThat(store.find(job.id())).contains(job);
    }

    @Test
    void keepsAJobWithOnlyTheRequiredFields() {
        Job job = new Job.Builder().id(TestJobs.newId()).type("t").project(ACME)
                .createdAt(T0).updatedAt(T0).version(1).build();
        save(job);
        assertThat(store.find(job.id())).contains(job);
    }

    @Test
    void keepsJobsInEveryLifecycleState() {
        Job pending = TestJobs.pending(ACME).build();
        Job running = TestJobs.running(ACME).build();
        Job completed = TestJobs.completed(GLOBEX, T0.plusSeconds(90)).build();
        save(pending, running, completed);
        assertThat(Stream.of(pending, running, completed).map(j -> store.find(j.id()).orElseThrow()))
                .containsExactly(pending, running, completed);
    }

    @Test
    void aNewerVersionReplacesTheStoredState() {
        Job v1 = TestJobs.running(ACME).build();
        save(v1);
        Job v2 = TestJobs.next(v1).status(JobStatus.COMPLETED).finishedAt(T0.plusSeconds(60)).build();
        save(v2);
        assertThat(store.find(v1.id())).contains(v2);
        assertThat(store.list(query(Set.of(ACME), JobStatus.RUNNING, null, null, null)).items()).isEmpty();
        assertThat(store.list(query(Set.of(ACME), JobStatus.COMPLETED, null, null, null)).items())
                .containsExactly(v2);
        assertThat(store.finishedBefore(T0.plusSeconds(61), 10)).containsExactly(v2);
    }

    @Test
    void anOlderOrEqualVersionNeverOverwrites() {
        Job stored = TestJobs.running(ACME).version(5).build();
        save(stored);
        save(stored.toBuilder().version(3).name("older").status(JobStatus.FAILED).build());
        save(stored.toBuilder().name("same version").build());
        assertThat(store.find(stored.id())).contains(stored);
        assertThat(store.list(query(null, JobStatus.FAILED, null, null, null)).items()).isEmpty();
    }

    @Test
    void withinOneBatchTheNewestVersionWinsWhateverTheOrder() {
        Job v1 = TestJobs.pending(ACME).build();
        Job v2 = TestJobs.next(v1).status(JobStatus.RUNNING).build();
        Job v3 = TestJobs.next(v2).build();
        save(v2, v1);
        assertThat(store.find(v1.id())).contains(v2);
        save(v2, v3);
        assertThat(store.find(v1.id())).contains(v3);
    }

    @Test
    void statusEventsComeBackWithFromToAndTheFullJob() {
        Job created = TestJobs.pending(ACME).build();
        Job started = TestJobs.next(created).status(JobStatus.RUNNING).startedAt(T0.plusSeconds(1)).build();
        JobEvent e1 = positioned(JobEvent.status(created, null));
        JobEvent e2 = positioned(JobEvent.status(started, JobStatus.PENDING));
        store.write(new WriteBatch().job(created).event(e1));
        store.write(new WriteBatch().job(started).event(e2));

        List<JobEvent> events = store.eventsAfter(List.of(created.id()), 0, 10);
        assertThat(events).containsExactly(e1, e2);
        assertThat(events.get(1).from()).isEqualTo(JobStatus.PENDING);
        assertThat(events.get(1).to()).isEqualTo(JobStatus.RUNNING);
        assertThat(events.get(1).job()).isEqualTo(started);
    }

    @Test
    void eventsComeInPositionOrderFilteredByJobAfterAPositionAndLimited() {
        Job a = TestJobs.running(ACME).build();
        Job b = TestJobs.running(ACME).build();
        Job c = TestJobs.running(GLOBEX).build();
        List<JobEvent> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            WriteBatch batch = new WriteBatch();
            for (Job j : List.of(a, b, c)) {
                Job next = j.toBuilder().version(j.version() + round + 1).build();
                JobEvent e = positioned(JobEvent.status(next, JobStatus.RUNNING));
                batch.job(next).event(e);
                all.add(e);
            }
            store.write(batch);
        }
        List<JobEvent> ofAandC = all.stream().filter(e -> !e.jobId().equals(b.id())).toList();

        assertThat(store.eventsAfter(List.of(a.id(), c.id()), 0, 100)).containsExactlyElementsOf(ofAandC);
        assertThat(store.eventsAfter(Set.of(c.id(), a.id()), 4, 100)).containsExactlyElementsOf(
                ofAandC.stream().filter(e -> e.position() > 4).toList());
        assertThat(store.eventsAfter(List.of(a.id(), c.id()), 0, 3)).containsExactlyElementsOf(ofAandC.subList(0, 3));
        assertThat(store.eventsAfter(List.of(a.id(), c.id()), 9, 100)).isEmpty();
        assertThat(store.eventsAfter(List.of(), 0, 100)).isEmpty();
        assertThat(store.eventsAfter(List.of("unknown"), 0, 100)).isEmpty();
    }

    @Test
    void lastPositionIsThatOfTheNewestEvent() {
        Job job = TestJobs.pending(ACME).build();
        store.write(new WriteBatch().job(job).event(positioned(JobEvent.status(job, null))));
        assertThat(store.lastPosition()).isEqualTo(1);
        Job next = TestJobs.next(job).status(JobStatus.RUNNING).build();
        store.write(new WriteBatch().job(next).event(positioned(JobEvent.status(next, JobStatus.PENDING)))
                .event(JobEvent.status(next, JobStatus.PENDING).at(41)));
        assertThat(store.lastPosition()).isEqualTo(41);
        save(TestJobs.next(next).build());
        assertThat(store.lastPosition()).isEqualTo(41);
    }

    @Test
    void projectEventsAreThoseOfTheProjectInPositionOrder() {
        Job a = TestJobs.running(ACME).build();
        Job b = TestJobs.running("globex").build();
        Job c = TestJobs.running(ACME).build();
        store.write(new WriteBatch().job(a).job(b).job(c).event(JobEvent.status(a, null).at(1))
                .event(JobEvent.status(b, null).at(2)).event(JobEvent.status(c, null).at(3))
                .event(JobEvent.status(a, JobStatus.PENDING).at(4)));
        assertThat(store.projectEventsAfter(ACME, 0, 10)).extracting(JobEvent::position).containsExactly(1L, 3L, 4L);
        assertThat(store.projectEventsAfter(ACME, 1, 1)).extracting(JobEvent::jobId).containsExactly(c.id());
        assertThat(store.projectEventsAfter("nobody", 0, 10)).isEmpty();
    }

    @Test
    void lastPositionNeverGoesDownWhenTheNewestEventsAreDeleted() {
        Job kept = TestJobs.pending(ACME).build();
        Job gone = TestJobs.running(ACME).build();
        store.write(new WriteBatch().job(kept).job(gone).event(JobEvent.status(kept, null).at(1))
                .event(JobEvent.status(gone, null).at(2)));
        store.write(new WriteBatch().delete(gone.id()));
        assertThat(store.eventsAfter(List.of(gone.id()), 0, 10)).isEmpty();
        assertThat(store.lastPosition()).as("a reader's cursor may be at 2: it must never be given out again")
                .isEqualTo(2);
    }

    private record Logged(Job job, Job other, List<LogLine> lines) {
    }

    private Logged writeLogs() {
        Logged logged = new Logged(TestJobs.running(ACME).build(), TestJobs.running(ACME).build(), List.of(
                line(1, LogLevel.INFO, "downloading customers.csv", null),
                line(2, LogLevel.DEBUG, "chunk 1/3", new RawJson("{\"bytes\":1048576}")),
                line(3, LogLevel.WARN, "row 17: missing email — skipped", new RawJson("{\"row\":17}")),
                line(4, LogLevel.ERROR, "retrying after timeout", null),
                line(5, LogLevel.INFO, "done ✓", new RawJson("[\"x\",null,true]"))));
        WriteBatch batch = new WriteBatch().job(logged.job()).job(logged.other())
                .event(positioned(JobEvent.status(logged.job(), JobStatus.PENDING)));
        for (int i = 0; i < logged.lines().size(); i++) {
            batch.event(positioned(JobEvent.log(logged.job(), logged.lines().get(i))));
            if (i < 2) {
                batch.event(positioned(JobEvent.log(logged.other(), line(i + 1, LogLevel.INFO, "other " + i, null))));
            }
        }
        store.write(batch);
        return logged;
    }

    @Test
    void logLinesComeBackInOrderAfterASeqAndLimited() {
        Logged logged = writeLogs();
        String id = logged.job().id();
        assertThat(store.logs(id, 0, 100)).containsExactlyElementsOf(logged.lines());
        assertThat(store.logs(id, 2, 100)).containsExactlyElementsOf(logged.lines().subList(2, 5));
        assertThat(store.logs(id, 0, 2)).containsExactlyElementsOf(logged.lines().subList(0, 2));
        assertThat(store.logs(id, 5, 100)).isEmpty();
        assertThat(store.logs(logged.other().id(), 0, 100)).extracting(LogLine::message)
                .containsExactly("other 0", "other 1");
    }

    @Test
    void lastLogSeqIsTheHighestSeqOfTheJob() {
        Logged logged = writeLogs();
        assertThat(store.lastLogSeq(logged.job().id())).isEqualTo(5);
        assertThat(store.lastLogSeq(logged.other().id())).isEqualTo(2);
        Job silent = TestJobs.pending(ACME).build();
        store.write(new WriteBatch().job(silent).event(positioned(JobEvent.status(silent, null))));
        assertThat(store.lastLogSeq(silent.id())).isZero();
    }

    @Test
    void logEventsAreRetainedEventsToo() {
        Job job = TestJobs.running(ACME).build();
        RawJson fields = new RawJson("{\"disk\":\"/data\"}");
        JobEvent e = positioned(JobEvent.log(job, line(3, LogLevel.WARN, "disk 91% full", fields)));
        store.write(new WriteBatch().job(job).event(e));
        assertThat(store.eventsAfter(List.of(job.id()), 0, 10)).containsExactly(e);
    }

    @Test
    void aKeyLeadsToItsJobWithinItsProject() {
        store.write(new WriteBatch().key(new IdempotencyKey(ACME, "order-1", "job-a"))
                .key(new IdempotencyKey(GLOBEX, "order-1", "job-g")));
        assertThat(store.jobIdForIdempotencyKey(ACME, "order-1")).contains("job-a");
        assertThat(store.jobIdForIdempotencyKey(GLOBEX, "order-1")).contains("job-g");
        assertThat(store.jobIdForIdempotencyKey(ACME, "order-2")).isEmpty();
        assertThat(store.jobIdForIdempotencyKey("initech", "order-1")).isEmpty();
    }

    @Test
    void theFirstWriterWins() {
        store.write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "first"))
                .key(new IdempotencyKey(ACME, "k1", "second in the same batch")));
        store.write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "a later batch")));
        assertThat(store.jobIdForIdempotencyKey(ACME, "k1")).contains("first");
    }

    /** Six jobs in two projects, with every field a listing filters on varied. */
    private record Listed(Job a1, Job a2, Job g1, Job a3, Job a4, Job g2) {
    }

    private Listed saveListed() {
        Job a2 = TestJobs.running(ACME).type("report.render").owner("user-7").createdAt(T0.plusMillis(1_000)).build();
        Listed l = new Listed(
                TestJobs.pending(ACME).createdAt(T0).build(),
                a2,
                TestJobs.running(GLOBEX).createdAt(T0.plusMillis(1_500)).build(),
                TestJobs.completed(ACME, T0.plusSeconds(50)).owner("user-7").parentId(a2.id())
                        .createdAt(T0.plusMillis(2_000)).build(),
                TestJobs.running(ACME).parentId(a2.id()).createdAt(T0.plusMillis(3_000)).build(),
                TestJobs.running(GLOBEX).status(JobStatus.FAILED).type("report.render").owner("user-7")
                        .createdAt(T0.plusMillis(4_000)).build());
        save(l.a1(), l.a2(), l.g1(), l.a3(), l.a4(), l.g2());
        return l;
    }

    private List<Job> list(JobQuery q) {
        JobPage page = store.list(q);
        assertThat(page.next()).isNull();
        return page.items();
    }

    @Test
    void listsNewestFirst() {
        Listed l = saveListed();
        assertThat(list(everything(100))).containsExactly(l.g2(), l.a4(), l.a3(), l.g1(), l.a2(), l.a1());
    }

    @Test
    void filtersByProjects() {
        Listed l = saveListed();
        assertThat(list(query(Set.of(ACME), null, null, null, null))).containsExactly(l.a4(), l.a3(), l.a2(), l.a1());
        assertThat(list(query(Set.of(GLOBEX, "initech"), null, null, null, null))).containsExactly(l.g2(), l.g1());
        assertThat(list(query(Set.of(ACME, GLOBEX), null, null, null, null)))
                .containsExactly(l.g2(), l.a4(), l.a3(), l.g1(), l.a2(), l.a1());
        assertThat(list(query(Set.of(), null, null, null, null))).isEmpty();
    }

    @Test
    void filtersByStatusTypeParentAndOwner() {
        Listed l = saveListed();
        assertThat(list(query(null, JobStatus.RUNNING, null, null, null))).containsExactly(l.a4(), l.g1(), l.a2());
        assertThat(list(query(null, null, "report.render", null, null))).containsExactly(l.g2(), l.a2());
        assertThat(list(query(null, null, null, l.a2().id(), null))).containsExactly(l.a4(), l.a3());
        assertThat(list(query(null, null, null, null, "user-7"))).containsExactly(l.g2(), l.a3(), l.a2());
        assertThat(list(query(null, null, null, null, "nobody"))).isEmpty();
    }

    @Test
    void combinesFilters() {
        Listed l = saveListed();
        assertThat(list(query(Set.of(ACME), JobStatus.RUNNING, "dataset.import", null, null)))
                .containsExactly(l.a4());
        assertThat(list(query(Set.of(ACME), null, null, l.a2().id(), "user-7"))).containsExactly(l.a3());
        assertThat(list(query(Set.of(GLOBEX), JobStatus.RUNNING, "report.render", null, null))).isEmpty();
    }

    @Test
    void aLimitedPageEndsWithACursorUnlessItIsTheLast() {
        Listed l = saveListed();
        JobPage first = store.list(new JobQuery(Set.of(ACME), null, null, null, null, 3, null));
        assertThat(first.items()).containsExactly(l.a4(), l.a3(), l.a2());
        assertThat(first.next()).isEqualTo(new ListCursor(l.a2().createdAt().toEpochMilli(), l.a2().id()));
        JobPage last = store.list(new JobQuery(Set.of(ACME), null, null, null, null, 3, first.next()));
        assertThat(last).isEqualTo(new JobPage(List.of(l.a1()), null));
        assertThat(store.list(new JobQuery(Set.of(ACME), null, null, null, null, 4, null)).next()).isNull();
    }

    private List<Job> pageThrough(JobQuery first) {
        List<Job> seen = new ArrayList<>();
        ListCursor cursor = null;
        do {
            JobQuery q = new JobQuery(first.projects(), first.status(), first.type(), first.parentId(),
                    first.owner(), first.limit(), cursor);
            JobPage page = store.list(q);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(first.limit());
            seen.addAll(page.items());
            cursor = page.next() == null ? null : ListCursor.decode(page.next().encode()).orElseThrow();
        } while (cursor != null);
        return seen;
    }

    @Test
    void visitsEveryJobExactlyOnceWhenManyShareOneMillisecond() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Instant created = i < 60 ? T0 : T0.plusMillis(i % 7 - 3);
            JobStatus status = i % 3 == 0 ? JobStatus.COMPLETED : JobStatus.RUNNING;
            jobs.add(TestJobs.running(i % 5 == 0 ? GLOBEX : ACME).status(status).createdAt(created).build());
        }
        save(jobs.toArray(Job[]::new));

        assertThat(pageThrough(everything(7))).containsExactlyElementsOf(jobs.stream().sorted(NEWEST_FIRST).toList());
        List<Job> acmeRunning = jobs.stream()
                .filter(j -> j.project().equals(ACME) && j.status() == JobStatus.RUNNING)
                .sorted(NEWEST_FIRST).toList();
        assertThat(pageThrough(new JobQuery(Set.of(ACME), JobStatus.RUNNING, null, null, null, 4, null)))
                .containsExactlyElementsOf(acmeRunning);
    }

    @Test
    void pagesOfOneVisitEveryJob() {
        List<Job> jobs = Stream.generate(() -> TestJobs.pending(ACME).build()).limit(12).toList();
        save(jobs.toArray(Job[]::new));
        List<Job> seen = pageThrough(everything(1));
        assertThat(new HashSet<>(seen)).hasSize(12);
        assertThat(seen).containsExactlyElementsOf(jobs.stream().sorted(NEWEST_FIRST).toList());
    }

    @Test
    void finishedBeforeGivesFinishedJobsOlderThanTheCutoffOldestFirst() {
        Job at1h = TestJobs.completed(ACME, T0.plus(Duration.ofHours(1))).build();
        Job at2h = TestJobs.completed(GLOBEX, T0.plus(Duration.ofHours(2))).build();
        Job at3h = TestJobs.completed(ACME, T0.plus(Duration.ofHours(3))).build();
        Job failedAt30m = TestJobs.completed(ACME, T0.plus(Duration.ofMinutes(30)))
                .status(JobStatus.FAILED).result(null).build();
        Job running = TestJobs.running(ACME).build();
        save(at3h, running, at1h, failedAt30m, at2h);

        Instant cutoff = T0.plus(Duration.ofHours(3));
        assertThat(store.finishedBefore(cutoff, 10)).containsExactly(failedAt30m, at1h, at2h);
        assertThat(store.finishedBefore(cutoff, 2)).containsExactly(failedAt30m, at1h);
        assertThat(store.finishedBefore(T0, 10)).isEmpty();
    }

    @Test
    void aFinishedChildOfALiveParentIsKeptWhateverItsAge() {
        Job runningParent = TestJobs.running(ACME).build();
        Job keptChild = TestJobs.completed(ACME, T0.plus(Duration.ofHours(1))).parentId(runningParent.id()).build();
        Job recentParent = TestJobs.completed(ACME, T0.plus(Duration.ofHours(5))).build();
        Job keptToo = TestJobs.completed(ACME, T0.plus(Duration.ofHours(1))).parentId(recentParent.id()).build();
        Job oldParent = TestJobs.completed(ACME, T0.plus(Duration.ofHours(2))).build();
        Job goes = TestJobs.completed(ACME, T0.plus(Duration.ofMinutes(90))).parentId(oldParent.id()).build();
        Job orphan = TestJobs.completed(ACME, T0.plus(Duration.ofMinutes(30))).parentId("j_gone").build();
        save(runningParent, keptChild, recentParent, keptToo, oldParent, goes, orphan);

        // a parent still running, or finished too recently, keeps its children: its summary counts them
        assertThat(store.finishedBefore(T0.plus(Duration.ofHours(3)), 10)).containsExactly(orphan, goes, oldParent);
    }

    @Test
    void parentsOfJobsWithRecentEventsAreFoundByPosition() {
        Job parentA = TestJobs.running(ACME).build();
        Job parentB = TestJobs.running(GLOBEX).build();
        Job a1 = TestJobs.running(ACME).parentId(parentA.id()).build();
        Job a2 = TestJobs.running(ACME).parentId(parentA.id()).build();
        Job b1 = TestJobs.running(GLOBEX).parentId(parentB.id()).build();
        store.write(new WriteBatch().job(parentA).job(parentB).job(a1).job(a2).job(b1)
                .event(positioned(JobEvent.status(b1, null)))
                .event(positioned(JobEvent.status(parentA, null)))
                .event(positioned(JobEvent.status(a1, null)))
                .event(positioned(JobEvent.status(a2, null))));

        assertThat(store.parentsOfJobsWithEventsAfter(0)).containsExactlyInAnyOrder(parentA.id(), parentB.id());
        assertThat(store.parentsOfJobsWithEventsAfter(1)).containsExactly(parentA.id());
        assertThat(store.parentsOfJobsWithEventsAfter(4)).isEmpty();
    }

    @Test
    void deletingAJobRemovesItsEventsLogsAndKeys() {
        Job gone = TestJobs.running(ACME).build();
        Job kept = TestJobs.running(ACME).build();
        JobEvent keptStatus = positioned(JobEvent.status(kept, JobStatus.PENDING));
        JobEvent keptLog = positioned(JobEvent.log(kept, line(1, LogLevel.INFO, "kept", null)));
        store.write(new WriteBatch().job(gone).job(kept)
                .event(positioned(JobEvent.status(gone, JobStatus.PENDING)))
                .event(positioned(JobEvent.log(gone, line(1, LogLevel.INFO, "gone", null))))
                .event(keptStatus).event(keptLog)
                .key(new IdempotencyKey(ACME, "gone-key", gone.id()))
                .key(new IdempotencyKey(ACME, "kept-key", kept.id())));

        store.write(new WriteBatch().delete(gone.id()).delete("never-existed"));

        assertThat(store.find(gone.id())).isEmpty();
        assertThat(store.find(kept.id())).contains(kept);
        assertThat(store.eventsAfter(List.of(gone.id(), kept.id()), 0, 10)).containsExactly(keptStatus, keptLog);
        assertThat(store.logs(gone.id(), 0, 10)).isEmpty();
        assertThat(store.lastLogSeq(gone.id())).isZero();
        assertThat(store.jobIdForIdempotencyKey(ACME, "gone-key")).isEmpty();
        assertThat(store.jobIdForIdempotencyKey(ACME, "kept-key")).contains(kept.id());
        assertThat(store.list(everything(10)).items()).containsExactly(kept);
    }

    @Test
    void anEmptyBatchChangesNothing() {
        Job job = TestJobs.running(ACME).build();
        JobEvent e = positioned(JobEvent.status(job, JobStatus.PENDING));
        store.write(new WriteBatch().job(job).event(e));
        store.write(new WriteBatch());
        assertThat(store.find(job.id())).contains(job);
        assertThat(store.eventsAfter(List.of(job.id()), 0, 10)).containsExactly(e);
        assertThat(store.lastPosition()).isEqualTo(e.position());
    }

    @Test
    void takesJobsEventsKeysAndDeletionsTogether() {
        Job old = TestJobs.completed(ACME, T0.plusSeconds(5)).build();
        save(old);
        Job job = TestJobs.pending(ACME).build();
        JobEvent created = positioned(JobEvent.status(job, null));
        store.write(new WriteBatch().job(job).event(created).key(new IdempotencyKey(ACME, "k", job.id()))
                .delete(old.id()));
        assertThat(store.list(everything(10)).items()).containsExactly(job);
        assertThat(store.eventsAfter(List.of(job.id()), 0, 10)).containsExactly(created);
        assertThat(store.jobIdForIdempotencyKey(ACME, "k")).contains(job.id());
    }

    @Test
    void writes2000JobsAnd2000EventsInOneBatch() {
        WriteBatch batch = new WriteBatch();
        List<Job> jobs = new ArrayList<>();
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Job job = TestJobs.running(i % 2 == 0 ? ACME : GLOBEX).createdAt(T0.plusMillis(i / 10)).build();
            JobEvent e = positioned(JobEvent.status(job, JobStatus.QUEUED));
            jobs.add(job);
            events.add(e);
            batch.job(job).event(e);
        }
        store.write(batch);

        assertThat(store.lastPosition()).isEqualTo(2_000);
        assertThat(store.find(jobs.get(1_234).id())).contains(jobs.get(1_234));
        assertThat(store.list(everything(2_000)).items())
                .containsExactlyElementsOf(jobs.stream().sorted(NEWEST_FIRST).toList());
        List<String> ids = jobs.stream().map(Job::id).toList();
        assertThat(store.eventsAfter(ids, 0, 5_000)).containsExactlyElementsOf(events);
    }
}
