package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.json.EventJson;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.server.sdk.ServedRequests.BATCH;
import static dev.herald.server.sdk.ServedRequests.PROGRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SDK.md §4 against a real server: what reporters cost in requests (counted by the server's /metrics), what
 * arrives, and in which order (read from the job's event stream, which is in version order).
 */
class SdkReporterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Herald herald(Duration progressInterval) {
        return Herald.builder().url(server.baseUrl()).token(TestServer.TOKEN).progressInterval(progressInterval)
                .build();
    }

    private static long progressRequests() {
        return ServedRequests.of(server, PROGRESS) + ServedRequests.of(server, BATCH);
    }

    @Test
    void aMillionIncrementsCostAHandfulOfRequestsAndTheFinalStateIsExact() {
        long before = progressRequests();
        String id;
        try (Herald herald = herald(Duration.ofMillis(100));
             Reporter r = herald.start(JobSpec.of("million").total(1_000_000).unit("rows"))) {
            id = r.jobId();
            for (int i = 0; i < 1_000_000; i++) {
                r.increment();
            }
            r.complete();
        }
        try (Herald herald = herald(Duration.ofMillis(100))) {
            Job job = herald.get(id);
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.progress().current()).isEqualTo(1_000_000.0);
            assertThat(job.progress().percent()).isEqualTo(100.0);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(progressRequests() - before).isPositive());
        assertThat(progressRequests() - before).as("progress requests for a million increments").isLessThan(50);
    }

    @Test
    void theProgressOfSeveralJobsGoesInOneBatch() {
        // rounds come only when a worker waits for one: the round that complete() waits for takes every job
        try (Herald herald = herald(Duration.ofHours(1))) {
            List<Reporter> reporters = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                reporters.add(herald.start(JobSpec.of("batched").total(100)));
            }
            long batches = ServedRequests.of(server, BATCH);
            long singles = ServedRequests.of(server, PROGRESS);
            for (int i = 0; i < reporters.size(); i++) {
                reporters.get(i).progress(i + 1);
            }
            reporters.get(0).complete();
            for (int i = 0; i < reporters.size(); i++) {
                assertThat(herald.get(reporters.get(i).jobId()).progress().current()).isEqualTo(i + 1.0);
            }
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(ServedRequests.of(server, BATCH) - batches).isEqualTo(1));
            assertThat(ServedRequests.of(server, PROGRESS) - singles).isZero();
        }
    }

    @Test
    void linesChildrenAndTheTransitionComeAfterTheProgressBeforeThem() {
        try (Herald herald = herald(Duration.ofMillis(20))) {
            Reporter r = herald.start(JobSpec.of("ordered").total(100));
            String childId;
            List<JobEvent> events = new ArrayList<>();
            try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + r.jobId() + "/events?descendants=true")) {
                assertThat(sse.next(WAIT).event()).isEqualTo("snapshot");
                for (int i = 1; i <= 100; i++) {
                    r.progress(i);
                    if (i % 10 == 0) {
                        r.info("after " + i);
                    }
                }
                childId = r.child(JobSpec.of("page")).jobId();
                r.progress(100).message("done");
                r.complete(Map.of("rows", 100));
                while (events.isEmpty() || !isEnd(events.get(events.size() - 1), r.jobId())) {
                    SseClient.Event e = sse.next(WAIT);
                    assertThat(e).as("events until the job completes").isNotNull();
                    events.add(EventJson.fromJson(e.data(), null, 0));
                }
            }
            double current = 0;
            for (JobEvent e : events) {
                if (e.jobId().equals(r.jobId()) && e.job() != null) {
                    current = e.job().progress().current() == null ? 0 : e.job().progress().current();
                } else if (e.type() == EventType.LOG) {
                    int after = Integer.parseInt(e.log().message().substring("after ".length()));
                    assertThat(current).as("progress before line '%s'", e.log().message()).isGreaterThanOrEqualTo(after);
                } else if (e.jobId().equals(childId) && e.type() == EventType.STATUS && e.from() == null) {
                    assertThat(current).as("progress before the child's creation").isEqualTo(100);
                }
            }
            JobEvent end = events.get(events.size() - 1);
            assertThat(end.job().progress().message()).as("the final progress came before the transition")
                    .isEqualTo("done");
            assertThat(end.job().result()).isEqualTo(new RawJson("{\"rows\":100}"));
            assertThat(events).filteredOn(e -> e.type() == EventType.LOG).hasSize(10);
        }
    }

    private static boolean isEnd(JobEvent e, String jobId) {
        return e.jobId().equals(jobId) && e.type() == EventType.STATUS && e.to() == JobStatus.COMPLETED;
    }
}
