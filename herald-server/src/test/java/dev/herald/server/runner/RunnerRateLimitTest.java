package dev.herald.server.runner;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Runner;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runner whose key is over its write limit (a server with a low {@code --write-rate}): its claims and
 * completions meet 429 with Retry-After. It slows down and finishes every job, each run once, never losing a
 * completion to a 429 (which would leave the job running until its lease ran out, then run it again).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunnerRateLimitTest {
    private static final int JOBS = 40;
    private static TestServer server;
    private static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withWriteLimit(10, 5)));
        key = server.newKey("a", "write");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eightWorkersOverTheLimitSlowDownAndCompleteEveryJobOnce() throws Exception {
        // no retries for direct calls: the runner's own writes must not lean on them
        try (Herald herald = Herald.builder().url(server.baseUrl()).token(key).maxRetries(0).build();
             Herald creator = Herald.remote(server.baseUrl(), key)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(creator.create(JobSpec.of("limited").status(JobStatus.QUEUED)).id());
            }
            Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
            CountDownLatch ran = new CountDownLatch(JOBS);
            Runner runner = Runner.builder(herald).handle("limited", ctx -> {
                runs.computeIfAbsent(ctx.job().id(), id -> new AtomicInteger()).incrementAndGet();
                ran.countDown();
                return Map.of("ok", true);
            }).concurrency(8).lease(Duration.ofMinutes(5)).start();
            ran.await();
            runner.close(); // once every handler ended and its completion was told
            for (String id : ids) {
                Job job = creator.get(id);
                assertThat(job.status()).as("job %s", id).isEqualTo(JobStatus.COMPLETED);
                assertThat(job.attempt()).as("job %s", id).isEqualTo(1);
                assertThat(runs.get(id)).as("runs of job %s", id).hasValue(1);
            }
        }
        assertThat(limited()).as("requests refused with 429 on the way").isPositive();
    }

    private static long limited() {
        String text = server.get("/metrics").body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("herald_http_requests_total{") && line.contains("status=\"429\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }
}
