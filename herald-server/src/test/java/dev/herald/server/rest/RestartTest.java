package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.herald.server.rest.Rest.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

/** A clean restart on the same data folder keeps every job, its latest progress (close flushes) and its logs. */
class RestartTest {

    @Test
    void closeThenStartOnTheSameFolderKeepsEverything() throws Exception {
        Path dir = Files.createTempDirectory("herald-restart");
        try {
            Map<String, JsonNode> before = new LinkedHashMap<>();
            String running;
            String done;
            String failed;
            String pending;
            String logged;
            try (TestServer first = TestServer.startOn(dir)) {
                running = Rest.createId(first, "{\"type\":\"restart\",\"name\":\"running\",\"project\":\"keep\","
                        + "\"stages\":[{\"name\":\"a\",\"weight\":1},{\"name\":\"b\",\"weight\":3}]}");
                // many quick reports: only the last matters, and it was answered 202 just before close
                for (int i = 1; i <= 50; i++) {
                    Rest.accepted(first, running, "{\"stage\":\"b\",\"current\":" + i + ",\"total\":100,"
                            + "\"message\":\"row " + i + "\",\"metadata\":{\"i\":" + i + "}}");
                }
                done = Rest.running(first, "restart");
                Rest.ok(first, done, "complete", "{\"result\":{\"rows\":7}}");
                failed = Rest.running(first, "restart");
                Rest.ok(first, failed, "fail", "{\"error\":{\"code\":\"E\",\"message\":\"boom\"}}");
                pending = Rest.createId(first, "{\"type\":\"restart\",\"total\":9}");
                logged = Rest.running(first, "restart");
                for (int i = 0; i < 5; i++) {
                    assertThat(first.post(JOBS + "/" + logged + "/logs",
                            "{\"level\":\"info\",\"message\":\"line " + i + "\"}").statusCode()).isEqualTo(202);
                }
                for (String id : new String[]{running, done, failed, pending, logged}) {
                    before.put(id, Rest.job(first, id));
                }
            }
            try (TestServer second = TestServer.startOn(dir)) {
                for (Map.Entry<String, JsonNode> e : before.entrySet()) {
                    JsonNode after = Rest.job(second, e.getKey());
                    JsonNode kept = e.getValue();
                    if (kept.get("finishedAt").isNull()) {
                        // an unfinished job continues at a new version, as after a crash: nothing tells them apart
                        assertThat(after.get("version").asLong()).isGreaterThan(kept.get("version").asLong());
                        kept = ((com.fasterxml.jackson.databind.node.ObjectNode) kept.deepCopy())
                                .set("version", after.get("version"));
                    }
                    assertThat(after).as("job %s after restart", e.getKey()).isEqualTo(kept);
                }
                JsonNode r = Rest.job(second, running);
                assertThat(r.at("/progress/current").asInt()).isEqualTo(50);
                assertThat(r.at("/progress/message").asText()).isEqualTo("row 50");
                assertThat(r.at("/progress/metadata/i").asInt()).isEqualTo(50);
                assertThat(r.at("/progress/percent").asDouble()).isEqualTo(62.5);
                assertThat(r.get("project").asText()).isEqualTo("keep");
                JsonNode result = Rest.json(second.get(JOBS + "/" + done + "/result"));
                assertThat(result.at("/result/rows").asInt()).isEqualTo(7);
                JsonNode logs = Rest.json(second.get(JOBS + "/" + logged + "/logs")).get("items");
                assertThat(logs).hasSize(5);
                assertThat(logs.get(4).get("message").asText()).isEqualTo("line 4");
                // the restarted server goes on: versions keep increasing, new log seqs follow the old ones
                long version = r.get("version").asLong();
                assertThat(Rest.accepted(second, running, "{\"current\":60}")).isGreaterThan(version);
                long lastSeq = logs.get(4).get("seq").asLong();
                JsonNode appended = Rest.json(second.post(JOBS + "/" + logged + "/logs",
                        "{\"level\":\"info\",\"message\":\"after restart\"}"));
                assertThat(appended.get("seq").asLong()).isGreaterThan(lastSeq);
                assertThat(Rest.json(second.get(JOBS + "?project=keep")).get("items")).hasSize(1);
                // and it still refuses writes to finished jobs
                Rest.error(Rest.action(second, done, "cancel"), 409, "job_finished");
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }
}
