package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.herald.server.rest.Rest.JOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /api/v1/jobs (API §2): newest first, filters, limit and cursor paging, strict query parameters. */
class ListJobsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String project() {
        return "list-" + UUID.randomUUID();
    }

    private static JsonNode list(String query) {
        HttpResponse<String> r = server.get(JOBS + query);
        assertThat(r.statusCode()).as("%s -> %s", query, r.body()).isEqualTo(200);
        JsonNode page = Rest.json(r);
        assertThat(page.get("items").isArray()).as(r.body()).isTrue();
        assertThat(page.has("nextCursor")).as("nextCursor present (null on the last page)").isTrue();
        return page;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void newestFirst() {
        String p = project();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode job = Rest.create(server, "{\"type\":\"t\",\"project\":\"" + p + "\"}");
            created.add(job.get("id").asText());
            // distinct creation times, so "newest" is unambiguous: the next job comes once the clock has moved on
            Instant createdAt = Instant.parse(job.get("createdAt").asText());
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(createdAt));
        }
        Collections.reverse(created);
        JsonNode page = list("?project=" + p);
        assertThat(ids(page)).containsExactlyElementsOf(created);
        assertThat(page.get("nextCursor").isNull()).isTrue();
        // every item is a full job
        JsonNode first = page.at("/items/0");
        for (String f : List.of("id", "type", "status", "progress", "version", "createdAt", "project", "owner")) {
            assertThat(first.has(f)).as(f).isTrue();
        }
    }

    @Test
    void listShowsTheNewestStateOfEachJob() {
        String p = project();
        String id = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + p + "\"}");
        Rest.accepted(server, id, "{\"percent\":42}");
        JsonNode item = list("?project=" + p).at("/items/0");
        assertThat(item.get("status").asText()).isEqualTo("running");
        assertThat(item.at("/progress/percent").asDouble()).isEqualTo(42.0);
        assertThat(item.get("version").asLong()).isEqualTo(Rest.version(server, id));
    }

    @Test
    void filterByStatus() {
        String p = project();
        String pending = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + p + "\"}");
        String queued = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + p + "\",\"status\":\"queued\"}");
        String running = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + p + "\",\"status\":\"running\"}");
        String done = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + p + "\",\"status\":\"running\"}");
        Rest.ok(server, done, "complete", "{}");
        String moved = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + p + "\"}");
        Rest.accepted(server, moved, "{\"percent\":1}");
        assertThat(ids(list("?project=" + p + "&status=pending"))).containsExactly(pending);
        assertThat(ids(list("?project=" + p + "&status=queued"))).containsExactly(queued);
        assertThat(ids(list("?project=" + p + "&status=running"))).containsExactlyInAnyOrder(running, moved);
        assertThat(ids(list("?project=" + p + "&status=completed"))).containsExactly(done);
        assertThat(ids(list("?project=" + p + "&status=failed"))).isEmpty();
        Rest.error(server.get(JOBS + "?status=finished"), 400, "invalid_field", "status");
    }

    @Test
    void filterByType() {
        String p = project();
        String a = Rest.createId(server, "{\"type\":\"import-csv\",\"project\":\"" + p + "\"}");
        Rest.createId(server, "{\"type\":\"export\",\"project\":\"" + p + "\"}");
        assertThat(ids(list("?project=" + p + "&type=import-csv"))).containsExactly(a);
        assertThat(ids(list("?project=" + p + "&type=nothing"))).isEmpty();
        JsonNode all = list("?type=import-csv");
        all.get("items").forEach(j -> assertThat(j.get("type").asText()).isEqualTo("import-csv"));
    }

    @Test
    void filterByParentId() {
        String parent = Rest.createId(server, "{\"type\":\"parent\"}");
        String c1 = Rest.createId(server, "{\"type\":\"child\",\"parentId\":\"" + parent + "\"}");
        String c2 = Rest.createId(server, "{\"type\":\"child\",\"parentId\":\"" + parent + "\"}");
        String grandchild = Rest.createId(server, "{\"type\":\"gc\",\"parentId\":\"" + c1 + "\"}");
        assertThat(ids(list("?parentId=" + parent))).containsExactlyInAnyOrder(c1, c2).doesNotContain(grandchild);
        assertThat(ids(list("?parentId=" + c1))).containsExactly(grandchild);
        assertThat(ids(list("?parentId=" + Rest.UNKNOWN_ID))).isEmpty();
    }

    @Test
    void filterByProject() {
        String p = project();
        String q = project();
        String inP = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + p + "\"}");
        String inQ = Rest.createId(server, "{\"type\":\"t\",\"project\":\"" + q + "\"}");
        assertThat(ids(list("?project=" + p))).containsExactly(inP);
        assertThat(ids(list("?project=" + q))).containsExactly(inQ);
        JsonNode defaults = list("?project=default&limit=500");
        defaults.get("items").forEach(j -> assertThat(j.get("project").asText()).isEqualTo("default"));
    }

    @Test
    void filterByOwner() {
        String p = project();
        JsonNode job = Rest.create(server, "{\"type\":\"t\",\"project\":\"" + p + "\"}");
        String owner = job.get("owner").asText();
        assertThat(ids(list("?project=" + p + "&owner=" + enc(owner)))).containsExactly(job.get("id").asText());
        assertThat(ids(list("?project=" + p + "&owner=someone-else"))).isEmpty();
    }

    @Test
    void filtersCombine() {
        String p = project();
        String a = Rest.createId(server, "{\"type\":\"a\",\"project\":\"" + p + "\",\"status\":\"running\"}");
        Rest.createId(server, "{\"type\":\"a\",\"project\":\"" + p + "\"}");
        Rest.createId(server, "{\"type\":\"b\",\"project\":\"" + p + "\",\"status\":\"running\"}");
        assertThat(ids(list("?project=" + p + "&type=a&status=running"))).containsExactly(a);
    }

    @Test
    void limitDefaultsTo50AndAllows500() {
        String p = project();
        for (int i = 0; i < 60; i++) {
            Rest.createId(server, "{\"type\":\"bulk\",\"project\":\"" + p + "\"}");
        }
        JsonNode page = list("?project=" + p);
        assertThat(page.get("items")).hasSize(50);
        assertThat(page.get("nextCursor").isTextual()).isTrue();
        JsonNode rest = list("?project=" + p + "&cursor=" + enc(page.get("nextCursor").asText()));
        assertThat(rest.get("items")).hasSize(10);
        assertThat(list("?project=" + p + "&limit=500").get("items")).hasSize(60);
        assertThat(list("?project=" + p + "&limit=1").get("items")).hasSize(1);
    }

    @Test
    void limitOutOfRangeIsInvalidField() {
        Rest.error(server.get(JOBS + "?limit=501"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "?limit=0"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "?limit=-5"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "?limit=ten"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "?limit=2.5"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "?limit="), 400, "invalid_field", "limit");
    }

    @Test
    void cursorPagingVisitsEachJobExactlyOnce() {
        String p = project();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            created.add(Rest.createId(server, "{\"type\":\"page\",\"project\":\"" + p + "\"}"));
        }
        List<String> seen = new ArrayList<>();
        String previousCreatedAt = null;
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = list("?project=" + p + "&limit=25" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            for (JsonNode j : page.get("items")) {
                String createdAt = j.get("createdAt").asText();
                if (previousCreatedAt != null) {
                    assertThat(createdAt).as("newest first across pages").isLessThanOrEqualTo(previousCreatedAt);
                }
                previousCreatedAt = createdAt;
                seen.add(j.get("id").asText());
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
            assertThat(pages).as("paging ends").isLessThan(20);
        } while (cursor != null);
        assertThat(seen).as("no job twice").doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).as("every job once").isEqualTo(created);
    }

    @Test
    void cursorPagingWhileNewJobsArrive() {
        String p = project();
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            before.add(Rest.createId(server, "{\"type\":\"page\",\"project\":\"" + p + "\"}"));
        }
        JsonNode first = list("?project=" + p + "&limit=10");
        List<String> seen = new ArrayList<>(ids(first));
        for (int i = 0; i < 5; i++) {
            Rest.createId(server, "{\"type\":\"page\",\"project\":\"" + p + "\"}");
        }
        String cursor = first.get("nextCursor").asText();
        while (cursor != null) {
            JsonNode page = list("?project=" + p + "&limit=10&cursor=" + enc(cursor));
            seen.addAll(ids(page));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).as("the jobs that existed when paging began").isEqualTo(before);
    }

    @Test
    void garbageCursorIsInvalidField() {
        for (String garbage : List.of("garbage", "!!!", "Zm9v", "%00%01", "bm90LWEtbnVtYmVyOmpfWA")) {
            HttpResponse<String> r = server.get(JOBS + "?cursor=" + garbage);
            assertThat(r.statusCode()).as("cursor %s -> %s", garbage, r.body()).isEqualTo(400);
            Rest.error(r, 400, "invalid_field", "cursor");
        }
        Rest.error(server.get(JOBS + "?cursor=" + "A".repeat(300)), 400, "invalid_field", "cursor");
    }

    @Test
    void unknownQueryParameterIsInvalidField() {
        Rest.error(server.get(JOBS + "?stauts=running"), 400, "invalid_field", "stauts");
        Rest.error(server.get(JOBS + "?page=2"), 400, "invalid_field", "page");
        Rest.error(server.get(JOBS + "?status=running&status=pending"), 400, "invalid_field", "status");
    }

    @Test
    void childrenArePaginatedLikeTheList() {
        String parent = Rest.createId(server, "{\"type\":\"parent\"}");
        Set<String> children = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            children.add(Rest.createId(server, "{\"type\":\"child\",\"parentId\":\"" + parent + "\"}"));
        }
        Rest.createId(server, "{\"type\":\"gc\",\"parentId\":\"" + children.iterator().next() + "\"}");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> r = server.get(JOBS + "/" + parent + "/children?limit=3"
                    + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = Rest.json(r);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(3);
            seen.addAll(ids(page));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(children);
        Rest.error(server.get(JOBS + "/" + Rest.UNKNOWN_ID + "/children"), 404, "not_found");
        Rest.error(server.get(JOBS + "/" + parent + "/children?limit=501"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "/" + parent + "/children?bogus=1"), 400, "invalid_field", "bogus");
    }
}
