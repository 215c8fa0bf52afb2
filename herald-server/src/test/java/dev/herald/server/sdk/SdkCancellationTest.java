package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobCancelledException;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.JobStatus;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.herald.server.sdk.ServedRequests.HEARTBEAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A reporter learns that its job was cancelled: from the answer to its writes, or from its heartbeat. */
class SdkCancellationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestServer server;
    /** The person who cancels. */
    private static Herald operator;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        operator = Herald.remote(server.baseUrl(), TestServer.TOKEN);
    }

    @AfterAll
    static void stop() {
        operator.close();
        server.close();
    }

    private static Herald worker(Duration heartbeatInterval) {
        return Herald.builder().url(server.baseUrl()).token(TestServer.TOKEN).progressInterval(Duration.ofMillis(20))
                .heartbeatInterval(heartbeatInterval).build();
    }

    /** Works on until the reporter says stop, as a worker's loop does. */
    private static void workUntilCancelled(Reporter r) {
        await().atMost(WAIT).until(() -> {
            r.increment();
            return r.isCancelled();
        });
    }

    @Test
    void aCancelIsLearnedFromTheNextWriteAndTheWorkerIsToldOnce() {
        try (Herald herald = worker(Duration.ofHours(1))) {
            Reporter r = herald.start(JobSpec.of("cancelled"));
            AtomicInteger told = new AtomicInteger();
            r.onCancel(told::incrementAndGet);
            r.throwIfCancelled();
            operator.cancel(r.jobId());
            workUntilCancelled(r);
            await().atMost(WAIT).untilAsserted(() -> assertThat(told).hasValue(1));
            assertThatThrownBy(r::throwIfCancelled).isInstanceOfSatisfying(JobCancelledException.class, e -> {
                assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(e.jobId()).isEqualTo(r.jobId());
            });
            // later writes are dropped without a word, and the job stays as the person left it
            r.increment().info("not sent");
            r.complete();
            assertThat(told).hasValue(1);
            assertThat(operator.get(r.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(operator.logs(r.jobId(), 0, 10)).isEmpty();
        }
    }

    @Test
    void aParentsCancelReachesTheReporterOfItsChild() {
        try (Herald herald = worker(Duration.ofHours(1))) {
            Reporter parent = herald.start(JobSpec.of("tree"));
            Reporter child = parent.child(JobSpec.of("page"));
            Reporter grandchild = child.child(JobSpec.of("part").status(JobStatus.RUNNING));
            operator.cancel(parent.jobId());
            workUntilCancelled(grandchild);
            workUntilCancelled(child);
            workUntilCancelled(parent);
            assertThat(operator.get(grandchild.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThatThrownBy(() -> parent.child(JobSpec.of("page"))).isInstanceOf(JobCancelledException.class);
        }
    }

    @Test
    void anIdleReporterLearnsOfTheCancelFromItsHeartbeat() {
        try (Herald herald = worker(Duration.ofMillis(200))) {
            Reporter r = herald.start(JobSpec.of("idle"));
            AtomicInteger told = new AtomicInteger();
            r.onCancel(told::incrementAndGet);
            await().atMost(WAIT).until(() -> ServedRequests.of(server, HEARTBEAT, 204) > 0);
            operator.cancel(r.jobId());
            await().atMost(WAIT).until(r::isCancelled);
            await().atMost(WAIT).untilAsserted(() -> assertThat(told).hasValue(1));
            assertThat(ServedRequests.of(server, HEARTBEAT, 409)).isPositive();
        }
    }
}
