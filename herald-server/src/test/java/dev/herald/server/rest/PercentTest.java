package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.herald.server.rest.Rest.accepted;
import static dev.herald.server.rest.Rest.percent;
import static dev.herald.server.rest.Rest.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** progress.percent as the server computes it (API §1), and invalid_progress (API §6), over HTTP. */
class PercentTest {
    private static final String TWO_STAGES =
            "{\"type\":\"pct\",\"stages\":[{\"name\":\"parsing\",\"weight\":20},{\"name\":\"loading\",\"weight\":80}]}";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void stagesWeighted20And80() {
        String id = Rest.createId(server, TWO_STAGES);
        accepted(server, id, "{\"stage\":\"parsing\",\"current\":50,\"total\":100}");
        assertThat(percent(server, id)).isEqualTo(10.0);
        accepted(server, id, "{\"stage\":\"loading\",\"current\":400,\"total\":1000,\"unit\":\"rows\"}");
        JsonNode job = Rest.job(server, id);
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(52.0);
        assertThat(job.at("/progress/stage").asText()).isEqualTo("loading");
        assertThat(job.at("/progress/stageIndex").asInt()).isEqualTo(1);
        assertThat(job.at("/progress/current").asDouble()).isEqualTo(400.0);
        assertThat(job.at("/progress/total").asDouble()).isEqualTo(1000.0);
        assertThat(job.at("/progress/unit").asText()).isEqualTo("rows");
    }

    @Test
    void stageByIndex() {
        String id = Rest.createId(server, TWO_STAGES);
        accepted(server, id, "{\"stageIndex\":1,\"current\":400,\"total\":1000}");
        JsonNode job = Rest.job(server, id);
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(52.0);
        assertThat(job.at("/progress/stage").asText()).isEqualTo("loading");
    }

    @Test
    void stagesAsPlainNamesWeighEqually() {
        String id = Rest.createId(server, "{\"type\":\"pct\",\"stages\":[\"a\",\"b\",\"c\",\"d\"]}");
        accepted(server, id, "{\"stage\":\"c\",\"current\":1,\"total\":2}");
        assertThat(percent(server, id)).isEqualTo(62.5);
    }

    @Test
    void weightsThatDoNotSumTo100AreNormalised() {
        String id = Rest.createId(server,
                "{\"type\":\"pct\",\"stages\":[{\"name\":\"a\",\"weight\":1},{\"name\":\"b\",\"weight\":3}]}");
        accepted(server, id, "{\"stage\":\"a\",\"current\":1,\"total\":2}");
        assertThat(percent(server, id)).isEqualTo(12.5);
        accepted(server, id, "{\"stage\":\"b\",\"current\":1,\"total\":2}");
        assertThat(percent(server, id)).isEqualTo(62.5);

        String big = Rest.createId(server,
                "{\"type\":\"pct\",\"stages\":[{\"name\":\"a\",\"weight\":300},{\"name\":\"b\",\"weight\":100}]}");
        accepted(server, big, "{\"stage\":\"b\",\"current\":50,\"total\":100}");
        assertThat(percent(server, big)).isEqualTo(87.5);

        String fractional = Rest.createId(server,
                "{\"type\":\"pct\",\"stages\":[{\"name\":\"a\",\"weight\":0.5},{\"name\":\"b\",\"weight\":1.5}]}");
        accepted(server, fractional, "{\"stage\":\"b\"}");
        assertThat(percent(server, fractional)).isEqualTo(25.0);
    }

    @Test
    void aStageWithoutTotalCountsItsWeightTimesZero() {
        String id = Rest.createId(server, TWO_STAGES);
        accepted(server, id, "{\"stage\":\"loading\",\"current\":400}");
        assertThat(percent(server, id)).isEqualTo(20.0);
    }

    @Test
    void withoutStagesCurrentOverTotal() {
        String id = Rest.createId(server, "{\"type\":\"pct\",\"total\":200}");
        accepted(server, id, "{\"current\":50}");
        assertThat(percent(server, id)).isEqualTo(25.0);

        String other = Rest.createId(server, "{\"type\":\"pct\"}");
        accepted(server, other, "{\"current\":3,\"total\":8}");
        assertThat(percent(server, other)).isEqualTo(37.5);
        accepted(server, other, "{\"current\":8}");
        assertThat(percent(server, other)).isEqualTo(100.0);
    }

