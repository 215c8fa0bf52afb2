package dev.herald.core.engine;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A job whose deletion is queued is still in the store until the deletion commits: loaded meanwhile (a parent's
 * summary update, a second sweep), its copy in memory would be written back over the deletion.
 */
class PendingDeletionTest {
    @Test
    void aJobIsLoadedAgainOnlyOnceItsQueuedDeletionIsWritten() throws Exception {
        InMemoryJobStore store = new InMemoryJobStore();
        JobCache cache = new JobCache(store, new SettableClock(T0), 60_000, null);
        Job job = new Job.Builder().id("j_1").type("import").project("acme").status(JobStatus.COMPLETED)
                .createdAt(T0).updatedAt(T0).startedAt(T0).finishedAt(T0).version(2).build();
        store.write(new WriteBatch().job(job));
        CompletableFuture<Void> written = new CompletableFuture<>();
        cache.delete(job, retired -> written);

        Thread loader = Thread.currentThread();
        AtomicBoolean loaded = new AtomicBoolean();
        // the store writer, which commits the deletion only once the load waits for it (or has read the job back)
        Thread writer = new Thread(() -> {
            await().atMost(EngineTestSupport.WAIT)
                    .until(() -> loaded.get() || loader.getState() == Thread.State.WAITING);
            store.write(new WriteBatch().delete(job.id()));
            written.complete(null);
        });
        writer.start();
        HeraldException refusal;
        try {
            refusal = catchThrowableOfType(() -> cache.load(job.id()), HeraldException.class);
        } finally {
            loaded.set(true);
            writer.join();
        }
        assertThat(refusal).isNotNull();
        assertThat(refusal.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(cache.get(job.id())).isNull();
    }
}
