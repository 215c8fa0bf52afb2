package dev.herald.core.engine;

import dev.herald.core.command.NewJob;
import dev.herald.core.engine.EngineTestSupport.FlakyStore;
import dev.herald.core.engine.EngineTestSupport.Recorder;
import dev.herald.core.engine.JobEngine.Created;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import dev.herald.core.port.WriteConflict;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the store writer does with a {@link WriteConflict}: the named jobs' changes refused, the rest kept. */
class JobEngineWriteConflictTest {
    private FlakyStore store;
    private Recorder recorder;
    private JobEngine engine;

    @BeforeEach
    void setUp() {
        store = new FlakyStore();
        LocalEventBus bus = new LocalEventBus();
        recorder = new Recorder(bus);
        engine = EngineTestSupport.engine(store, bus, new SettableClock(T0), Duration.ofMillis(20));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void aCreationWhoseKeyAnotherNodeTookMeanwhileAnswersThatNodesJob() {
        CountDownLatch release = new CountDownLatch(1);
        store.held = release;
        CompletableFuture<Created> mine = engine.create(NewJob.of("t", "acme").by(null, "order-1"));
        await().atMost(WAIT).until(() -> store.waiting.get() > 0);
        Job theirs = new Job.Builder().id("j_theirs").type("t").project("acme").status(JobStatus.PENDING)
                .createdAt(T0).updatedAt(T0).version(1).build();
        store.delegate.write(new WriteBatch().job(theirs).event(JobEvent.status(theirs, null))
                .key(new IdempotencyKey("acme", "order-1", theirs.id())));
        store.held = null;
        release.countDown();

        Created created = await(mine);
        assertThat(created.isNew()).isFalse();
        assertThat(created.job()).isEqualTo(theirs);
        assertThat(store.delegate.list(new JobQuery(null, null, null, null, null, 10, null))
                .items()).containsExactly(theirs);
        assertThat(recorder.all()).as("the dropped creation was never published").isEmpty();
        Created again = await(engine.create(NewJob.of("t", "acme").by(null, "order-1")));
        assertThat(again.job().id()).isEqualTo(theirs.id());
    }

    @Test
    void theConflictingJobsChangesAreRefusedAndEveryOtherJobsKept() {
        LiveJob stale = live("j_stale");
        LiveJob keyed = live("j_keyed");
        LiveJob other = live("j_other");
        LiveJob flushedStale = live("j_flushed_stale");
        LiveJob flushedOther = live("j_flushed_other");
        WriteQueue.Item staleState = item(stale, null);
        WriteQueue.Item staleLog = new WriteQueue.Item(stale, null, null, null, null, new CompletableFuture<>());
        WriteQueue.Item keyedCreation = item(keyed, new IdempotencyKey("acme", "k", keyed.id));
        WriteQueue.Item otherState = item(other, new IdempotencyKey("acme", "free", other.id));
        WriteConflict conflict = new WriteConflict(Set.of(stale.id, flushedStale.id),
                List.of(new IdempotencyKey("acme", "k", "j_elsewhere")));

        Conflicts split = Conflicts.of(conflict, List.of(staleState, keyedCreation, staleLog, otherState),
                List.of(flushedStale, flushedOther));

        assertThat(split.lost()).containsExactlyInAnyOrder(stale, keyed, flushedStale);
        assertThat(split.refused()).containsExactly(staleState, keyedCreation, staleLog);
        assertThat(split.kept()).containsExactly(otherState);
        assertThat(split.keptFlushed()).containsExactly(flushedOther);
        assertThat(split.refusal(keyedCreation)).isInstanceOfSatisfying(KeyTaken.class,
                t -> assertThat(t.jobId).isEqualTo("j_elsewhere"));
        assertThat(split.refusal(staleState)).isInstanceOfSatisfying(HeraldException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    private static LiveJob live(String id) {
        Job job = new Job.Builder().id(id).type("t").project("acme").status(JobStatus.RUNNING)
                .createdAt(T0).updatedAt(T0).version(3).build();
        return new LiveJob(job, 0, List.of(), null, 0, 60_000);
    }

    private static WriteQueue.Item item(LiveJob live, IdempotencyKey key) {
        return new WriteQueue.Item(live, live.job(), null, key, null, new CompletableFuture<>());
    }
}
