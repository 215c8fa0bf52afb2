package dev.herald.server.support;

import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import dev.herald.server.cluster.ClusterOptions;

import java.nio.file.Path;

/**
 * A server in a JVM of its own, for tests that kill it: {@code ServerProcess PORT DATA_DIR ADMIN_TOKEN [STORE
 * [CLUSTER]]} listens on 127.0.0.1 until the process ends; with STORE (a {@code --store} location) its jobs are kept
 * there, with CLUSTER it is a node of the cluster of that name (its cluster listener on a free port). (The {@code herald} command lives in herald-cli, above this module.)
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServerOptions options = ServerOptions.defaults().withHost("127.0.0.1")
                .withPort(Integer.parseInt(args[0])).withDataDir(Path.of(args[1])).withAdminToken(args[2]);
        ClusterOptions cluster = args.length > 4 ? new ClusterOptions(args[4], "127.0.0.1", 0, null) : null;
        HeraldServer server = HeraldServer.start(args.length > 3 ? options.withStore(args[3]) : options, cluster);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "server-process-shutdown"));
        Thread.currentThread().join();
    }
}
