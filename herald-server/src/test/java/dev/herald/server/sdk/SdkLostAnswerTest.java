package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobFilter;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests that reach the server but whose answers are lost on the way back (a proxy cuts the connection): the
 * client tries again, and a retry never turns success into an error or makes a second job.
 */
class SdkLostAnswerTest {
    private static final String COMPLETE = "POST /jobs/{id}/complete";
    private static TestServer server;
    private static FaultyProxy proxy;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        proxy = new FaultyProxy(server.server().port(), FaultyProxy.Mode.PASS);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        server.close();
    }

    /** Rounds of the sender come only when a worker waits for one, so the lost answer is the one the test means. */
    private static Herald herald() {
        return Herald.builder().url(proxy.baseUrl()).token(TestServer.TOKEN).progressInterval(Duration.ofHours(1))
                .build();
    }

    @Test
    void aCompleteWhoseAnswerIsLostAnswersTheCompletedJob() {
        long refusedRetries = ServedRequests.of(server, COMPLETE, 409);
        try (Herald herald = herald()) {
            String id = herald.create(JobSpec.of("lost").status(JobStatus.RUNNING)).id();
            proxy.loseNextAnswer();
            Job done = herald.complete(id, Map.of("ok", true));
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result()).isEqualTo(new RawJson("{\"ok\":true}"));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ServedRequests.of(server, COMPLETE, 409) - refusedRetries)
                        .as("the retry found the job completed").isEqualTo(1));
    }

    @Test
    void aCreateWhoseAnswerIsLostMakesOneJob() {
        try (Herald herald = herald()) {
            proxy.loseNextAnswer();
            Job job = herald.create(JobSpec.of("lost-create").project("lost"));
            assertThat(herald.list(JobFilter.all().type("lost-create").project("lost")).items())
                    .extracting(Job::id).containsExactly(job.id());
        }
    }

    @Test
    void aReportersCompleteWhoseAnswerIsLostIsDone() {
        try (Herald herald = herald()) {
            Reporter r = herald.start(JobSpec.of("lost-reporter"));
            proxy.loseNextAnswer();
            r.complete(Map.of("ok", true));
            assertThat(r.isCancelled()).isFalse();
            assertThat(herald.get(r.jobId()).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }
}
