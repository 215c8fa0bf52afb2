package dev.herald.bus.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The machine's Redis at 127.0.0.1:6379, shared by the tests: each bus gets a cluster
 * name of its own, so tests never hear each other. Also a plain client, to publish
 * what no node would and to cut a node's connections. A test class registers it with
 * {@code @RegisterExtension static final TestRedis redis = new TestRedis();}: it fails
 * at once, saying so, when Redis is not there.
 */
final class TestRedis implements BeforeAllCallback, AfterAllCallback {
    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;
    static final String URI = "redis://" + HOST + ":" + PORT;

    private Vertx vertx;
    private Redis admin;

    @Override
    public void beforeAll(ExtensionContext context) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2_000);
        } catch (IOException e) {
            throw new IllegalStateException("Redis at " + HOST + ":" + PORT + " could not be reached (" + e
                    + "); start it with `redis-server --daemonize yes`");
        }
        vertx = Vertx.vertx();
        admin = Redis.createClient(vertx, URI);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (vertx != null) {
            admin.close();
            vertx.close();
        }
    }

    Vertx vertx() {
        return vertx;
    }

    /** A node of a cluster of its own (unless given the name of another's). */
    RedisEventBus node(String cluster) {
        return RedisEventBus.start(vertx, RedisBusOptions.of(URI, cluster));
    }

    static String newCluster() {
        return "test-" + UUID.randomUUID();
    }

    Response send(Command command, String... args) {
        Request request = Request.cmd(command);
        Arrays.stream(args).forEach(request::arg);
        try {
            return admin.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(command + " " + List.of(args) + " failed", e);
        }
    }

    void publish(String channel, String message) {
        send(Command.PUBLISH, channel, message);
    }

    /** Cuts one of the node's connections ("pub" or "sub") from the server's side. */
    void kill(RedisEventBus node, String role) {
        String name = RedisEventBus.clientName(node.options(), role);
        String id = send(Command.CLIENT, "LIST").toString().lines()
                .filter(line -> line.contains(" name=" + name + " "))
                .map(line -> line.substring(line.indexOf("id=") + 3, line.indexOf(' ')))
                .findFirst().orElseThrow(() -> new IllegalStateException("no connection named " + name));
        send(Command.CLIENT, "KILL", "ID", id);
    }
}
