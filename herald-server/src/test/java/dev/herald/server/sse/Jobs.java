package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Small helpers of the SSE tests: making jobs, changing them over HTTP, reading event data. */
final class Jobs extends JobsOverRest {
    private Jobs() {
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a job with the given status ("pending", "queued" or "running") and answers its id. */
    static String create(TestServer server, String status) {
        return createWith(server, "{\"type\":\"sse-test\",\"name\":\"SSE test\",\"status\":\"" + status + "\"}");
    }

    /** Makes a read key of the job's project and answers the server's answer: the key and its token. */
    static JsonNode readKey(TestServer server, String jobId, String name) {
        String project = job(server, jobId).get("project").asText();
        HttpResponse<String> made = server.post("/api/v1/keys",
                "{\"project\":\"" + project + "\",\"scope\":\"read\",\"name\":\"" + name + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return tree(made.body());
    }

    /** A progress batch of {@code updates} entries for the job, {@code current} 1 to {@code updates} of as many. */
    static String batchOf(String id, int updates) {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 1; i <= updates; i++) {
            batch.addObject().put("jobId", id).put("current", i).put("total", updates);
        }
        return batch.toString();
    }

    /** The data of an event, checked to be one line of JSON. */
    static JsonNode data(SseClient.Event e) {
        assertThat(e).as("an event").isNotNull();
        assertThat(e.data()).as("one data line per event: " + e.data()).doesNotContain("\n");
        return tree(e.data());
    }

    /** The next event (not a comment), failing when none comes within the wait. */
    static SseClient.Event next(SseClient sse) {
        SseClient.Event e = sse.next(WAIT);
        if (e == null) {
            fail("no event within " + WAIT + " (stream ended: " + sse.ended() + ")");
        }
        return e;
    }

    /** Events up to and including the first that matches, failing when it does not come within the wait. */
    static List<SseClient.Event> until(SseClient sse, Predicate<SseClient.Event> last) {
        List<SseClient.Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos() * 2;
        while (true) {
            long left = deadline - System.nanoTime();
            SseClient.Event e = left <= 0 ? null : sse.next(Duration.ofNanos(left));
            if (e == null) {
                fail("the awaited event did not come (stream ended: " + sse.ended() + "); got " + out.size()
                        + " events, the last: " + (out.isEmpty() ? null : out.get(out.size() - 1)));
            }
            out.add(e);
            if (last.test(e)) {
                return out;
            }
        }
    }

    static Predicate<SseClient.Event> logMessage(String message) {
        return e -> e.event().equals("log") && tree(e.data()).at("/log/message").asText().equals(message);
    }

    static Predicate<SseClient.Event> statusTo(String to) {
        return e -> e.event().equals("status") && tree(e.data()).path("to").asText().equals(to);
    }

}
