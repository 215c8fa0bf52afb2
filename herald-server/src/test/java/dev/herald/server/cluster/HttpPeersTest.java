package dev.herald.server.cluster;

import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Peers;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpPeersTest {
    @Test
    void aPeerThatTakesTheConnectionButNeverAnswersTheHandshakeIsUnreachable() throws Exception {
        Vertx vertx = Vertx.vertx();
        // a paused (SIGSTOPped) node: its kernel accepts the connection, nothing reads it
        try (ServerSocket frozen = new ServerSocket(0); HttpPeers peers = new HttpPeers(vertx, "a-secret-of-16-chars")) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return frozen.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<Void> answer = peers.forward("127.0.0.1:" + frozen.getLocalPort(),
                    new Forward.Heartbeat("j_1"), null);

            Throwable failure = catchThrowable(() -> answer.get(30, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(Peers.Unreachable.class);
            assertThat(peers.failed()).isEqualTo(1);
            accepted.get().close();
        } finally {
            vertx.close().await();
        }
    }
}
