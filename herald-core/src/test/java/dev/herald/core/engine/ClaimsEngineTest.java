package dev.herald.core.engine;

import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.NewJob;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.WAIT;
import static dev.herald.core.engine.EngineTestSupport.await;
import static dev.herald.core.engine.EngineTestSupport.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Claims and leases in the engine (API §9), on the in-memory store and a clock the test moves. */
class ClaimsEngineTest {
    private final SettableClock clock = new SettableClock(T0);
    private final InMemoryJobStore store = new InMemoryJobStore();
    private JobEngine engine;

    @BeforeEach
    void start() {
        engine = JobEngine.start(store, new LocalEventBus(), EngineOptions.defaults().withClock(clock)
                .withFlushInterval(Duration.ofMillis(20)));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private Job queued(String type, int maxAttempts) {
        return await(engine.create(new NewJob(type, null, "acme", null, null, null, null, null, null, false,
                JobStatus.QUEUED, maxAttempts, null, new RawJson("{\"n\":1}")))).job();
    }

    private Optional<Job> claim(String type, long waitMs) {
        return await(engine.claim(new ClaimRequest(Set.of(type), Set.of("acme"), "w", 1_000, waitMs)));
    }

    @Test
    void aClaimedJobRunsUnderALeaseAndItsInputIsKept() {
        Job job = queued("t", 1);
        Job claimed = claim("t", 0).orElseThrow();
        assertThat(claimed.id()).isEqualTo(job.id());
        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.lease().expiresAt()).isEqualTo(clock.instant().plusMillis(1_000));
        assertThat(await(engine.input(job.id()))).contains(new RawJson("{\"n\":1}"));
        assertThat(claim("t", 0)).isEmpty();
    }

    @Test
    void aJobGivenBackIsQueuedAgainWithItsAttemptNotCounted() {
        queued("t", 2);
        Job claimed = claim("t", 0).orElseThrow();
        Job back = await(engine.leased(claimed.lease().token()).release(claimed.id()));
        assertThat(back.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(back.attempt()).isEqualTo(1);
        assertThat(back.lease()).isNull();
        assertThat(claim("t", 0).orElseThrow().attempt()).isEqualTo(1);
    }

    @Test
    void anotherTokenLosesTheLeaseAndChangesNothing() {
        queued("t", 1);
        Job claimed = claim("t", 0).orElseThrow();
        assertThat(refusal(() -> engine.leased("lt_other").heartbeat(claimed.id())).code())
                .isEqualTo(ErrorCode.LEASE_LOST);
        assertThat(await(engine.get(claimed.id())).version()).isEqualTo(claimed.version());
    }

    @Test
    void aWaitingClaimTakesTheJobQueuedWhileItWaitsAndOneWithoutAJobEndsEmpty() {
        CompletableFuture<Optional<Job>> waiting = engine.claim(
                new ClaimRequest(Set.of("later"), null, "w", 1_000, 30_000));
        Job job = queued("later", 1);
        assertThat(await(waiting)).map(Job::id).contains(job.id());
        assertThat(claim("never", 50)).isEmpty();
    }

    @Test
    void aCancelledClaimTakesNothingAndAJobItTookMeanwhileGoesBack() {
        CompletableFuture<Optional<Job>> gone =
                engine.claim(new ClaimRequest(Set.of("left"), null, "w", 1_000, 30_000));
        gone.cancel(false);
        Job job = queued("left", 1);
        Job next = await(engine.claim(new ClaimRequest(Set.of("left"), null, "here", 1_000, 10_000))).orElseThrow();
        assertThat(next.id()).isEqualTo(job.id());
        assertThat(next.attempt()).as("a job given back was not counted as run").isEqualTo(1);
        assertThat(next.lease().worker()).isEqualTo("here");
    }

    @Test
    void anExpiredLeaseIsEndedByTheClock() {
        queued("t", 2);
        Job claimed = claim("t", 0).orElseThrow();
        clock.advance(Duration.ofMillis(1_000));
        await().atMost(WAIT).until(() -> await(engine.get(claimed.id())).status() == JobStatus.QUEUED);
        assertThat(await(engine.get(claimed.id())).attempt()).isEqualTo(2);
        // queued again in memory first, in the store a flush later: the claim waits for it there
        claim("t", 10_000).orElseThrow();
        clock.advance(Duration.ofMillis(1_000));
        await().atMost(WAIT).until(() -> await(engine.get(claimed.id())).status() == JobStatus.FAILED);
        assertThat(await(engine.get(claimed.id())).error().code()).isEqualTo("lease_expired");
    }
}
