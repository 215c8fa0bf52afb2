package dev.herald.server.sdk;

import dev.herald.client.transport.HttpTransport;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The raw calls a worker's runner makes (API §9) through the SDK's transports, remote and in-process:
 * claim, input, writes under a lease token, a delayed retry.
 */
class SdkClaimsTest {
    private static TestServer server;
    private static Transport remote;
    private static Transport local;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        remote = new HttpTransport(server.baseUrl(), TestServer.TOKEN, Duration.ofSeconds(10));
        local = server.server().transport();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : List.<AutoCloseable>of(remote, local, server)) {
            try {
                c.close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    private static Transport transport(String which) {
        return "remote".equals(which) ? remote : local;
    }

    private static String newType() {
        return "sdk-work-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static NewJob queued(String type) {
        return new NewJob(type, null, null, null, null, null, null, null, null, false, JobStatus.QUEUED, 2, null);
    }

    private static ClaimRequest claim(String type, long waitMs) {
        return new ClaimRequest(Set.of(type), null, "sdk-worker", 60_000, waitMs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aWorkerClaimsReadsTheInputAndWritesUnderItsLease(String which) {
        Transport t = transport(which);
        String type = newType();
        RawJson input = new RawJson("{\"url\":\"https://example.com/\",\"depth\":2}");
        Job created = t.create(queued(type), input);
        assertThat(t.input(created.id())).isEqualTo(input);

        Job claimed = t.claim(claim(type, 0));
        assertThat(claimed.id()).isEqualTo(created.id());
        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.lease().worker()).isEqualTo("sdk-worker");
        assertThat(claimed.lease().token()).startsWith("lt_");
        assertThat(t.claim(claim(type, 0))).as("none left").isNull();

        Transport worker = t.leased(claimed.lease().token());
        assertThat(worker.progress(created.id(), ProgressReport.of(1, 2))).isGreaterThan(claimed.version());
        worker.heartbeat(created.id());
        worker.log(created.id(), new dev.herald.core.command.LogEntry(dev.herald.core.model.LogLevel.INFO,
                "fetched", null));
        HeraldException lost = catchThrowableOfType(
                () -> t.leased("lt_someone-else").progress(created.id(), ProgressReport.of(2, 2)),
                HeraldException.class);
        assertThat(lost.code()).isEqualTo(ErrorCode.LEASE_LOST);

        Job retried = worker.retry(created.id(), Duration.ofMinutes(10));
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.nextAttemptAt()).isNotNull();
        assertThat(t.claim(claim(type, 0))).as("not before its time").isNull();
        HeraldException afterRetry = catchThrowableOfType(() -> worker.heartbeat(created.id()),
                HeraldException.class);
        assertThat(afterRetry.code()).isEqualTo(ErrorCode.LEASE_LOST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aWaitingClaimGetsAJobCreatedWhileItWaits(String which) throws Exception {
        Transport t = transport(which);
        String type = newType();
        CompletableFuture<Job> waiting = CompletableFuture.supplyAsync(() -> t.claim(claim(type, 20_000)));
        Job created = t.create(queued(type), null);
        assertThat(waiting.get(30, TimeUnit.SECONDS).id()).isEqualTo(created.id());
        assertThat(t.input(created.id())).as("created without input").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aBadClaimIsRefusedAsOverRest(String which) {
        HeraldException e = catchThrowableOfType(() -> transport(which).claim(
                new ClaimRequest(Set.of("t"), null, "w", 10, 0)), HeraldException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.field()).isEqualTo("leaseMs");
    }
}
