package dev.herald.testkit;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.ListCursor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on listing jobs: newest first, by every filter, in pages
 * whose cursors visit every job exactly once.
 */
public interface JobListingContract extends JobStoreFixture {
    /** Six jobs in two projects, with every field a listing filters on varied. */
    record Listed(Job a1, Job a2, Job g1, Job a3, Job a4, Job g2) {
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
        JobPage page = store().list(q);
        assertThat(page.next()).isNull();
        return page.items();
    }

    @Test
    default void listsNewestFirst() {
        Listed l = saveListed();
        assertThat(list(everything(100))).containsExactly(l.g2(), l.a4(), l.a3(), l.g1(), l.a2(), l.a1());
    }

    @Test
    default void filtersByProjects() {
        Listed l = saveListed();
        assertThat(list(query(Set.of(ACME), null, null, null, null))).containsExactly(l.a4(), l.a3(), l.a2(), l.a1());
        assertThat(list(query(Set.of(GLOBEX, "initech"), null, null, null, null))).containsExactly(l.g2(), l.g1());
        assertThat(list(query(Set.of(ACME, GLOBEX), null, null, null, null)))
                .containsExactly(l.g2(), l.a4(), l.a3(), l.g1(), l.a2(), l.a1());
        assertThat(list(query(Set.of(), null, null, null, null))).isEmpty();
    }

    @Test
    default void filtersByStatusTypeParentAndOwner() {
        Listed l = saveListed();
        assertThat(list(query(null, JobStatus.RUNNING, null, null, null))).containsExactly(l.a4(), l.g1(), l.a2());
        assertThat(list(query(null, null, "report.render", null, null))).containsExactly(l.g2(), l.a2());
        assertThat(list(query(null, null, null, l.a2().id(), null))).containsExactly(l.a4(), l.a3());
        assertThat(list(query(null, null, null, null, "user-7"))).containsExactly(l.g2(), l.a3(), l.a2());
        assertThat(list(query(null, null, null, null, "nobody"))).isEmpty();
    }

    @Test
    default void countsByStatusWhatTheFiltersButStatusMatch() {
        Listed l = saveListed();
        assertThat(store().countByStatus(everything(1))).isEqualTo(Map.of(JobStatus.PENDING, 1L,
                JobStatus.RUNNING, 3L, JobStatus.COMPLETED, 1L, JobStatus.FAILED, 1L));
        assertThat(store().countByStatus(query(Set.of(ACME), JobStatus.FAILED, null, null, null)))
                .as("the status filter is not read").isEqualTo(Map.of(JobStatus.PENDING, 1L, JobStatus.RUNNING, 2L,
                        JobStatus.COMPLETED, 1L));
        assertThat(store().countByStatus(query(null, null, "report.render", l.a2().id(), null))).isEmpty();
        assertThat(store().countByStatus(query(null, null, null, l.a2().id(), "user-7")))
                .isEqualTo(Map.of(JobStatus.COMPLETED, 1L));
        assertThat(store().countByStatus(query(Set.of(), null, null, null, null))).isEmpty();
    }

    @Test
    default void combinesFilters() {
        Listed l = saveListed();
        assertThat(list(query(Set.of(ACME), JobStatus.RUNNING, "dataset.import", null, null)))
                .containsExactly(l.a4());
        assertThat(list(query(Set.of(ACME), null, null, l.a2().id(), "user-7"))).containsExactly(l.a3());
        assertThat(list(query(Set.of(GLOBEX), JobStatus.RUNNING, "report.render", null, null))).isEmpty();
    }

    @Test
    default void aLimitedPageEndsWithACursorUnlessItIsTheLast() {
        Listed l = saveListed();
        JobPage first = store().list(new JobQuery(Set.of(ACME), null, null, null, null, 3, null));
        assertThat(first.items()).containsExactly(l.a4(), l.a3(), l.a2());
        assertThat(first.next()).isEqualTo(new ListCursor(l.a2().createdAt().toEpochMilli(), l.a2().id()));
        JobPage last = store().list(new JobQuery(Set.of(ACME), null, null, null, null, 3, first.next()));
        assertThat(last).isEqualTo(new JobPage(List.of(l.a1()), null));
        assertThat(store().list(new JobQuery(Set.of(ACME), null, null, null, null, 4, null)).next()).isNull();
    }

    private List<Job> pageThrough(JobQuery first) {
        List<Job> seen = new ArrayList<>();
        ListCursor cursor = null;
        do {
            JobQuery q = new JobQuery(first.projects(), first.status(), first.type(), first.parentId(),
                    first.owner(), first.limit(), cursor);
            JobPage page = store().list(q);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(first.limit());
            seen.addAll(page.items());
            cursor = page.next() == null ? null : ListCursor.decode(page.next().encode()).orElseThrow();
        } while (cursor != null);
        return seen;
    }

    @Test
    default void visitsEveryJobExactlyOnceWhenManyShareOneMillisecond() {
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
    default void pagesOfOneVisitEveryJob() {
        List<Job> jobs = Stream.generate(() -> TestJobs.pending(ACME).build()).limit(12).toList();
        save(jobs.toArray(Job[]::new));
        List<Job> seen = pageThrough(everything(1));
        assertThat(new HashSet<>(seen)).hasSize(12);
        assertThat(seen).containsExactlyElementsOf(jobs.stream().sorted(NEWEST_FIRST).toList());
    }
}