    @Test
    void reporterPercentWithoutTotal() {
        String id = Rest.createId(server, "{\"type\":\"pct\"}");
        accepted(server, id, "{\"percent\":37.5,\"message\":\"about a third\"}");
        JsonNode job = Rest.job(server, id);
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(37.5);
        assertThat(job.at("/progress/message").asText()).isEqualTo("about a third");
        accepted(server, id, "{\"percent\":90}");
        assertThat(percent(server, id)).isEqualTo(90.0);
    }

    @Test
    void percentIsBetween0And100WithTwoDecimalsAtMost() {
        String id = Rest.createId(server, "{\"type\":\"pct\",\"total\":3}");
        accepted(server, id, "{\"current\":1}");
        assertThat(percent(server, id)).isCloseTo(33.33, within(0.01));
    }

    @Test
    void completedShows100() {
        String id = Rest.createId(server, TWO_STAGES);
        accepted(server, id, "{\"stage\":\"parsing\",\"current\":1,\"total\":10}");
        JsonNode done = Rest.ok(server, id, "complete", "{}");
        assertThat(done.at("/progress/percent").asDouble()).isEqualTo(100.0);
        assertThat(percent(server, id)).isEqualTo(100.0);

        String never = Rest.createId(server, "{\"type\":\"pct\",\"status\":\"running\"}");
        assertThat(Rest.ok(server, never, "complete", "{}").at("/progress/percent").asDouble()).isEqualTo(100.0);
    }

    @Test
    void neverGoesDownWithinAStage() {
        String id = Rest.createId(server, TWO_STAGES);
        accepted(server, id, "{\"stage\":\"loading\",\"current\":400,\"total\":1000}");
        assertThat(percent(server, id)).isEqualTo(52.0);
        accepted(server, id, "{\"stage\":\"loading\",\"current\":100,\"total\":1000}");
        assertThat(percent(server, id)).as("a lower count in the same stage").isEqualTo(52.0);
        accepted(server, id, "{\"current\":200,\"total\":10000}");
        assertThat(percent(server, id)).as("a larger total in the same stage").isEqualTo(52.0);
        accepted(server, id, "{\"current\":900}");
        assertThat(percent(server, id)).isGreaterThanOrEqualTo(52.0);

        String flat = Rest.createId(server, "{\"type\":\"pct\"}");
        accepted(server, flat, "{\"percent\":60}");
        accepted(server, flat, "{\"percent\":40}");
        assertThat(percent(server, flat)).as("reporter percent going down").isEqualTo(60.0);
        accepted(server, flat, "{\"current\":10,\"total\":100}");
        assertThat(percent(server, flat)).isEqualTo(60.0);
    }

    @Test
    void goesDownWhenMovingBackAStage() {
        String id = Rest.createId(server, TWO_STAGES);
        accepted(server, id, "{\"stage\":\"loading\",\"current\":400,\"total\":1000}");
        assertThat(percent(server, id)).isEqualTo(52.0);
        accepted(server, id, "{\"stage\":\"parsing\",\"current\":50,\"total\":100}");
        JsonNode job = Rest.job(server, id);
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(10.0);
        assertThat(job.at("/progress/stage").asText()).isEqualTo("parsing");
        assertThat(job.at("/progress/stageIndex").asInt()).isEqualTo(0);
    }

