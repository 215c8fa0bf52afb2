package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.herald.server.sdk.ServedRequests.LOGS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key limited to 5 writes a second (bursts of 5): the server answers 429 with Retry-After, and the client waits
 * that long and tries again, so every write gets through.
 */
class SdkRateLimitTest {
    private static TestServer server;
    private static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withWriteLimit(5, 5)));
        key = server.newKey("a", "write");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> expectedLines(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("line " + i);
        }
        return lines;
    }

    @Test
    void directCallsOverTheLimitWaitForRetryAfterAndAllGetThrough() {
        long limited = ServedRequests.of(server, LOGS, 429);
        try (Herald herald = Herald.remote(server.baseUrl(), key)) {
            String id = herald.create(JobSpec.of("limited").status(JobStatus.RUNNING)).id();
            for (int i = 0; i < 12; i++) {
                herald.log(id, LogLevel.INFO, "line " + i);
            }
            assertThat(herald.logs(id, 0, 100)).extracting(LogLine::message).isEqualTo(expectedLines(12));
        }
        assertThat(ServedRequests.of(server, LOGS, 429) - limited).as("writes refused with 429 on the way")
                .isPositive();
    }

    @Test
    void aReporterOverTheLimitLosesNothing() {
        long limited = ServedRequests.of(server, LOGS, 429);
        try (Herald herald = Herald.remote(server.baseUrl(), key)) {
            String id;
            try (Reporter r = herald.start(JobSpec.of("limited").total(15))) {
                id = r.jobId();
                for (int i = 0; i < 15; i++) {
                    r.progress(i + 1).info("line " + i);
                }
                r.complete();
            }
            Job job = herald.get(id);
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.progress().current()).isEqualTo(15.0);
            assertThat(herald.logs(id, 0, 100)).extracting(LogLine::message).isEqualTo(expectedLines(15));
        }
        assertThat(ServedRequests.of(server, LOGS, 429) - limited).isPositive();
    }
}
