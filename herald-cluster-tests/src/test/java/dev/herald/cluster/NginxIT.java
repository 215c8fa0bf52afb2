package dev.herald.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes behind nginx with examples/cluster/nginx.conf (round robin, no sticky sessions; its ports replaced by
 * free ones): a reader through nginx sees what is written through nginx to any node, and resumes through nginx with
 * {@code Last-Event-ID} after the job's owner is killed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NginxIT {
    @RegisterExtension
    static final Nodes NODES = Nodes.of(3);
    private static Process nginx;
    private static Path state;
    private static String front;

    @BeforeAll
    static void startNginx() throws IOException {
        Path binary = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx").map(Path::of)
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("nginx not installed: run .ci/run or apt-get install nginx"));
        Path examples = Path.of(System.getProperty("herald.examples", "../examples")).toAbsolutePath();
        int port = FreePorts.next();
        String conf = Files.readString(examples.resolve("cluster/nginx.conf"))
                .replace("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";");
        for (int i = 0; i < 3; i++) {
            conf = conf.replace("server 127.0.0.1:808" + (i + 1) + ";", "server 127.0.0.1:" + NODES.get(i).port() + ";");
        }
        assertThat(conf).as("the example's ports, all replaced").doesNotContain(":808");
        state = Files.createTempDirectory("herald-nginx-it");
        Files.createDirectories(state.resolve("tmp"));
        Files.writeString(state.resolve("nginx.conf"), conf);
        nginx = new ProcessBuilder(binary.toString(), "-p", state.toString(), "-c", state.resolve("nginx.conf").toString(),
                "-e", "stderr").redirectErrorStream(true).redirectOutput(state.resolve("nginx.log").toFile()).start();
        await("nginx on " + port).atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            assertThat(nginx.isAlive()).as("nginx: %s", Files.readString(state.resolve("nginx.log"))).isTrue();
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
        front = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.destroyForcibly();
        }
    }

    @Test
    void aReaderThroughNginxSeesEveryNodesWritesAndResumesAfterANodeIsKilled() throws Exception {
        Node owner = NODES.get(0);
        String job = Api.create(owner.base(), "\"type\":\"behind-nginx\",\"status\":\"running\"");
        String cursor;
        try (SseReader first = SseReader.job(front, job, null)) {
            // round robin: these land on every node, the owner's peers forward them
            for (int i = 1; i <= 6; i++) {
                Api.progress(front, job, 10 * i);
                Api.log(front, job, "line " + i);
            }
            first.awaitEvent(e -> e.logSeq() == 6);
            first.awaitEvent(e -> e.job().path("progress").path("current").asInt() == 60);
            BetweenNodesIT.assertVersionsIncrease(first.events());
            cursor = first.lastCursor();
        }

        owner.kill();
        for (int i = 7; i <= 12; i++) {
            String line = "line " + i;
            // until the dead owner's lock is free a node answers 503 with Retry-After (nothing applied): retried,
            // as any client does
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> Api.log(front, job, line));
        }

        try (SseReader resumed = SseReader.job(front, job, cursor)) {
            resumed.awaitEvent(e -> e.logSeq() == 12);
            assertThat(resumed.events("log")).extracting(SseReader.Event::logSeq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(7, 12).boxed().toList());
            // written after the resume: a snapshot from a node that does not own the job is the stored state, up
            // to a flush interval behind the owner's progress (docs/cluster.md §14, part 3: no newest-state overlay)
            Api.progress(front, job, 120);
            resumed.awaitEvent(e -> e.job().path("progress").path("current").asInt() == 120);
            BetweenNodesIT.assertVersionsIncrease(resumed.events());
        }
    }
}
