package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Watch;
import dev.herald.client.WatchRequest;
import dev.herald.core.model.Job;
import dev.herald.core.model.LogLevel;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server is stopped and started again (same port, same data) under a live watch: the watch reconnects by
 * itself with the position of its last event, and every transition and log line, made just before the stop or
 * after the start while it was still away, reaches the listener in order, none twice.
 */
class SdkWatchRestartTest {

    @Test
    void aWatchMissesNothingAcrossAServerRestart() throws Exception {
        Path data = Files.createTempDirectory("herald-watch-restart");
        TestServer first = TestServer.startOn(data);
        TestServer second = null;
        try (Herald herald = Herald.remote(first.baseUrl(), TestServer.TOKEN)) {
            Job a = herald.create(JobSpec.of("restart"));
            Job b = herald.create(JobSpec.of("restart"));
            WatchedEvents seen = new WatchedEvents();
            Watch w = herald.watch(WatchRequest.jobs(List.of(a.id(), b.id())), seen);
            await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() == Watch.State.LIVE);
            herald.start(a.id());
            herald.log(a.id(), LogLevel.INFO, "a1");
            await().atMost(30, TimeUnit.SECONDS).until(() -> seen.lines(a.id()).contains("a1"));

            herald.log(a.id(), LogLevel.INFO, "a2");
            herald.start(b.id());
            int port = first.server().port();
            first.close();
            first = null;
            await().atMost(30, TimeUnit.SECONDS).until(() -> w.state() != Watch.State.LIVE);

            second = TestServer.startOn(data, port);
            herald.log(a.id(), LogLevel.INFO, "a3");
            herald.complete(a.id(), null);
            herald.log(b.id(), LogLevel.INFO, "b1");
            herald.cancel(b.id());
            await().atMost(60, TimeUnit.SECONDS).until(() -> seen.finished(a.id()) && seen.finished(b.id()));

            assertThat(seen.broken).isEmpty();
            assertThat(seen.moves(a.id())).containsExactly("pending->running", "running->completed");
            assertThat(seen.lines(a.id())).containsExactly("a1", "a2", "a3");
            assertThat(seen.moves(b.id())).containsExactly("pending->running", "running->cancelled");
            assertThat(seen.lines(b.id())).containsExactly("b1");
            w.close();
        } finally {
            for (TestServer s : new TestServer[]{first, second}) {
                if (s != null) {
                    s.close();
                }
            }
            TestServer.deleteRecursively(data);
        }
    }
}
