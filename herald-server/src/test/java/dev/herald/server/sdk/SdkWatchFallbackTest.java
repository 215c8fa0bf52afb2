package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Watch;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watches behind proxies that break event streams (SDK.md §5): they fall back to long polling, still see every
 * job to its end, and go back to streaming once streams get through again.
 */
class SdkWatchFallbackTest {
    /** The server speaks every 250 ms on a quiet stream; the client allows it a second. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    private static TestServer server;
    private static Herald direct;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withKeepAlive(Duration.ofMillis(250)));
        direct = Herald.remote(server.baseUrl(), TestServer.TOKEN);
    }

    @AfterAll
    static void stop() {
        direct.close();
        server.close();
    }

    private static Herald through(StreamProxy proxy) {
        return Herald.builder().url(proxy.baseUrl()).token(TestServer.TOKEN).keepAlive(KEEP_ALIVE)
                .streamRetry(Duration.ofSeconds(1)).build();
    }

    @Test
    void behindAProxyThatBuffersStreamsTheWatchPollsAndSeesTheJobFinish() {
        try (StreamProxy proxy = new StreamProxy(server.server().port(), StreamProxy.Mode.BUFFER_STREAMS);
             Herald herald = through(proxy)) {
            followToTheEnd(herald);
        }
    }

    @Test
    void behindAProxyThatRefusesStreamsTheWatchPollsAndSeesTheJobFinish() {
        try (StreamProxy proxy = new StreamProxy(server.server().port(), StreamProxy.Mode.REFUSE_STREAMS);
             Herald herald = through(proxy)) {
            followToTheEnd(herald);
        }
    }

    @Test
    void aPollingWatchGoesBackToTheStreamOnceItGetsThrough() {
        try (StreamProxy proxy = new StreamProxy(server.server().port(), StreamProxy.Mode.BUFFER_STREAMS);
             Herald herald = through(proxy)) {
            Job job = direct.create(JobSpec.of("back-to-stream").status(JobStatus.RUNNING));
            WatchedEvents seen = new WatchedEvents();
            List<Watch.State> states = new CopyOnWriteArrayList<>();
            try (Watch w = herald.watch(job.id(), seen).onState(states::add)) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.POLLING);
                proxy.mode(StreamProxy.Mode.PASS);
                await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.LIVE);
                direct.log(job.id(), dev.herald.core.model.LogLevel.INFO, "streamed again");
                direct.complete(job.id(), null);
                await().atMost(30, TimeUnit.SECONDS).until(() -> seen.finished(job.id()));
                assertThat(seen.lines(job.id())).containsExactly("streamed again");
                assertThat(seen.broken).isEmpty();
                assertThat(states).containsSubsequence(Watch.State.CONNECTING, Watch.State.POLLING, Watch.State.LIVE);
            }
        }
    }

    /** A job moved and logged while the watch polls: it sees the lines, the moves and the end, in order. */
    private static void followToTheEnd(Herald herald) {
        Job job = direct.create(JobSpec.of("behind-a-proxy").total(10));
        WatchedEvents seen = new WatchedEvents();
        try (Watch w = herald.watch(job.id(), seen)) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.POLLING);
            await().atMost(30, TimeUnit.SECONDS).until(() -> w.job(job.id()) != null);
            direct.start(job.id());
            await().atMost(30, TimeUnit.SECONDS).until(() -> seen.moves(job.id()).contains("pending->running"));
            direct.log(job.id(), dev.herald.core.model.LogLevel.INFO, "half way");
            direct.complete(job.id(), Map.of("rows", 10));
            await().atMost(30, TimeUnit.SECONDS).until(() -> seen.finished(job.id()));
            assertThat(seen.moves(job.id())).containsExactly("pending->running", "running->completed");
            assertThat(seen.lines(job.id())).containsExactly("half way");
            assertThat(seen.broken).isEmpty();
            assertThat(w.state()).isEqualTo(Watch.State.POLLING);
        }
    }
}
