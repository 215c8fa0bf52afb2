package dev.herald.server.support;

import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;

import java.nio.file.Path;

/**
 * A server in a JVM of its own, for tests that kill it: {@code ServerProcess PORT DATA_DIR ADMIN_TOKEN} listens on
 * 127.0.0.1 until the process ends. (The {@code herald} command lives in herald-cli, above this module.)
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        HeraldServer server = HeraldServer.start(ServerOptions.defaults().withHost("127.0.0.1")
                .withPort(Integer.parseInt(args[0])).withDataDir(Path.of(args[1])).withAdminToken(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "server-process-shutdown"));
        Thread.currentThread().join();
    }
}
