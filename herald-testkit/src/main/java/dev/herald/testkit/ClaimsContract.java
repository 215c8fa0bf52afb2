package dev.herald.testkit;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Lease;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.ClaimQuery;
import dev.herald.core.port.WriteBatch;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on claims (API §9): the store answers each queued job to one claim at a
 * time, oldest first, within the claim's types and projects and not before a delayed retry's time; finds
 * the running jobs whose stored lease ran out; and keeps a job's input until the job is deleted.
 */
public interface ClaimsContract extends JobStoreFixture {
    String WORK = "crawl.page";
    Instant NOW = T0.plusSeconds(60);
    Instant HOLD = NOW.plusSeconds(30);

    private static Job queued(String project, String type, int secondsAfterT0) {
        return TestJobs.pending(project).type(type).status(JobStatus.QUEUED)
                .createdAt(T0.plusSeconds(secondsAfterT0)).build();
    }

    private Optional<String> claim(Set<String> types, Set<String> projects, Instant now) {
        return store().claimNext(new ClaimQuery(types, projects, now, now.plusSeconds(30)));
    }

    @Test
    default void twentyClaimersTakeEveryQueuedJobExactlyOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 60; i++) {
            Job job = queued(ACME, WORK, i);
            batch.job(job);
            ids.add(job.id());
        }
        store().write(batch);
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        ExecutorService claimers = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                work.add(() -> {
                    Optional<String> id;
                    while ((id = claim(Set.of(WORK), Set.of(ACME), NOW)).isPresent()) {
                        taken.add(id.get());
                    }
                    return null;
                });
            }
            for (Future<Void> f : claimers.invokeAll(work)) {
                f.get();
            }
        } finally {
            claimers.shutdown();
        }
        assertThat(taken).as("each job once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    default void theOldestQueuedJobOfTheTypesAndProjectsComesFirst() {
        Job newer = queued(ACME, WORK, 5);
        Job older = queued(ACME, WORK, 1);
        Job otherType = queued(ACME, "other", 0);
        Job otherProject = queued(GLOBEX, WORK, 2);
        Job pending = TestJobs.pending(ACME).type(WORK).build();
        Job running = TestJobs.running(ACME).type(WORK).build();
        save(newer, older, otherType, otherProject, pending, running);

        assertThat(claim(Set.of(WORK), Set.of(ACME), NOW)).contains(older.id());
        assertThat(claim(Set.of(WORK), Set.of(ACME), NOW)).contains(newer.id());
        assertThat(claim(Set.of(WORK), Set.of(ACME), NOW)).isEmpty();
        assertThat(claim(Set.of(WORK, "other"), null, NOW)).as("any project, either type")
                .contains(otherType.id());
        assertThat(claim(Set.of(WORK, "other"), null, NOW)).contains(otherProject.id());
        assertThat(claim(Set.of(WORK, "other"), null, NOW)).isEmpty();
    }

    @Test
    default void aHeldJobIsAnsweredAgainOnceTheHoldEndsOrTheJobIsQueuedAgain() {
        Job job = queued(ACME, WORK, 0);
        save(job);
        assertThat(claim(Set.of(WORK), null, NOW)).contains(job.id());
        assertThat(claim(Set.of(WORK), null, NOW.plusSeconds(29))).as("held").isEmpty();
        assertThat(claim(Set.of(WORK), null, NOW.plusSeconds(30))).as("its claimer never took it")
                .contains(job.id());

        Job again = TestJobs.next(job).status(JobStatus.QUEUED).build();
        save(again);
        assertThat(claim(Set.of(WORK), null, NOW.plusSeconds(31))).as("queued again: a new version")
                .contains(job.id());
    }

    @Test
    default void aDelayedRetryIsNotAnsweredBeforeItsTime() {
        Job job = queued(ACME, WORK, 0).toBuilder().nextAttemptAt(NOW.plusSeconds(10)).build();
        save(job);
        assertThat(claim(Set.of(WORK), null, NOW.plusMillis(9_999))).isEmpty();
        assertThat(claim(Set.of(WORK), null, NOW.plusSeconds(10))).contains(job.id());
    }

    @Test
    default void runningJobsWhoseStoredLeaseRanOutAreFoundSoonestFirst() {
        Job late = TestJobs.running(ACME).lease(new Lease("w1", "t1", NOW.minusSeconds(1), 1000)).build();
        Job early = TestJobs.running(ACME).lease(new Lease("w2", "t2", NOW.minusSeconds(5), 1000)).build();
        Job current = TestJobs.running(ACME).lease(new Lease("w3", "t3", NOW.plusSeconds(5), 1000)).build();
        Job finished = TestJobs.completed(ACME, NOW).lease(new Lease("w4", "t4", NOW.minusSeconds(9), 1000)).build();
        save(late, early, current, finished, TestJobs.running(ACME).build());

        assertThat(store().expiredLeases(NOW, 10)).containsExactly(early.id(), late.id());
        assertThat(store().expiredLeases(NOW, 1)).containsExactly(early.id());
        assertThat(store().find(late.id()).orElseThrow().lease()).isEqualTo(late.lease());
    }

    @Test
    default void anInputIsKeptWithItsJobAndDeletedWithIt() {
        Job job = queued(ACME, WORK, 0);
        RawJson input = new RawJson("{\"url\":\"https://example.com/\",\"depth\":2,\"tags\":[\"a\",\"b\"]}");
        store().write(new WriteBatch().job(job).input(job.id(), input));
        Job other = queued(ACME, WORK, 1);
        save(other);

        assertThat(store().input(job.id())).contains(input);
        assertThat(store().input(other.id())).isEmpty();
        assertThat(store().input("unknown")).isEmpty();
        store().write(new WriteBatch().delete(job.id()));
        assertThat(store().input(job.id())).isEmpty();
    }
}
