package dev.herald.core.port;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference store's contract, which the engine tests rely on. */
class InMemoryJobStoreTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00.000Z");

    private static Job job(String id, String project, long createdOffsetMs, long version) {
        return new Job.Builder().id(id).type("t").project(project).status(JobStatus.RUNNING)
                .createdAt(T.plusMillis(createdOffsetMs)).updatedAt(T).version(version).build();
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() {
        InMemoryJobStore store = new InMemoryJobStore();
        store.write(new WriteBatch().job(job("j_a", "p", 0, 5)));
        assertThatThrownBy(() -> store.write(new WriteBatch().job(job("j_a", "p", 0, 3))))
                .isInstanceOfSatisfying(WriteConflict.class, c -> assertThat(c.staleJobs()).containsExactly("j_a"));
        assertThat(store.find("j_a").orElseThrow().version()).isEqualTo(5);
        store.write(new WriteBatch().job(job("j_a", "p", 0, 6)));
        assertThat(store.find("j_a").orElseThrow().version()).isEqualTo(6);
        assertThat(store.find("j_missing")).isEmpty();
    }

    @Test
    void listIsNewestFirstAndPagesWithACursor() {
        InMemoryJobStore store = new InMemoryJobStore();
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < 7; i++) {
            b.job(job("j_" + i, i % 2 == 0 ? "p" : "q", i * 10L, 1));
        }
        store.write(b);
        List<String> seen = new ArrayList<>();
        ListCursor after = null;
        do {
            JobPage page = store.list(new JobQuery(null, null, null, null, null, 3, after));
            page.items().forEach(j -> seen.add(j.id()));
            after = page.next();
            if (after != null) {
                after = ListCursor.decode(after.encode()).orElseThrow();
            }
        } while (after != null);
        assertThat(seen).containsExactly("j_6", "j_5", "j_4", "j_3", "j_2", "j_1", "j_0");
        JobPage onlyP = store.list(new JobQuery(Set.of("p"), null, null, null, null, 50, null));
        assertThat(onlyP.items()).extracting(Job::id).containsExactly("j_6", "j_4", "j_2", "j_0");
        assertThat(onlyP.next()).isNull();
    }

    @Test
    void eventsLogsKeysDeletions() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job a = job("j_a", "p", 0, 1);
        Job b = job("j_b", "p", 0, 1);
        LogLine l1 = new LogLine(1, T, LogLevel.INFO, "one", null);
        LogLine l2 = new LogLine(2, T, LogLevel.INFO, "two", null);
        store.write(new WriteBatch().job(a).job(b)
                .event(JobEvent.status(a, null)).event(JobEvent.status(b, null))
                .event(JobEvent.log(a, l1)).event(JobEvent.log(a, l2))
                .key(new WriteBatch.IdempotencyKey("p", "k", "j_a")));
        assertThat(store.lastPosition()).isEqualTo(4);
        assertThat(store.eventsAfter(List.of("j_a"), 1, 10)).extracting(JobEvent::position).containsExactly(3L, 4L);
        assertThat(store.logs("j_a", 0, 10)).containsExactly(l1, l2);
        assertThat(store.logs("j_a", 1, 10)).containsExactly(l2);
        assertThat(store.lastLogSeq("j_a")).isEqualTo(2);
        assertThat(store.lastLogSeq("j_b")).isZero();
        assertThat(store.jobIdForIdempotencyKey("p", "k")).contains("j_a");
        assertThat(store.jobIdForIdempotencyKey("q", "k")).isEmpty();

        store.write(new WriteBatch().delete("j_a"));
        assertThat(store.find("j_a")).isEmpty();
        assertThat(store.logs("j_a", 0, 10)).isEmpty();
        assertThat(store.jobIdForIdempotencyKey("p", "k")).isEmpty();
        assertThat(store.find("j_b")).isPresent();
    }

    @Test
    void finishedBeforeOnlyFinishedJobsOldestFirst() {
        InMemoryJobStore store = new InMemoryJobStore();
        store.write(new WriteBatch()
                .job(job("j_run", "p", 0, 1))
                .job(job("j_new", "p", 0, 1).toBuilder().status(JobStatus.COMPLETED).finishedAt(T.plusSeconds(50)).build())
                .job(job("j_old", "p", 0, 1).toBuilder().status(JobStatus.FAILED).finishedAt(T.plusSeconds(10)).build())
                .job(job("j_late", "p", 0, 1).toBuilder().status(JobStatus.CANCELLED).finishedAt(T.plusSeconds(500)).build()));
        assertThat(store.finishedBefore(T.plusSeconds(100), 10)).extracting(Job::id).containsExactly("j_old", "j_new");
    }
}
