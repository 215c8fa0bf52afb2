package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Watch;
import dev.herald.client.WatchRequest;
import dev.herald.core.event.EventType;
import dev.herald.core.model.Job;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A watch of a thousand jobs costs one connection (SDK.md §5, §8), and every job's changes come through it. */
class SdkWatchManyJobsTest {

    @Test
    void aThousandJobsAreWatchedThroughOneStream() {
        try (TestServer server = TestServer.start(); Herald herald = Herald.remote(server.baseUrl(), TestServer.TOKEN)) {
            List<String> ids = IntStream.range(0, WatchRequest.MAX_JOBS).parallel()
                    .mapToObj(i -> herald.create(JobSpec.of("many")).id()).toList();
            WatchedEvents seen = new WatchedEvents();
            try (Watch w = herald.watch(WatchRequest.jobs(ids), seen)) {
                await().atMost(60, TimeUnit.SECONDS).until(() -> seen.events.size() >= ids.size());
                assertThat(JobsOverRest.metric(server, "herald_streams_open", "transport=\"sse\"")).isEqualTo(1.0);

                List<String> some = List.of(ids.get(0), ids.get(499), ids.get(999));
                some.forEach(herald::cancel);
                await().atMost(30, TimeUnit.SECONDS).until(() -> some.stream().allMatch(seen::finished));
                assertThat(seen.events.stream().filter(e -> e.type() == EventType.SNAPSHOT)
                        .map(e -> e.jobId()).distinct().count()).isEqualTo(ids.size());
                assertThat(seen.broken).isEmpty();
                assertThat(ids).allSatisfy(id -> assertThat(w.job(id)).extracting(Job::id).isEqualTo(id));
                assertThat(JobsOverRest.metric(server, "herald_streams_open", "transport=\"sse\"")).isEqualTo(1.0);
            }
        }
    }
}