    @Test
    void unknownStageIsInvalidProgress() {
        String id = Rest.createId(server, TWO_STAGES);
        Rest.error(progress(server, id, "{\"stage\":\"nope\",\"current\":1,\"total\":2}"), 400, "invalid_progress", "stage");
        Rest.error(progress(server, id, "{\"stageIndex\":2}"), 400, "invalid_progress", "stageIndex");
        Rest.error(progress(server, id, "{\"stageIndex\":-1}"), 400, "invalid_progress", "stageIndex");
        // a stage name and an index that disagree
        HttpResponse<String> mismatch = progress(server, id, "{\"stage\":\"parsing\",\"stageIndex\":1}");
        Rest.error(mismatch, 400, "invalid_progress");
        // nothing was applied
        JsonNode job = Rest.job(server, id);
        assertThat(job.get("status").asText()).isEqualTo("pending");
        assertThat(job.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void aStageOnAJobWithoutStagesIsInvalidProgress() {
        String id = Rest.createId(server, "{\"type\":\"pct\"}");
        Rest.error(progress(server, id, "{\"stageIndex\":0}"), 400, "invalid_progress", "stageIndex");
    }

    @Test
    void currentOverTotalIsInvalidProgress() {
        String id = Rest.createId(server, "{\"type\":\"pct\"}");
        Rest.error(progress(server, id, "{\"current\":11,\"total\":10}"), 400, "invalid_progress", "current");
        // against the total the job already has
        String withTotal = Rest.createId(server, "{\"type\":\"pct\",\"total\":100}");
        Rest.error(progress(server, withTotal, "{\"current\":150}"), 400, "invalid_progress", "current");
        accepted(server, withTotal, "{\"current\":100}");
        assertThat(percent(server, withTotal)).isEqualTo(100.0);
    }

    @Test
    void negativesAreInvalidProgress() {
        String id = Rest.createId(server, "{\"type\":\"pct\"}");
        Rest.error(progress(server, id, "{\"current\":-1,\"total\":10}"), 400, "invalid_progress", "current");
        Rest.error(progress(server, id, "{\"current\":1,\"total\":-10}"), 400, "invalid_progress", "total");
        Rest.error(progress(server, id, "{\"percent\":-5}"), 400, "invalid_progress", "percent");
        Rest.error(progress(server, id, "{\"percent\":100.5}"), 400, "invalid_progress", "percent");
    }

    @Test
    void nanIsRefusedAs400() {
        String id = Rest.createId(server, "{\"type\":\"pct\"}");
        // JSON has no NaN: whatever the parser makes of it, it is a 400, never applied
        HttpResponse<String> r = progress(server, id, "{\"current\":NaN,\"total\":10}");
        JsonNode e = Rest.error(r, 400, null);
        assertThat(e.get("code").asText()).isIn("invalid_json", "invalid_progress");
        assertThat(Rest.version(server, id)).isEqualTo(1);
    }

    @Test
    void wrongTypesInProgressAreInvalidField() {
        String id = Rest.createId(server, "{\"type\":\"pct\"}");
        Rest.error(progress(server, id, "{\"current\":\"ten\"}"), 400, "invalid_field", "current");
        Rest.error(progress(server, id, "{\"stageIndex\":1.5}"), 400, null);
        Rest.error(progress(server, id, "{\"message\":5}"), 400, "invalid_field", "message");
        Rest.error(progress(server, id, "{\"metadata\":[1]}"), 400, "invalid_field", "metadata");
        Rest.error(progress(server, id, "{\"curent\":1}"), 400, "invalid_field", "curent");
    }

    @Test
    void progressEchoesMessageAndMetadata() {
        String id = Rest.createId(server, "{\"type\":\"pct\"}");
        accepted(server, id, "{\"current\":1,\"total\":4,\"message\":\"Loading rows\",\"metadata\":{\"success\":398,\"errors\":2}}");
        JsonNode job = Rest.job(server, id);
        assertThat(job.at("/progress/message").asText()).isEqualTo("Loading rows");
        assertThat(job.at("/progress/metadata/success").asInt()).isEqualTo(398);
        assertThat(job.at("/progress/metadata/errors").asInt()).isEqualTo(2);
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(25.0);
    }

    @Test
    void etaIsNullUntilThereIsARateThenRemainingMillisWithABasis() {
        String id = Rest.createId(server, "{\"type\":\"eta\",\"total\":1000}");
        accepted(server, id, "{\"current\":1}");
        JsonNode first = Rest.job(server, id).get("eta");
        assertThat(first).as("eta is always there").isNotNull();
        assertThat(first.isNull()).as("one report gives no rate: %s", first).isTrue();
        // a rate takes reports spread over some time: report on until the server has an estimate
        AtomicInteger current = new AtomicInteger(1);
        JsonNode eta = await().atMost(JobsOverRest.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            accepted(server, id, "{\"current\":" + current.incrementAndGet() + "}");
            return Rest.job(server, id).get("eta");
        }, e -> e != null && !e.isNull());
        assertThat(eta.get("remainingMs").isIntegralNumber()).as(eta.toString()).isTrue();
        assertThat(eta.get("remainingMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(eta.get("basis").asText()).isIn("rate", "history");
        assertThat(Rest.ok(server, id, "complete", "{}").get("eta").isNull()).as("a finished job has no eta").isTrue();
    }
}
