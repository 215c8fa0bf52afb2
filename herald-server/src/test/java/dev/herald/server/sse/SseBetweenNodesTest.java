package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.ServerOptions;
import dev.herald.server.support.RedisCommands;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import dev.herald.testkit.CuttableLink;
import dev.herald.server.support.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.logMessage;
import static dev.herald.server.sse.Jobs.statusTo;
import static dev.herald.server.sse.Jobs.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two servers on one PostgreSQL schema, each with a bus on the machine's Redis (docs/cluster.md §4): a reader on
 * node B gets the events of a job node A changes, in order, and nothing stored is missed when B's subscription to
 * Redis is cut; what the bus lost comes from the store.
 */
class SseBetweenNodesTest {
    private static final String POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";

    private final TestSchema schema = new TestSchema("herald_nodes_");
    private final String cluster = "sse-nodes-" + schema.suffix();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void dropSchema() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        schema.drop();
    }

    @Test
    void aReaderOnOneNodeSeesEveryEventOfAJobChangedOnAnotherInOrder() {
        TestServer a = node("redis://127.0.0.1:6379");
        TestServer b = node("redis://127.0.0.1:6379");
        String parent = Jobs.create(a, "running");
        SseClient sse = open(SseClient.open(b, "/api/v1/jobs/" + parent + "/events"));
        assertThat(Jobs.next(sse).event()).isEqualTo("snapshot");

        Jobs.progress(a, parent, "{\"current\":1,\"total\":4}");
        Jobs.log(a, parent, "one");
        String child = Jobs.createWith(a, "{\"type\":\"part\",\"parentId\":\"" + parent + "\",\"status\":\"running\"}");
        List<SseClient.Event> events = new ArrayList<>(until(sse, e -> e.event().equals("children")));
        Jobs.action(a, child, "complete", "{}");
        events.addAll(until(sse, e -> describe(e).equals("children 1")));
        Jobs.progress(a, parent, "{\"current\":3,\"total\":4}");
        Jobs.log(a, parent, "two");
        Jobs.action(a, parent, "complete", "{}");
        events.addAll(until(sse, statusTo("completed")));

        assertThat(events).extracting(SseBetweenNodesTest::describe).containsSubsequence(
                "progress 1", "log one", "children 0", "children 1", "progress 3", "log two", "status completed");
        assertInOrder(events);
    }

    @Test
    void whatTheBusLostWhileANodeWasCutOffComesFromTheStore() throws Exception {
        CuttableLink link = open(new CuttableLink(RedisCommands.HOST, RedisCommands.PORT));
        TestServer a = node("redis://127.0.0.1:6379");
        TestServer b = node(link.uri());
        String job = Jobs.create(a, "running");
        SseClient sse = open(SseClient.open(b, "/api/v1/jobs/" + job + "/events"));
        assertThat(Jobs.next(sse).event()).isEqualTo("snapshot");
        Jobs.log(a, job, "before");
        until(sse, logMessage("before"));

        link.cut();
        Jobs.log(a, job, "while cut 1");
        Jobs.progress(a, job, "{\"current\":5,\"total\":10,\"message\":\"half\"}");
        Jobs.log(a, job, "while cut 2");
        // the newest progress is in the store (written behind) before B may find Redis again
        await().atMost(Jobs.WAIT).until(() -> Jobs.job(b, job).at("/progress/current").asInt() == 5);
        link.mend();

        List<SseClient.Event> events = new ArrayList<>(until(sse, logMessage("while cut 2")));
        if (events.stream().noneMatch(e -> describe(e).equals("progress 5"))) {
            events.addAll(until(sse, e -> describe(e).equals("progress 5")));
        }
        assertThat(events).extracting(SseBetweenNodesTest::describe)
                .contains("log while cut 1", "log while cut 2", "progress 5");
        assertInOrder(events);
    }

    @Test
    void aNodeCutOffFromRedisIsNotReadyAndStillTakesWrites() throws Exception {
        CuttableLink link = open(new CuttableLink(RedisCommands.HOST, RedisCommands.PORT));
        TestServer b = node(link.uri());
        await().atMost(Jobs.WAIT).until(() -> b.get("/health/ready").statusCode() == 200);
        assertThat(b.get("/health/ready").body()).contains("\"store\":\"up\"", "\"bus\":\"up\"");

        link.cut();
        await().atMost(Jobs.WAIT).until(() -> b.get("/health/ready").statusCode() == 503);
        HttpResponse<String> notReady = b.get("/health/ready");
        assertThat(notReady.body()).contains("\"store\":\"up\"", "\"bus\":\"down\"");
        assertThat(notReady.headers().firstValue("Retry-After")).hasValue("5");
        // API §8: writes still succeed while the bus is down
        String job = Jobs.create(b, "running");
        Jobs.progress(b, job, "{\"current\":2,\"total\":4}");
        Jobs.log(b, job, "without the bus");
        assertThat(Jobs.job(b, job).at("/progress/current").asInt()).isEqualTo(2);

        link.mend();
        await().atMost(Jobs.WAIT).until(() -> b.get("/health/ready").statusCode() == 200);
    }

    @Test
    void aReaderConvergesAfterItsNodesSubscriptionToRedisIsKilled() {
        TestServer a = node("redis://127.0.0.1:6379", o -> o.withFlushInterval(Duration.ofMillis(50)));
        TestServer b = node("redis://127.0.0.1:6379");
        String job = Jobs.create(a, "running");
        SseClient sse = open(SseClient.open(b, "/api/v1/jobs/" + job + "/events"));
        assertThat(Jobs.next(sse).event()).isEqualTo("snapshot");

        assertThat(RedisCommands.killSubscribers(cluster)).isEqualTo(2);
        for (int i = 1; i <= 5; i++) {
            Jobs.log(a, job, "line " + i);
            Jobs.progress(a, job, "{\"current\":" + i + ",\"total\":5}");
        }

        List<SseClient.Event> events = new ArrayList<>(until(sse, logMessage("line 5")));
        if (events.stream().noneMatch(e -> describe(e).equals("progress 5"))) {
            events.addAll(until(sse, e -> describe(e).equals("progress 5")));
        }
        assertThat(events).extracting(SseBetweenNodesTest::describe)
                .containsSubsequence("log line 1", "log line 2", "log line 3", "log line 4", "log line 5");
        assertInOrder(events);
    }

    @Test
    void aReaderResumesOnAnotherNodeFromItsLastEventId() {
        TestServer a = node("redis://127.0.0.1:6379");
        TestServer b = node("redis://127.0.0.1:6379");
        String job = Jobs.create(a, "running");
        String cursor;
        try (SseClient onA = SseClient.open(a, "/api/v1/jobs/" + job + "/events")) {
            Jobs.log(a, job, "seen");
            cursor = until(onA, logMessage("seen")).get(1).id();
        }
        Jobs.log(a, job, "missed");
        Jobs.action(a, job, "complete", "{}");

        SseClient onB = open(SseClient.open(b.client(), b.uri("/api/v1/jobs/" + job + "/events"), TestServer.TOKEN,
                Map.of("Last-Event-ID", cursor)));
        assertThat(until(onB, e -> e.event().equals("snapshot"))).extracting(SseBetweenNodesTest::describe)
                .containsExactly("log missed", "status completed", "snapshot");
    }

    @Test
    void aBusNeedsAStoreTheNodesShareAndAnAddressItCanRead() {
        assertThatThrownBy(() -> TestServer.start(o -> o.withBus("redis://127.0.0.1:6379/" + cluster)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("--bus needs --store");
        assertThatThrownBy(() -> TestServer.start(o -> o.withStore(POSTGRES + "?schema=" + schema.name())
                .withBus("127.0.0.1:6379")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("redis://host:port[/name]");
    }

    private TestServer node(String redis) {
        return node(redis, o -> o);
    }

    private TestServer node(String redis, UnaryOperator<ServerOptions> tweak) {
        return open(TestServer.start(o -> tweak.apply(o.withStore(POSTGRES + "?schema=" + schema.name())
                .withBus(redis + "/" + cluster))));
    }

    private <T extends AutoCloseable> T open(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** Type and what tells the event apart: the progress's current, the line, the new status, the children done. */
    private static String describe(SseClient.Event e) {
        JsonNode d = data(e);
        return switch (e.event()) {
            case "progress" -> "progress " + d.at("/job/progress/current").asInt();
            case "log" -> "log " + d.at("/log/message").asText();
            case "status" -> "status " + d.path("to").asText();
            case "children" -> "children " + d.at("/job/children/completed").asInt();
            default -> e.event();
        };
    }

    /**
     * Versions never go back and states never repeat one; a state may share the version of the log line before it
     * (a line carries no state). Stream positions never go back.
     */
    private static void assertInOrder(List<SseClient.Event> events) {
        long version = 0;
        long stateVersion = 0;
        long position = 0;
        for (SseClient.Event e : events) {
            long v = data(e).path("version").asLong();
            assertThat(v).as("version of " + describe(e) + " in " + events).isGreaterThanOrEqualTo(version);
            if (!e.event().equals("log")) {
                assertThat(v).as("version of " + describe(e) + " in " + events).isGreaterThan(stateVersion);
                stateVersion = v;
            }
            version = v;
            long p = Long.parseLong(e.id().substring(e.id().lastIndexOf('-') + 1), 36);
            assertThat(p).as("position of " + describe(e) + " in " + events).isGreaterThanOrEqualTo(position);
            position = p;
        }
    }
}
