package dev.herald.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Moved;
import dev.herald.core.cluster.Peers;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.KilledServers;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.TestSchema;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two servers as nodes of one cluster on a schema of the machine's PostgreSQL (docs/cluster.md §2.5): writes that
 * arrive at the node that does not own the job's tree run on the owner and are answered as if local; a node takes
 * the trees of an owner that left; the cluster listener serves only nodes that show the cluster's secret.
 */
class ClusterForwardingTest extends JobsOverRest {
    private static final String SECRET = "the-test-cluster-secret";
    private final TestSchema schema = new TestSchema("herald_fwd_");
    private final String store = schema.store();

    @AfterEach
    void dropSchema() throws Exception {
        schema.drop();
    }

    private TestServer node(String secret) {
        return TestServer.inCluster(new ClusterOptions("fwd", "127.0.0.1", 0, secret), o -> o.withStore(store));
    }

    @Test
    void writesSentToANodeThatDoesNotOwnTheTreeRunOnItsOwner() {
        try (TestServer a = node(null); TestServer b = node(null)) {
            String root = createWith(a, "{\"type\":\"import\",\"project\":\"acme\"}");

            long version = progress(b, root, "{\"current\":3,\"total\":10,\"message\":\"through b\"}");
            Job onA = a.server().engine().cached(root).orElseThrow();
            assertThat(onA.version()).isEqualTo(version);
            assertThat(onA.progress().current()).isEqualTo(3.0);
            assertThat(onA.progress().message()).isEqualTo("through b");
            assertThat(b.server().engine().cached(root)).as("B holds none of A's tree").isEmpty();

            // one sequence of log lines, the owner's, whichever node a line arrives at
            assertThat(log(b, root, "through b")).isEqualTo(1);
            assertThat(log(a, root, "on a")).isEqualTo(2);
            assertThat(log(b, root, "through b again")).isEqualTo(3);

            HttpResponse<String> created = b.post("/api/v1/jobs", "{\"type\":\"part\",\"parentId\":\"" + root + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode child = tree(created.body());
            assertThat(child.get("project").asText()).isEqualTo("acme");
            String childId = child.get("id").asText();
            assertThat(a.server().engine().cached(childId)).isPresent();
            assertThat(b.server().engine().cached(childId)).isEmpty();

            assertThat(action(b, childId, "start", "{}").get("status").asText()).isEqualTo("running");
            JsonNode done = action(b, childId, "complete", "{\"result\":{\"rows\":5}}");
            assertThat(done.get("status").asText()).isEqualTo("completed");
            assertThat(done.get("result").get("rows").asInt()).isEqualTo(5);
            assertThat(a.server().engine().cached(childId).orElseThrow().status().wire()).isEqualTo("completed");

            // the child's completion moves the root on once more (its children counts) after it is answered
            await().until(() -> a.server().engine().cached(root).orElseThrow().children().completed() == 1);
            HttpResponse<String> batch = b.post("/api/v1/progress:batch",
                    "[{\"jobId\":\"" + root + "\",\"current\":5}]");
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
            JsonNode entry = tree(batch.body()).get("results").get(0);
            assertThat(entry.get("status").asInt()).as(batch.body()).isEqualTo(202);
            assertThat(a.server().engine().cached(root).orElseThrow().version()).isEqualTo(entry.get("version").asLong());

            // refusals come back as the owner gave them
            HttpResponse<String> again = b.post("/api/v1/jobs/" + childId + "/complete", "{}");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
            assertThat(tree(again.body()).get("error").get("code").asText()).isEqualTo("job_finished");

            JsonNode cancelled = action(b, root, "cancel", "{}");
            assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
            assertThat(job(a, root).get("status").asText()).isEqualTo("cancelled");

            assertThat(metric(b, "herald_cluster_forwarded_total", "direction=\"out\"")).isEqualTo(9.0);
            assertThat(metric(a, "herald_cluster_forwarded_total", "direction=\"in\"")).isEqualTo(9.0);
            assertThat(metric(b, "herald_cluster_forward_failed_total")).isZero();
        }
    }

    @Test
    void aNodeClaimsTheTreesOfAnOwnerThatStoppedCleanlyWithoutTheGap() {
        TestServer a = node(null);
        boolean aRuns = true;
        try (TestServer b = node(null)) {
            String root = createWith(a, "{\"type\":\"import\"}");
            long before = progress(b, root, "{\"current\":1,\"total\":10}");
            // the stop wrote everything, so it released the tree (docs/cluster.md §2.4)
            a.close();
            aRuns = false;

            long after = progress(b, root, "{\"current\":2,\"total\":10}");
            assertThat(after).isEqualTo(before + 1);
            assertThat(b.server().engine().cached(root).orElseThrow().progress().current()).isEqualTo(2.0);
            assertThat(metric(b, "herald_cluster_takeovers_total", "kind=\"clean\"")).isEqualTo(1.0);
            assertThat(metric(b, "herald_cluster_takeovers_total", "kind=\"unclean\"")).isZero();
            assertThat(action(b, root, "complete", "{}").get("status").asText()).isEqualTo("completed");
        } finally {
            if (aRuns) {
                a.close();
            }
        }
    }

    @Test
    void aNodeTakesOverTheTreesOfAnOwnerKilledWithSigkillKeepingWhatItAcknowledged() throws Exception {
        try (KilledServers processes = new KilledServers(HttpClient.newHttpClient()); TestServer b = node(null)) {
            KilledServers.Server a = processes.launch(processes.dataFolder(), store, "fwd");
            HttpResponse<String> created = processes.post(a, "/api/v1/jobs", "{\"type\":\"import\"}");
            String root = tree(created.body()).get("id").asText();
            assertThat(action(b, root, "start", "{}").get("status").asText()).isEqualTo("running");
            long acknowledged = progress(b, root, "{\"current\":1,\"total\":10}");
            log(b, root, "before the kill");
            KilledServers.kill(a);

            long after = progress(b, root, "{\"current\":2,\"total\":10}");
            assertThat(after).isGreaterThan(acknowledged);
            JsonNode job = job(b, root);
            assertThat(job.get("status").asText()).isEqualTo("running");
            HttpResponse<String> logs = b.get("/api/v1/jobs/" + root + "/logs");
            assertThat(tree(logs.body()).get("items").get(0).get("message").asText()).isEqualTo("before the kill");
            assertThat(log(b, root, "after the kill")).isEqualTo(2);
            assertThat(metric(b, "herald_cluster_takeovers_total", "kind=\"unclean\"")).isEqualTo(1.0);
        }
    }

    @Test
    void retentionOnANodeThatDoesNotOwnTheTreeSendsTheDeletionToItsOwner() throws Exception {
        ClusterOptions cluster = new ClusterOptions("fwd", "127.0.0.1", 0, SECRET);
        Duration retention = Duration.ofMillis(1);
        try (TestServer a = TestServer.inCluster(cluster, o -> o.withStore(store).withRetention(retention));
             TestServer b = TestServer.inCluster(cluster, o -> o.withStore(store).withRetention(retention))) {
            String root = createWith(a, "{\"type\":\"import\"}");
            a.server().engine().start(root).get(10, TimeUnit.SECONDS);
            // B lets writes to the job through from what it remembers of it (docs/cluster.md §2.5)
            progress(b, root, "{\"current\":1}");
            a.server().engine().complete(root, null).get(10, TimeUnit.SECONDS);

            // counted by B only as A answers it deleted the job (A's own sweep comes a minute after it took the duty)
            int[] deleted = {0};
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                deleted[0] += b.server().engine().deleteExpired();
                return a.server().engine().cached(root).isEmpty();
            });
            assertThat(deleted[0]).isEqualTo(1);
            assertThat(a.get("/api/v1/jobs/" + root).statusCode()).isEqualTo(404);
            HttpResponse<String> late = b.post("/api/v1/jobs/" + root + "/progress", "{\"current\":2}");
            assertThat(late.statusCode()).as("a write B let through finds the job gone: " + late.body())
                    .isEqualTo(404);
            assertThat(metric(b, "herald_cluster_forwarded_total", "direction=\"out\"")).isPositive();
            assertThat(metric(a, "herald_cluster_forwarded_total", "direction=\"in\"")).isPositive();
            assertThat(metric(b, "herald_cluster_takeovers_total", "kind=\"clean\"")).isZero();
        }
    }

    @Test
    void theClusterListenerServesOnlyCallersWithTheClusterSecret() throws Exception {
        try (TestServer a = node(SECRET); TestServer b = node(SECRET)) {
            String root = createWith(a, "{\"type\":\"import\"}");
            long version = version(a, root);
            String path = "/cluster/v1/jobs/" + root + "/progress";
            HttpClient http = HttpClient.newHttpClient();
            for (String authorization : new String[] {null, "Bearer not-the-secret", "Bearer " + TestServer.TOKEN}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://"
                        + a.server().clusterAddress() + path)).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"current\":9}")).header("Content-Type", "application/json");
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            }
            assertThat(metric(a, "herald_cluster_peer_refused_total")).isEqualTo(3.0);
            assertThat(version(a, root)).isEqualTo(version);

            // even a node with the secret cannot make the listener gather a body past twice the public limits
            String huge = "{\"current\":9,\"message\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}";
            HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(URI.create("http://"
                    + a.server().clusterAddress() + path)).POST(HttpRequest.BodyPublishers.ofString(huge))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + SECRET).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("\"too_large\"");
            assertThat(version(a, root)).isEqualTo(version);

            Vertx vertx = Vertx.vertx();
            HttpClientAgent h2c = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
            try {
                HttpClientResponse taken = post(h2c, a.server().clusterAddress(), path);
                assertThat(taken.version()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(taken.statusCode()).isEqualTo(202);
                assertThat(a.server().engine().cached(root).orElseThrow().progress().current()).isEqualTo(9.0);

                // B does not own the tree: it answers so, and does not send the command on
                HttpClientResponse moved = post(h2c, b.server().clusterAddress(), path);
                assertThat(moved.statusCode()).isEqualTo(503);
                assertThat(moved.getHeader(PeerWire.MOVED)).isEqualTo("1");
                assertThat(metric(b, "herald_cluster_forwarded_total", "direction=\"out\"")).isZero();
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void progressForwardedAsOneBatchIsAppliedInOrderOnTheOwnerAndAnsweredPerUpdate() throws Exception {
        try (TestServer a = node(SECRET); TestServer b = node(SECRET)) {
            String root = createWith(a, "{\"type\":\"import\"}");
            String cancelled = createWith(a, "{\"type\":\"import\"}");
            action(a, cancelled, "cancel", "{}");
            String onB = createWith(b, "{\"type\":\"import\"}");
            Vertx vertx = Vertx.vertx();
            try (HttpPeers peers = new HttpPeers(vertx, SECRET)) {
                List<Peers.Outcome> outcomes = peers.progress(a.server().clusterAddress(), List.of(
                        update(root, 1), update(cancelled, 1), update(onB, 1), update(root, 2)))
                        .get(30, TimeUnit.SECONDS);

                assertThat(outcomes.get(0).refusal()).isNull();
                assertThat(outcomes.get(3).version()).isGreaterThan(outcomes.get(0).version());
                Job onA = a.server().engine().cached(root).orElseThrow();
                assertThat(onA.version()).isEqualTo(outcomes.get(3).version());
                assertThat(onA.progress().current()).as("applied in the order sent").isEqualTo(2.0);
                assertThat(outcomes.get(1).refusal()).isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
                    assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);
                });
                assertThat(outcomes.get(2).refusal()).as("B's tree").isInstanceOf(Moved.class);
                assertThat(peers.sent()).isEqualTo(4);
                assertThat(peers.moved()).isEqualTo(1);
                assertThat(metric(a, "herald_cluster_forwarded_total", "direction=\"in\"")).isEqualTo(4.0);

                // a node that owns none of them refuses them all as moved, applying none
                List<Peers.Outcome> elsewhere = peers.progress(b.server().clusterAddress(),
                        List.of(update(root, 3), update(cancelled, 3))).get(30, TimeUnit.SECONDS);
                assertThat(elsewhere).allMatch(o -> o.refusal() instanceof Moved);
                assertThat(a.server().engine().cached(root).orElseThrow().progress().current()).isEqualTo(2.0);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Peers.Update update(String job, double current) {
        return new Peers.Update(new Forward.Progress(job, ProgressReport.of(current, 10)), null);
    }

    @Test
    void nodesThatDisagreeOnTheSecretRefuseTheForwardAsUnavailableNotAsTheCallersFault() {
        try (TestServer a = node(SECRET); TestServer b = node(SECRET + "-other")) {
            String root = createWith(a, "{\"type\":\"import\"}");
            HttpResponse<String> r = b.post("/api/v1/jobs/" + root + "/progress", "{\"current\":1}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(metric(a, "herald_cluster_peer_refused_total")).isEqualTo(1.0);
        }
    }

    @Test
    void aNodeWhoseLeaseLapsedIsNotReadyUntilItHasItBack() throws Exception {
        try (TestServer a = node(null);
             Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
             Statement s = c.createStatement()) {
            assertThat(a.get("/health/ready").statusCode()).isEqualTo(200);
            String nodeId;
            try (ResultSet rs = s.executeQuery("SELECT node_id FROM " + schema.name() + ".herald_nodes")) {
                assertThat(rs.next()).isTrue();
                nodeId = rs.getString(1);
            }
            // the lease's session ends, and this test holds its lock so that the node cannot take it back
            s.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = "
                    + "'herald-lease " + nodeId + "'");
            s.execute("SELECT pg_advisory_lock(" + lockKey("fwd", schema.name(), nodeId) + ")");
            await().atMost(WAIT).until(() -> a.get("/health/ready").statusCode() == 503);
            assertThat(a.get("/health/ready").body()).contains("\"store\":\"down\"");
            assertThat(a.post("/api/v1/jobs", "{\"type\":\"import\"}").statusCode()).isEqualTo(503);

            s.execute("SELECT pg_advisory_unlock(" + lockKey("fwd", schema.name(), nodeId) + ")");
            await().atMost(WAIT).until(() -> a.get("/health/ready").statusCode() == 200);
            createWith(a, "{\"type\":\"import\"}");
        }
    }

    /** The lease's lock key, as the store makes it (PostgresCluster.lockKey). */
    private static long lockKey(String cluster, String schema, String nodeId) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                (cluster + "\u0000" + schema + "\u0000" + nodeId).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(hash).getLong();
    }

    private static HttpClientResponse post(HttpClientAgent client, String address, String path) throws Exception {
        int colon = address.lastIndexOf(':');
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(address.substring(0, colon))
                        .setPort(Integer.parseInt(address.substring(colon + 1))).setURI(path)
                        .putHeader("Authorization", "Bearer " + SECRET).putHeader("Content-Type", "application/json"))
                .compose(r -> r.send("{\"current\":9}"))
                .compose(r -> r.body().map(body -> r))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
