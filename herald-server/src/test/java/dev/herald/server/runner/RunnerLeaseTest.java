package dev.herald.server.runner;

import dev.herald.client.Herald;
import dev.herald.client.JobCancelledException;
import dev.herald.client.JobSpec;
import dev.herald.client.Runner;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.time.SettableClock;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A runner's leases on a server whose clock the test moves: renewal keeps a long handler's job, a lost lease
 * abandons the attempt, and a worker JVM killed with {@code kill -9} loses its job to another runner. Leases run
 * out when the server's clock says, never after a sleep.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunnerLeaseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-12-07T06:00:00.000Z"));
    private static TestServer server;
    private static Herald herald;
    private final List<Runner> runners = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.onClock(CLOCK, o -> o);
        herald = Herald.remote(server.baseUrl(), TestServer.TOKEN);
    }

    @AfterAll
    static void stop() {
        herald.close();
        server.close();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        runners.forEach(Runner::close);
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static String newType() {
        return "lease-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Runner runner(Runner runner) {
        runners.add(runner);
        return runner;
    }

    @Test
    void theRunnerRenewsTheLeaseOfAHandlerThatRunsLongerThanIt() throws Exception {
        String type = newType();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runner r = runner(Runner.builder(herald).handle(type, ctx -> {
            started.countDown();
            release.await();
            return Map.of("attempt", ctx.attempt());
        }).lease(Duration.ofSeconds(3)).start());
        Job job = r.enqueue(JobSpec.of(type).maxAttempts(3));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 5; i++) {
            CLOCK.advance(Duration.ofSeconds(2));
            Instant renewedAt = CLOCK.instant().plusSeconds(3);
            // renewed after the move: the lease ends 3 s after the server's new time
            await().atMost(WAIT).until(() -> !herald.get(job.id()).lease().expiresAt().isBefore(renewedAt));
        }
        release.countDown();
        Job done = herald.awaitFinished(job.id(), WAIT);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempt()).as("10 s of the server's time, one attempt").isEqualTo(1);
    }

    @Test
    void aLostLeaseEndsTheAttemptAndTheJobRunsAgain() throws Exception {
        String type = newType();
        AtomicReference<JobCancelledException> firstSaw = new AtomicReference<>();
        Runner r = runner(Runner.builder(herald).handle(type, ctx -> {
            if (ctx.attempt() == 1) {
                CountDownLatch lost = new CountDownLatch(1);
                ctx.onCancel(lost::countDown);
                lost.await();
                try {
                    ctx.throwIfCancelled();
                } catch (JobCancelledException e) {
                    firstSaw.set(e);
                }
                ctx.info("too late");
                return "ignored";
            }
            return Map.of("attempt", ctx.attempt());
        }).lease(Duration.ofSeconds(3)).concurrency(2).start());
        Job job = r.enqueue(JobSpec.of(type).maxAttempts(2));
        await().atMost(WAIT).until(() -> herald.get(job.id()).status() == JobStatus.RUNNING);

        CLOCK.advance(Duration.ofMinutes(10)); // far beyond the lease: expired before any renewal can reach it
        Job done = herald.awaitFinished(job.id(), WAIT);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.result().text()).isEqualTo("{\"attempt\":2}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(firstSaw.get()).isNotNull());
        assertThat(firstSaw.get().code()).isEqualTo(ErrorCode.LEASE_LOST);
        assertThat(herald.logs(job.id(), 0, 100)).extracting(LogLine::message).doesNotContain("too late");
    }

    @Test
    void aWorkerKilledMidJobLosesItToAnotherRunnerAndTheLogsShowBothAttempts() throws Exception {
        String type = newType();
        Job job = herald.create(JobSpec.of(type).status(JobStatus.QUEUED).maxAttempts(3));
        Process worker = launchWorker(type, 3_000);
        await().atMost(WAIT).until(() -> herald.logs(job.id(), 0, 10).size() == 1);
        String pid = Long.toString(worker.pid());
        assertThat(herald.get(job.id()).lease().worker()).isEqualTo("process-" + pid);

        worker.destroyForcibly(); // SIGKILL: no shutdown hook, no give-back
        worker.waitFor();
        CLOCK.advance(Duration.ofSeconds(3)); // the dead worker's lease runs out on the server's clock
        runner(Runner.builder(herald).handle(type, ctx -> {
            ctx.info("attempt " + ctx.attempt() + " started in the test's JVM");
            return Map.of("attempt", ctx.attempt());
        }).start());

        Job done = herald.awaitFinished(job.id(), WAIT);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(herald.logs(job.id(), 0, 10)).extracting(LogLine::message).containsExactly(
                "attempt 1 started in process " + pid, "attempt 2 started in the test's JVM");
    }

    private Process launchWorker(String type, long leaseMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RunnerProcess.class.getName(), server.baseUrl(), TestServer.TOKEN, type, Long.toString(leaseMs))
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
        Process p = pb.start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("ready")) {
                return p;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the worker exited with " + p.waitFor() + ": " + seen);
    }
}
