package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A parent's {@code children} summary and {@code completeWithChildren} (API §1), read over REST.
 * The summary follows within 250 ms; the tests wait (generously) for it to be exact once the children are quiet.
 */
class ChildrenTest {
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final String FAIL = "{\"error\":{\"message\":\"broken\"}}";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String child(String parent, String status) {
        return Rest.createId(server, "{\"type\":\"child\",\"parentId\":\"" + parent + "\",\"status\":\"" + status + "\"}");
    }

    private static void eventually(String id, Consumer<JsonNode> check) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> check.accept(Rest.job(server, id)));
    }

    @Test
    void summaryCountsDirectChildrenByStatus() {
        String parent = Rest.running(server, "parent");
        String a = child(parent, "pending");
        String b = child(parent, "pending");
        String c = child(parent, "pending");
        Rest.createId(server, "{\"type\":\"grandchild\",\"parentId\":\"" + a + "\"}");
        eventually(parent, job -> {
            JsonNode ch = job.get("children");
            assertThat(ch.isObject()).as("children summary of %s", job).isTrue();
            assertThat(ch.get("total").asInt()).as("direct children only").isEqualTo(3);
            assertThat(ch.get("pending").asInt()).isEqualTo(3);
            for (String f : new String[]{"queued", "running", "completed", "failed", "cancelled"}) {
                assertThat(ch.get(f).asInt()).as(f).isEqualTo(0);
            }
            assertThat(ch.get("percent").asDouble()).isEqualTo(0.0);
            assertThat(ch.get("text").asText()).isEqualTo("3 pending, 0 running, 0 completed, 0 failed");
        });

        Rest.accepted(server, a, "{\"percent\":50}");
        Rest.ok(server, b, "start", "{}");
        Rest.ok(server, b, "complete", "{}");
        Rest.ok(server, c, "start", "{}");
        Rest.ok(server, c, "retry", "{}"); // queued again
        eventually(parent, job -> {
            JsonNode ch = job.get("children");
            assertThat(ch.get("total").asInt()).isEqualTo(3);
            assertThat(ch.get("pending").asInt()).isEqualTo(0);
            assertThat(ch.get("queued").asInt()).isEqualTo(1);
            assertThat(ch.get("running").asInt()).isEqualTo(1);
            assertThat(ch.get("completed").asInt()).isEqualTo(1);
            // mean percent: 50 (running) + 100 (terminal) + 0 (queued) over 3
            assertThat(ch.get("percent").asDouble()).isEqualTo(50.0);
            // queued counts as pending in the text; cancelled only when non-zero
            assertThat(ch.get("text").asText()).isEqualTo("1 pending, 1 running, 1 completed, 0 failed");
        });
    }

    @Test
    void aTerminalChildCountsAs100AndCancelledAppearsInTheTextWhenNonZero() {
        String parent = Rest.running(server, "parent");
        String a = child(parent, "running");
        String b = child(parent, "running");
        String c = child(parent, "running");
        String d = child(parent, "running");
        Rest.ok(server, a, "fail", FAIL);
        Rest.ok(server, b, "cancel", "{}");
        Rest.accepted(server, c, "{\"percent\":20}");
        eventually(parent, job -> {
            JsonNode ch = job.get("children");
            assertThat(ch.isObject()).as("children summary of %s", job).isTrue();
            assertThat(ch.get("failed").asInt()).isEqualTo(1);
            assertThat(ch.get("cancelled").asInt()).isEqualTo(1);
            assertThat(ch.get("running").asInt()).isEqualTo(2);
            assertThat(ch.get("percent").asDouble()).isEqualTo(55.0); // (100 + 100 + 20 + 0) / 4
            assertThat(ch.get("text").asText()).startsWith("0 pending, 2 running, 0 completed, 1 failed")
                    .contains("1 cancelled");
        });
        assertThat(d).isNotNull();
    }

    @Test
    void aChildChangeChangesTheParentsVersion() {
        String parent = Rest.running(server, "parent");
        String kid = child(parent, "running");
        eventually(parent, job -> assertThat(job.get("children").isObject()).isTrue());
        long before = Rest.version(server, parent);
        Rest.ok(server, kid, "complete", "{}");
        eventually(parent, job -> {
            assertThat(job.at("/children/completed").asInt()).isEqualTo(1);
            assertThat(job.get("version").asLong()).isGreaterThan(before);
        });
    }

    @Test
    void completeWithChildrenCompletesWhenTheLastChildEnds() {
        String parent = Rest.createId(server, "{\"type\":\"parent\",\"completeWithChildren\":true,\"status\":\"running\"}");
        String a = child(parent, "running");
        String b = child(parent, "running");
        Rest.ok(server, a, "complete", "{}");
        eventually(parent, job -> assertThat(job.at("/children/completed").asInt()).isEqualTo(1));
        assertThat(Rest.job(server, parent).get("status").asText()).as("one child still runs").isEqualTo("running");
        Rest.ok(server, b, "cancel", "{}");
        eventually(parent, job -> assertThat(job.get("status").asText()).isEqualTo("completed"));
    }

    @Test
    void completeWithChildrenFailsWhenAnyChildFailed() {
        String parent = Rest.createId(server, "{\"type\":\"parent\",\"completeWithChildren\":true}");
        String a = child(parent, "running");
        String b = child(parent, "running");
        String c = child(parent, "running");
        Rest.ok(server, a, "fail", FAIL);
        Rest.ok(server, b, "cancel", "{}");
        Rest.ok(server, c, "complete", "{}");
        eventually(parent, job -> assertThat(job.get("status").asText()).isEqualTo("failed"));
    }

    @Test
    void completeWithChildrenIsCancelledWhenAllChildrenWereCancelled() {
        String parent = Rest.createId(server, "{\"type\":\"parent\",\"completeWithChildren\":true,\"status\":\"running\"}");
        String a = child(parent, "running");
        String b = child(parent, "pending");
        Rest.ok(server, a, "cancel", "{}");
        Rest.ok(server, b, "cancel", "{}");
        eventually(parent, job -> assertThat(job.get("status").asText()).isEqualTo("cancelled"));
    }

    @Test
    void withoutCompleteWithChildrenTheParentStaysOpen() throws Exception {
        String parent = Rest.running(server, "parent");
        String a = child(parent, "running");
        Rest.ok(server, a, "complete", "{}");
        eventually(parent, job -> assertThat(job.at("/children/completed").asInt()).isEqualTo(1));
        assertThat(Rest.job(server, parent).get("status").asText()).isEqualTo("running");
    }
}
