package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parentId} on {@code POST /jobs} (API §1, §2): the parent must exist and be unfinished; any depth. */
class ParentIdCreateTest {
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
    void anUnknownParentIsNotFound() {
        HttpResponse<String> r = server.post(Tree.JOBS, Tree.body("orphan", Tree.UNKNOWN_ID, null).toString());
        Tree.error(r, 404, "not_found");
    }

    @ParameterizedTest(name = "under a {0} parent")
    @ValueSource(strings = {"completed", "failed", "cancelled"})
    void aFinishedParentTakesNoNewChild(String terminal) {
        String parent = Tree.root(server);
        switch (terminal) {
            case "completed" -> Tree.complete(server, parent);
            case "failed" -> Tree.failJob(server, parent);
            default -> Tree.cancel(server, parent);
        }
        long version = Tree.job(server, parent).get("version").asLong();

        HttpResponse<String> r = server.post(Tree.JOBS, Tree.body("late", parent, "running").toString());
        JsonNode e = Tree.error(r, 409, "job_finished");
        assertThat(e.path("status").asText(null)).as("the parent's status in %s", r.body()).isEqualTo(terminal);

        HttpResponse<String> children = server.get(Tree.JOBS + "/" + parent + "/children");
        assertThat(children.statusCode()).as(children.body()).isEqualTo(200);
        assertThat(Tree.json(children).get("items")).as("no child was created").isEmpty();
        JsonNode after = Tree.job(server, parent);
        assertThat(after.get("children").isNull()).as("still no children summary: %s", after).isTrue();
        assertThat(after.get("version").asLong()).as("the finished parent did not change").isEqualTo(version);
    }

    @Test
    void childrenNestFiveLevelsDeep() {
        List<String> chain = new ArrayList<>();
        chain.add(Tree.root(server));
        for (int level = 2; level <= 5; level++) {
            String parent = chain.get(chain.size() - 1);
            JsonNode child = Tree.create(server, Tree.body("level-" + level, parent, "running"));
            assertThat(child.get("parentId").asText()).isEqualTo(parent);
            assertThat(child.get("children").isNull()).as("a new job has no children").isTrue();
            chain.add(child.get("id").asText());
        }
        assertThat(chain).doesNotHaveDuplicates().hasSize(5);

        for (int i = 0; i < chain.size(); i++) {
            String id = chain.get(i);
            JsonNode job = Tree.job(server, id);
            if (i == 0) {
                assertThat(job.get("parentId").isNull()).as("the root has no parent").isTrue();
            } else {
                assertThat(job.get("parentId").asText()).as("parent of level %d", i + 1).isEqualTo(chain.get(i - 1));
            }
        }
        // every level but the leaf has exactly one direct child, running at 0 %
        for (int i = 0; i < chain.size() - 1; i++) {
            Tree.eventually(server, chain.get(i), job -> {
                JsonNode ch = job.get("children");
                assertThat(ch.isObject()).as("summary of %s", job).isTrue();
                assertThat(ch.get("total").asInt()).isEqualTo(1);
                assertThat(ch.get("running").asInt()).isEqualTo(1);
                assertThat(ch.get("text").asText()).isEqualTo("0 pending, 1 running, 0 completed, 0 failed");
            });
        }
        assertThat(Tree.job(server, chain.get(4)).get("children").isNull()).as("the leaf has no children").isTrue();

        // and the deepest can still take a child: a sixth level
        String sixth = Tree.create(server, chain.get(4), "pending");
        assertThat(Tree.job(server, sixth).get("parentId").asText()).isEqualTo(chain.get(4));
    }

    @Test
    void aChildHasItsParentsProjectWhateverItNames() {
        String project = "tree-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode root = Tree.create(server, Tree.body("root", null, "running").put("project", project));
        assertThat(root.get("project").asText()).isEqualTo(project);
        String rootId = root.get("id").asText();

        JsonNode named = Tree.create(server, Tree.body("child", rootId, "running").put("project", other));
        assertThat(named.get("project").asText()).as("a child naming another project").isEqualTo(project);
        JsonNode unnamed = Tree.create(server, Tree.body("child", rootId, null));
        assertThat(unnamed.get("project").asText()).as("a child naming no project").isEqualTo(project);
        JsonNode grandchild = Tree.create(server,
                Tree.body("grandchild", named.get("id").asText(), null).put("project", "default"));
        assertThat(grandchild.get("project").asText()).as("a grandchild naming 'default'").isEqualTo(project);

        for (JsonNode j : List.of(named, unnamed, grandchild)) {
            assertThat(Tree.job(server, j.get("id").asText()).get("project").asText()).as("stored").isEqualTo(project);
        }
        HttpResponse<String> inOther = server.get(Tree.JOBS + "?project=" + other);
        assertThat(inOther.statusCode()).as(inOther.body()).isEqualTo(200);
        assertThat(Tree.json(inOther).get("items")).as("nothing landed in %s", other).isEmpty();
        HttpResponse<String> inProject = server.get(Tree.JOBS + "?project=" + project + "&limit=500");
        List<String> ids = new ArrayList<>();
        Tree.json(inProject).get("items").forEach(j -> ids.add(j.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(rootId, named.get("id").asText(), unnamed.get("id").asText(),
                grandchild.get("id").asText());
    }
}
