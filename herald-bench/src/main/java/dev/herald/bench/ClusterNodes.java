package dev.herald.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nodes of a Herald cluster, each {@code herald serve} in a JVM of its own (docs/cluster.md §11), on a PostgreSQL
 * database made for them and dropped at {@link #close}, with the machine's Redis between them under a cluster name
 * of their own. A node can be killed with SIGKILL and started again on its ports. Every node's output goes to
 * {@code /tmp/herald-cluster-NAME-N.log}, its collections with their pauses to
 * {@code /tmp/herald-cluster-NAME-N.gc.log}.
 */
final class ClusterNodes implements AutoCloseable {
    private static final String ADMIN_DATABASE = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    /** Per-key write limits out of the way: the benchmarks flood from one key, as a whole fleet would. */
    private static final String UNLIMITED = "1000000000";
    /** As the Redis address: one node on PostgreSQL, neither bus nor cluster, to split a cluster's cost. */
    static final String NO_BUS = "none";

    final String name = "bench-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String adminToken = "bench-admin-" + UUID.randomUUID();
    private final String database = name.replace('-', '_');
    private final String jar;
    private final String heap;
    private final String redis;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** One node: its ports stay when it is killed and started again. */
    static final class Node {
        final int index;
        final int port;
        final int clusterPort;
        volatile Process process;

        Node(int index, int port, int clusterPort) {
            this.index = index;
            this.port = port;
            this.clusterPort = clusterPort;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        ServerProcess watched() {
            return new ServerProcess(process.pid());
        }
    }

    private ClusterNodes(String jar, String heap, String redis) {
        this.jar = jar;
        this.heap = heap;
        this.redis = redis;
    }

    /** Makes the database and starts {@code count} nodes; returns once every one is ready. */
    static ClusterNodes start(int count, String jar, String heap, String redis) throws Exception {
        if (redis.equals(NO_BUS) && count != 1) {
            throw new IllegalArgumentException("--redis none (a node on PostgreSQL alone, no cluster) takes --nodes 1");
        }
        if (!Path.of(jar).toFile().isFile()) {
            throw new IllegalArgumentException("no " + jar + ": build it with mvn -pl herald-cli -am package "
                    + "-DskipTests, or pass --jar");
        }
        ClusterNodes cluster = new ClusterNodes(jar, heap, redis);
        cluster.sql("CREATE DATABASE " + cluster.database);
        try {
            for (int i = 0; i < count; i++) {
                cluster.nodes.add(new Node(i, freePort(), freePort()));
            }
            for (Node node : cluster.nodes) {
                // one at a time: the first applies the migrations, the others find them done
                cluster.restart(node);
            }
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    Node node(int i) {
        return nodes.get(i);
    }

    int size() {
        return nodes.size();
    }

    String describe() {
        return nodes.size() + " nodes (java -jar " + jar + " serve, ./herald's JVM defaults, -Xmx" + heap
                + ", each in its own JVM) on "
                + "PostgreSQL database " + database + " at 127.0.0.1:5432 and "
                + (redis.equals(NO_BUS) ? "no bus, no cluster" : "Redis " + redis + ", cluster " + name)
                + "; client and nodes share the machine's " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** Kills the node with SIGKILL: no shutdown hook runs, nothing pending is written. */
    void kill(Node node) throws InterruptedException {
        node.process.destroyForcibly();
        node.process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Starts a node (a killed one again, on its ports); returns once it is ready. A node that gives up starting (on a starved
     * machine its first answer from Redis can take longer than it waits) is started again, up to 5 times.
     */
    void restart(Node node) throws Exception {
        for (int attempt = 1; ; attempt++) {
            launch(node);
            try {
                awaitReady(node, Duration.ofSeconds(90));
                return;
            } catch (IllegalStateException e) {
                if (attempt == 5 || node.process.isAlive()) {
                    throw e;
                }
                System.out.println("node " + node.index + " did not start (" + e.getMessage() + "); again");
            }
        }
    }

    private void launch(Node node) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = logFile(node);
        // the collector and young generation that ./herald starts a server with (the launcher's measured defaults)
        // every collection with its pause, for a latency figure's tail (docs/cluster.md §14)
        String gcLog = "-Xlog:gc:file=" + gcLogFile(node) + "::filecount=0";
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms16m", "-XX:MaxNewSize=32m",
                "-Xmx" + heap, gcLog, "-jar", jar, "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(node.port),
                "--store", "postgresql://postgres@127.0.0.1:5432/" + database, "--admin-token", adminToken,
                "--write-rate", UNLIMITED, "--write-burst", UNLIMITED,
                "--batch-entry-rate", UNLIMITED, "--batch-entry-burst", UNLIMITED));
        if (!redis.equals(NO_BUS)) {
            command.addAll(List.of("--bus", redis, "--cluster", name, "--cluster-address", "127.0.0.1",
                    "--cluster-port", Integer.toString(node.clusterPort)));
        }
        node.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    File logFile(Node node) {
        return new File("/tmp/herald-cluster-" + name + "-" + node.index + ".log");
    }

    File gcLogFile(Node node) {
        return new File("/tmp/herald-cluster-" + name + "-" + node.index + ".gc.log");
    }

    /** The node's collections since it started: how many, their pauses' sum and the longest. */
    String gcSummary(Node node) {
        Matcher pause = Pattern.compile("Pause .* ([0-9.]+)ms$").matcher("");
        int count = 0;
        double sum = 0;
        double longest = 0;
        try {
            for (String line : Files.readAllLines(gcLogFile(node).toPath())) {
                if (pause.reset(line).find()) {
                    double ms = Double.parseDouble(pause.group(1));
                    count++;
                    sum += ms;
                    longest = Math.max(longest, ms);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "node " + node.index + ": no GC log (" + e + ")";
        }
        return String.format(Locale.ROOT, "node %d: %d collections since it started, %.0f ms paused, the longest "
                + "%.1f ms (%s)", node.index, count, sum, longest, gcLogFile(node));
    }

    /** The node's own meters of the bus ({@code herald.bus.*} of /metrics, docs/cluster.md §7). */
    String busMeters(Node node) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/metrics")).build(),
                    BodyHandlers.ofString()).body();
            StringBuilder b = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.startsWith("herald_bus_held") || line.startsWith("herald_bus_lag")
                        || line.startsWith("herald_bus_caught_up")) {
                    b.append("  node ").append(node.index).append(' ').append(line).append('\n');
                }
            }
            return b.toString();
        } catch (IOException | InterruptedException e) {
            return "  node " + node.index + ": no /metrics (" + e + ")\n";
        }
    }

    private void awaitReady(Node node, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.process.isAlive()) {
                throw new IllegalStateException("node " + node.index + " exited with " + node.process.exitValue()
                        + ": see " + logFile(node));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(node.url() + "/health/ready")).build(),
                        BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node " + node.index + " not ready within " + within + ": see "
                + logFile(node));
    }

    /** Waits until every node takes the key (up to 30 s): a node reads the keys made on others every 2 s. */
    void awaitKey(String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Node node : nodes) {
            HttpRequest probe = HttpRequest.newBuilder(URI.create(node.url() + "/api/v1/jobs?limit=1"))
                    .header("Authorization", "Bearer " + token).build();
            while (http.send(probe, BodyHandlers.discarding()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + node.index + " does not take the bench's key");
                }
                Thread.sleep(100);
            }
        }
    }

    /** User plus system CPU of every node process so far, in clock ticks, one per node (-1: not running). */
    long[] cpuTicks() {
        long[] ticks = new long[nodes.size()];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = nodes.get(i).watched().cpuTicks();
        }
        return ticks;
    }

    /** CPU of every node's C2 compiler threads so far, in clock ticks: a node still compiling is not warm. */
    long[] compilerTicks() {
        long[] ticks = new long[nodes.size()];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = nodes.get(i).watched().threadTicks("C2 CompilerThre");
        }
        return ticks;
    }

    @Override
    public void close() throws Exception {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.destroy();
            }
        }
        for (Node node : nodes) {
            if (node.process != null && !node.process.waitFor(30, TimeUnit.SECONDS)) {
                node.process.destroyForcibly();
            }
        }
        sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_DATABASE); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
