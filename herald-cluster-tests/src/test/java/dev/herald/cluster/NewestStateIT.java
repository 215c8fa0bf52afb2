package dev.herald.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read on a node that does not own the job's tree answers the owner's newest state, not the stored one (docs/cluster.md
 * §2.5): with a flush interval of a minute the store holds nothing of the progress below for the whole test, so
 * every answer of the newest version came from the owner's memory.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NewestStateIT {
    @RegisterExtension
    static final Nodes NODES = Nodes.of(2).with("--flush-interval", "60s");

    private final String a = NODES.get(0).base();
    private final String b = NODES.get(1).base();

    @Test
    void aJobReadOnAnotherNodeIsTheOwnersNewestState() throws Exception {
        String job = Api.create(a, "\"type\":\"newest\",\"status\":\"running\"");
        String cursor;
        try (SseReader before = SseReader.job(b, job, null)) {
            cursor = before.lastCursor();
        }
        Api.progress(a, job, 250);
        long newest = Api.get(a, "/jobs/" + job).get("version").asLong();

        JsonNode onB = Api.get(b, "/jobs/" + job);
        assertThat(onB.get("version").asLong()).isEqualTo(newest);
        assertThat(onB.path("progress").path("current").asInt()).isEqualTo(250);
        try (SseReader fresh = SseReader.job(b, job, null); SseReader resumed = SseReader.job(b, job, cursor);
             SseReader tree = SseReader.open(b, "/api/v1/jobs/" + job + "/events?descendants=true", null)) {
            for (SseReader reader : new SseReader[] {fresh, resumed, tree}) {
                SseReader.Event snapshot = reader.awaitEvent(e -> e.type().equals("snapshot"));
                assertThat(snapshot.version()).isEqualTo(newest);
                assertThat(snapshot.job().path("progress").path("current").asInt()).isEqualTo(250);
            }
        }
    }

    @Test
    void aListingAndAProjectStreamOnAnotherNodeShowTheOwnersNewestStates() throws Exception {
        String project = "newest-" + System.nanoTime();
        Map<String, Long> newest = new HashMap<>();
        for (int i = 1; i <= 2; i++) { // two trees, one request to their owner
            String job = Api.create(a, "\"type\":\"listed\",\"status\":\"running\",\"project\":\"" + project + "\"");
            Api.progress(a, job, 100 * i);
            newest.put(job, Api.get(a, "/jobs/" + job).get("version").asLong());
        }

        Map<String, Long> listed = new HashMap<>();
        Api.get(b, "/jobs?project=" + project).get("items").forEach(job ->
                listed.put(job.get("id").asText(), job.get("version").asLong()));
        assertThat(listed).isEqualTo(newest);
        try (SseReader stream = SseReader.open(b, "/api/v1/events?project=" + project, null)) {
            Map<String, Long> snapshots = new HashMap<>();
            while (snapshots.size() < newest.size()) {
                SseReader.Event e = stream.awaitEvent(x -> x.type().equals("snapshot") && !snapshots.containsKey(x.jobId()));
                snapshots.put(e.jobId(), e.version());
            }
            assertThat(snapshots).isEqualTo(newest);
        }
    }

    @Test
    void aSubtreeReadOnAnotherNodeIsTheOwnersNewestState() throws Exception {
        String root = Api.create(a, "\"type\":\"root\",\"status\":\"running\"");
        String child = Api.create(a, "\"type\":\"child\",\"status\":\"running\",\"parentId\":\"" + root + "\"");
        Api.progress(a, child, 400);
        long newest = Api.get(a, "/jobs/" + child).get("version").asLong();

        try (SseReader tree = SseReader.open(b, "/api/v1/jobs/" + root + "/events?descendants=true", null)) {
            SseReader.Event snapshot = tree.awaitEvent(e -> e.type().equals("snapshot") && e.jobId().equals(child));
            assertThat(snapshot.version()).isEqualTo(newest);
            assertThat(snapshot.job().path("progress").path("current").asInt()).isEqualTo(400);
        }
    }
}
