package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /jobs/{id}/children} (API §2): direct children only, paginated like {@code GET /jobs}. */
class ChildrenListTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode page(String parent, String query) {
        HttpResponse<String> r = server.get(Tree.JOBS + "/" + parent + "/children" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Tree.json(r);
    }

    /** Every item, following nextCursor with this page size; checks each page's size. */
    private static List<JsonNode> all(String parent, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            JsonNode page = page(parent, "?limit=" + limit + (cursor == null ? "" : "&cursor=" + Tree.enc(cursor)));
            assertThat(page.get("items").size()).as("page size").isLessThanOrEqualTo(limit);
            page.get("items").forEach(items::add);
            JsonNode next = page.get("nextCursor");
            assertThat(next).as("nextCursor is present (null on the last page)").isNotNull();
            if (next.isNull()) {
                return items;
            }
            assertThat(page.get("items").size()).as("a page with a next cursor is full").isEqualTo(limit);
            cursor = next.asText();
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void listsDirectChildrenOnlyPageByPage() {
        String parent = Tree.root(server);
        List<String> direct = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            direct.add(Tree.create(server, parent, i % 2 == 0 ? "running" : "pending"));
        }
        String g1 = Tree.create(server, direct.get(0), "running");
        Tree.create(server, g1, "running");
        Tree.create(server, direct.get(3), "pending");
        Tree.create(server, null, "running"); // unrelated
        Tree.ok(server, direct.get(1), "start", "{}");
        Tree.complete(server, direct.get(1));

        List<JsonNode> items = all(parent, 3);
        List<String> ids = items.stream().map(j -> j.get("id").asText()).toList();
        assertThat(ids).as("every direct child once, nothing deeper").containsExactlyInAnyOrderElementsOf(direct);
        for (JsonNode j : items) {
            assertThat(j.get("parentId").asText()).isEqualTo(parent);
        }
        // newest first, like GET /jobs
        for (int i = 1; i < items.size(); i++) {
            assertThat(items.get(i - 1).get("createdAt").asText())
                    .isGreaterThanOrEqualTo(items.get(i).get("createdAt").asText());
        }
        // items are the jobs' newest states
        JsonNode done = items.stream().filter(j -> j.get("id").asText().equals(direct.get(1))).findFirst()
                .orElseThrow();
        assertThat(done.get("status").asText()).isEqualTo("completed");

        assertThat(all(parent, 500)).hasSize(7);
        assertThat(all(parent, 1)).hasSize(7);
        JsonNode first = page(parent, "?limit=7");
        assertThat(first.get("items")).hasSize(7);

        // the grandchild's own parent lists it
        List<String> underG1Parent = all(direct.get(0), 10).stream().map(j -> j.get("id").asText()).toList();
        assertThat(underG1Parent).containsExactly(g1);
    }

    @Test
    void aJobWithoutChildrenListsNone() {
        String lonely = Tree.root(server);
        JsonNode page = page(lonely, "");
        assertThat(page.get("items")).isEmpty();
        assertThat(page.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void filtersByStatus() {
        String parent = Tree.root(server);
        String a = Tree.create(server, parent, "running");
        String b = Tree.create(server, parent, "pending");
        Tree.create(server, parent, "running");
        Tree.complete(server, a);
        List<String> completed = new ArrayList<>();
        page(parent, "?status=completed").get("items").forEach(j -> completed.add(j.get("id").asText()));
        assertThat(completed).containsExactly(a);
        List<String> pending = new ArrayList<>();
        page(parent, "?status=pending").get("items").forEach(j -> pending.add(j.get("id").asText()));
        assertThat(pending).containsExactly(b);
    }

    @Test
    void anUnknownParentIsNotFound() {
        Tree.error(server.get(Tree.JOBS + "/" + Tree.UNKNOWN_ID + "/children"), 404, "not_found");
        Tree.error(server.get(Tree.JOBS + "/" + Tree.UNKNOWN_ID + "/children?limit=10"), 404, "not_found");
    }

    @Test
    void badPagingIsRefused() {
        String parent = Tree.root(server);
        Tree.error(server.get(Tree.JOBS + "/" + parent + "/children?limit=0"), 400, "invalid_field");
        Tree.error(server.get(Tree.JOBS + "/" + parent + "/children?cursor=not-a-cursor"), 400, "invalid_field");
    }
}
