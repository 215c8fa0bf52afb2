package dev.herald.server.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.client.Watch;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.server.support.JobsOverRest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What is particular to {@code server.client()}: refusals equal to REST's, many threads, order, and its close. */
class SdkLocalClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final SdkServer sdk = new SdkServer();

    @Test
    void aBadCreateIsRefusedExactlyAsOverRest() {
        String tooLong = "t".repeat(1000);
        HttpResponse<String> rest = sdk.server().post("/api/v1/jobs", "{\"type\":\"" + tooLong + "\"}");
        JsonNode error = JobsOverRest.tree(rest.body()).get("error");
        assertThatThrownBy(() -> sdk.local().create(JobSpec.of(tooLong)))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code().wire()).isEqualTo(error.get("code").asText());
                    assertThat(e.code().httpStatus()).isEqualTo(rest.statusCode());
                    assertThat(e.field()).isEqualTo(error.get("field").asText());
                    assertThat(e.getMessage()).isEqualTo(error.get("message").asText());
                });
        assertThatThrownBy(() -> sdk.local().create(JobSpec.of("child").parent("j_" + "0".repeat(26))))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code().wire()).isEqualTo("not_found"));
    }

    @Test
    void eightThreadsIncrementingOneJobLeaveTheExactTotal() throws Exception {
        int threads = 8;
        int each = 50_000;
        Reporter r = sdk.local().start(JobSpec.of("counted").total(threads * each));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(CompletableFuture.runAsync(() -> IntStream.range(0, each).forEach(i -> r.increment()), pool));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
        r.complete();
        Job done = sdk.local().awaitFinished(r.jobId(), WAIT);
        assertThat(done.progress().current()).isEqualTo((double) threads * each);
    }

    @Test
    void aWatchOnTheEngineSeesEveryLineAndTransitionOnceInOrder() throws Exception {
        WatchedEvents seen = new WatchedEvents();
        Reporter parent = sdk.local().start(JobSpec.of("parent").completeWithChildren(true));
        try (Watch ignored = sdk.local().watch(parent.jobId(), seen)) {
            Reporter child = parent.child(JobSpec.of("child").status(JobStatus.RUNNING));
            for (int i = 0; i < 200; i++) {
                parent.info("line " + i);
            }
            child.complete();
            Job ended = sdk.local().awaitFinished(parent.jobId(), WAIT);
            assertThat(ended.status()).isEqualTo(JobStatus.COMPLETED);
            await().atMost(WAIT).until(() -> seen.moves(parent.jobId()).contains("running->completed"));
            assertThat(seen.lines(parent.jobId()))
                    .containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(i -> "line " + i).toList());
            assertThat(seen.broken).isEmpty();
        }
    }

    @Test
    void progressThroughTheEngineIsCountedAsWorkButNotAsHttpRequests() throws Exception {
        double updates = JobsOverRest.metric(sdk.server(), "herald_progress_updates_total");
        double progressRequests = progressRequests();
        Reporter r = sdk.local().start(JobSpec.of("metered").total(10));
        r.increment(3);
        r.complete();
        sdk.local().awaitFinished(r.jobId(), WAIT);
        await().atMost(WAIT).until(() -> JobsOverRest.metric(sdk.server(), "herald_progress_updates_total") > updates);
        assertThat(progressRequests()).isEqualTo(progressRequests);
    }

    /** The HTTP requests counted on the progress routes, of every status. */
    private static double progressRequests() {
        String text = sdk.server().get("/metrics").body();
        return text.lines().filter(l -> l.startsWith("herald_http_requests_total{") && l.contains("progress"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void closingAnInProcessClientLeavesTheServerRunning() {
        Herald own = sdk.server().server().client();
        Job job = own.create(JobSpec.of("before-close"));
        own.close();
        assertThatThrownBy(() -> own.get(job.id())).isInstanceOf(IllegalStateException.class);
        assertThat(sdk.herald().get(job.id()).id()).isEqualTo(job.id());
        assertThat(sdk.local().get(job.id()).id()).isEqualTo(job.id());
    }
}
