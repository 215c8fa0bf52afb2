package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Watch;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watches behind proxies that break event streams (SDK.md §5): they fall back to long polling, still see every
 * job to its end, and go back to streaming once streams get through again.
 */
class SdkWatchFallbackTest {
    /** The server speaks every 250 ms on a quiet stream; the client allows it a second. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    @RegisterExtension
    static final SdkServer sdk = new SdkServer(o -> o.withKeepAlive(Duration.ofMillis(250)));

    private static Herald through(FaultyProxy proxy) {
        return Herald.builder().url(proxy.baseUrl()).token(TestServer.TOKEN).keepAlive(KEEP_ALIVE)
                .streamRetry(Duration.ofSeconds(1)).build();
    }

    @Test
    void behindAProxyThatBuffersStreamsTheWatchPollsAndSeesTheJobFinish() {
        try (FaultyProxy proxy = new FaultyProxy(sdk.server().server().port(), FaultyProxy.Mode.BUFFER_STREAMS);
             Herald herald = through(proxy)) {
            followToTheEnd(herald);
        }
    }

    @Test
    void behindAProxyThatRefusesStreamsTheWatchPollsAndSeesTheJobFinish() {
        try (FaultyProxy proxy = new FaultyProxy(sdk.server().server().port(), FaultyProxy.Mode.REFUSE_STREAMS);
             Herald herald = through(proxy)) {
            followToTheEnd(herald);
        }
    }

    @Test
    void aPollingWatchGoesBackToTheStreamOnceItGetsThrough() {
        try (FaultyProxy proxy = new FaultyProxy(sdk.server().server().port(), FaultyProxy.Mode.BUFFER_STREAMS);
             Herald herald = through(proxy)) {
            Job job = sdk.herald().create(JobSpec.of("back-to-stream").status(JobStatus.RUNNING));
            WatchedEvents seen = new WatchedEvents();
            List<Watch.State> states = new CopyOnWriteArrayList<>();
            try (Watch w = herald.watch(job.id(), seen).onState(states::add)) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.POLLING);
                proxy.mode(FaultyProxy.Mode.PASS);
                await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.LIVE);
                sdk.herald().log(job.id(), LogLevel.INFO, "streamed again");
                sdk.herald().complete(job.id(), null);
                await().atMost(30, TimeUnit.SECONDS).until(() -> seen.finished(job.id()));
                assertThat(seen.lines(job.id())).containsExactly("streamed again");
                assertThat(seen.broken).isEmpty();
                assertThat(states).containsSubsequence(Watch.State.CONNECTING, Watch.State.POLLING, Watch.State.LIVE);
            }
        }
    }

    /**
     * A polling watch reads a new line, then the job's state again (the line may be newer than the state it had):
     * lines written and the job finished just before that read reach the listener too, each once, in order, before
     * the end.
     */
    @Test
    void linesWrittenWhileAPollingWatchRereadsTheStateAreNotLost() {
        try (FaultyProxy proxy = new FaultyProxy(sdk.server().server().port(), FaultyProxy.Mode.BUFFER_STREAMS);
             Herald herald = through(proxy)) {
            Job job = sdk.herald().create(JobSpec.of("reread").status(JobStatus.RUNNING));
            WatchedEvents seen = new WatchedEvents();
            try (Watch w = herald.watch(job.id(), seen)) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.POLLING);
                await().atMost(30, TimeUnit.SECONDS).until(() -> w.job(job.id()) != null);
                List<String> later = IntStream.range(0, 5).mapToObj(i -> "meanwhile " + i).toList();
                // the watch long-polls with waitForVersion; a plain read of the job is its re-read of the state
                proxy.beforeRequest("GET /api/v1/jobs/" + job.id() + " ", () -> {
                    later.forEach(line -> sdk.herald().log(job.id(), LogLevel.INFO, line));
                    sdk.herald().complete(job.id(), null);
                });
                sdk.herald().log(job.id(), LogLevel.INFO, "first");
                await().atMost(30, TimeUnit.SECONDS).until(() -> seen.finished(job.id()));
                List<String> all = new ArrayList<>(List.of("first"));
                all.addAll(later);
                assertThat(seen.lines(job.id())).containsExactlyElementsOf(all);
                assertThat(seen.moves(job.id())).containsExactly("running->completed");
                assertThat(seen.broken).isEmpty();
            }
        }
    }

    /** A job moved and logged while the watch polls: it sees the lines, the moves and the end, in order. */
    private static void followToTheEnd(Herald herald) {
        Job job = sdk.herald().create(JobSpec.of("behind-a-proxy").total(10));
        WatchedEvents seen = new WatchedEvents();
        try (Watch w = herald.watch(job.id(), seen)) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.POLLING);
            await().atMost(30, TimeUnit.SECONDS).until(() -> w.job(job.id()) != null);
            sdk.herald().start(job.id());
            await().atMost(30, TimeUnit.SECONDS).until(() -> seen.moves(job.id()).contains("pending->running"));
            sdk.herald().log(job.id(), LogLevel.INFO, "half way");
            sdk.herald().complete(job.id(), Map.of("rows", 10));
            await().atMost(30, TimeUnit.SECONDS).until(() -> seen.finished(job.id()));
            assertThat(seen.moves(job.id())).containsExactly("pending->running", "running->completed");
            assertThat(seen.lines(job.id())).containsExactly("half way");
            assertThat(seen.broken).isEmpty();
            assertThat(w.state()).isEqualTo(Watch.State.POLLING);
        }
    }
}
