package dev.herald.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The nodes of one test class: a database of its own, a cluster name of its own, the same admin token and cluster
 * secret on every node, started before the first test ({@link #startedAtOnce}) and killed after the last. A failed
 * test prints the end of every node's output. Register it as a static {@code @RegisterExtension} field.
 */
final class Nodes implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    static final String TOKEN = "cluster-it-admin-token";
    private static final int LOG_LINES_SHOWN = 200;

    private final int count;
    private final boolean privateRedis;
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> options = new ArrayList<>();
    private boolean atOnce;
    private Path dir;
    private TestDatabase database;
    private PrivateRedis redis;

    private Nodes(int count, boolean privateRedis) {
        this.count = count;
        this.privateRedis = privateRedis;
    }

    /** Nodes on the machine's Redis, on a channel of their own. */
    static Nodes of(int count) {
        return new Nodes(count, false);
    }

    /** Nodes on a {@link PrivateRedis} the test may stop and start. */
    static Nodes withPrivateRedis(int count) {
        return new Nodes(count, true);
    }

    /**
     * Starts the nodes at once, each migrating the empty database or waiting for the one that does (§9); otherwise
     * one after another, so that JVMs starting together on two busy cores do not starve each other's connections.
     */
    Nodes startedAtOnce() {
        atOnce = true;
        return this;
    }

    /** More options of {@code herald serve} for every node, e.g. {@code "--flush-interval", "60s"}. */
    Nodes with(String... serveOptions) {
        options.addAll(List.of(serveOptions));
        return this;
    }

    Node get(int i) {
        return nodes.get(i);
    }

    List<Node> all() {
        return nodes;
    }

    TestDatabase database() {
        return database;
    }

    PrivateRedis redis() {
        return redis;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path jar = Path.of(System.getProperty("herald.jar", "../herald-cli/target/herald.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run in `mvn verify`, after herald-cli "
                    + "packaged it (or run `mvn -B package -pl herald-cli -am -DskipTests` first)");
        }
        dir = Files.createTempDirectory("herald-cluster-it");
        String cluster = "it-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        database = TestDatabase.create();
        String bus = "redis://127.0.0.1:6379/" + cluster;
        if (privateRedis) {
            redis = new PrivateRedis(dir.resolve("redis.log"));
            redis.start();
            bus = redis.busUrl(cluster);
        }
        String secret = "secret-of-" + cluster;
        for (int i = 0; i < count; i++) {
            int port = FreePorts.next();
            String name = "node" + (char) ('A' + i);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // small and quick to start: up to five of these share two cores with the build
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString(), "serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--data", dir.resolve(name).toString(), "--store", database.storeUrl(), "--bus", bus,
                    "--cluster", cluster, "--cluster-address", "127.0.0.1",
                    "--cluster-port", Integer.toString(FreePorts.next()), "--cluster-secret", secret,
                    "--admin-token", TOKEN));
            command.addAll(options);
            nodes.add(new Node(name, command, dir.resolve(name + ".log"), port));
        }
        if (atOnce) {
            nodes.forEach(Node::start);
            nodes.forEach(Node::awaitReady);
        } else {
            nodes.forEach(Node::restart);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.out.println("==== " + context.getDisplayName() + " failed: the nodes' output (last "
                + LOG_LINES_SHOWN + " lines each) ====");
        for (Node node : nodes) {
            List<String> lines = node.output().lines().toList();
            System.out.println("==== " + node.name() + " (" + node.base() + ", " + node.log() + ")");
            lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size()).forEach(System.out::println);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        nodes.stream().filter(Node::alive).forEach(node -> {
            node.resume();
            node.kill();
        });
        if (redis != null) {
            redis.close();
        }
        if (database != null) {
            database.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            // a node's data folder may still be written by a dying process: leave it to the temp cleaner
        }
    }
}
