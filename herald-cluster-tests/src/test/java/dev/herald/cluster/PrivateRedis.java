package dev.herald.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A redis-server of one test on a free port, keeping nothing on disk, stopped and started by it. */
final class PrivateRedis implements AutoCloseable {
    private final int port = FreePorts.next();
    private final Path log;
    private Process process;

    PrivateRedis(Path log) {
        this.log = log;
    }

    /** The address as {@code --bus} takes it, its path naming the channels. */
    String busUrl(String name) {
        return "redis://127.0.0.1:" + port + "/" + name;
    }

    void start() {
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server (Debian's redis-server package) could not start", e);
        }
        await("redis-server on " + port).atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            stop();
        }
    }
}
