package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server goes away under a working reporter and comes back on the same port and data: the worker never sees
 * an exception, and the newest progress, every log line and the transition arrive after the return.
 */
class SdkServerRestartTest {

    @Test
    void aReporterWaitsOutTheServersAbsenceAndLosesNothing() throws Exception {
        Path data = Files.createTempDirectory("herald-sdk-restart");
        TestServer first = TestServer.startOn(data);
        TestServer second = null;
        try (Herald herald = Herald.remote(first.baseUrl(), TestServer.TOKEN)) {
            Reporter r = herald.start(JobSpec.of("restart").total(1000).unit("rows"));
            CountDownLatch serverGone = new CountDownLatch(1);
            CountDownLatch completing = new CountDownLatch(1);
            CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
                work(r, 1, 300);
                awaitLatch(serverGone);
                work(r, 301, 1000);
                completing.countDown();
                r.complete(Map.of("rows", 1000));
            });
            await().atMost(30, TimeUnit.SECONDS).until(() -> herald.logs(r.jobId(), 0, 10).size() == 3);
            int port = first.server().port();
            first.close();
            first = null;
            serverGone.countDown();
            assertThat(completing.await(30, TimeUnit.SECONDS)).as("progress calls never wait for the server").isTrue();
            assertThat(worker).as("complete waits for the server").isNotDone();

            second = TestServer.startOn(data, port);
            worker.get(60, TimeUnit.SECONDS);

            Job job = herald.get(r.jobId());
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.progress().current()).isEqualTo(1000.0);
            assertThat(job.result()).isEqualTo(new RawJson("{\"rows\":1000}"));
            assertThat(herald.logs(r.jobId(), 0, 100)).extracting(LogLine::message).containsExactly(
                    "row 100", "row 200", "row 300", "row 400", "row 500", "row 600", "row 700", "row 800",
                    "row 900", "row 1000");
        } finally {
            for (TestServer s : new TestServer[]{first, second}) {
                if (s != null) {
                    s.close();
                }
            }
            TestServer.deleteRecursively(data);
        }
    }

    private static void work(Reporter r, int from, int to) {
        for (int row = from; row <= to; row++) {
            r.progress(row);
            if (row % 100 == 0) {
                r.info("row " + row);
            }
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
