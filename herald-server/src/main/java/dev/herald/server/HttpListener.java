package dev.herald.server;

import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/** How Herald's HTTP servers listen, and why each setting departs from Vert.x's default. */
final class HttpListener {
    private HttpListener() {
    }

    static HttpServerOptions options(ServerOptions options) {
        return new HttpServerOptions()
                .setHost(options.host())
                // Vert.x shares one random port among the servers that ask for the same negative port
                .setPort(options.port() == 0 ? -1 : options.port())
                .setCompressionSupported(false)
                // every response is written on its connection's event loop (Http.answer, StreamSession hop there), so
                // a connection needs no queue for writes from other threads: Vert.x's is a 1 024-slot array, 4.6 KiB
                // of heap on each connection, the largest part of an idle stream (BENCHMARKS.md, Memory)
                .setStrictThreadMode(true)
                // HTTP/1.1 only: with h2c, Vert.x announces a connection only once its first request head is in,
                // too late for the header deadline. (HTTP/2 belongs to the TLS proxy in front, as browsers need.)
                .setHttp2ClearTextEnabled(false)
                // a stream of 1 000 job ids is a long request line
                .setMaxInitialLineLength(64 * 1024)
                // client messages are refused above maxBodyBytes with close code 1009 by the connection itself;
                // a frame beyond these outer bounds is refused from its head, its payload never read (also 1009,
                // see WebSocketConnection), and a message beyond them is never put together
                .setMaxWebSocketFrameSize(16 * options.limits().maxBodyBytes())
                .setMaxWebSocketMessageSize(16 * options.limits().maxBodyBytes())
                // no WebSocket extension: Netty allows RSV bits whenever compression is merely supported, negotiated
                // or not, so a frame with them would pass instead of failing the connection (RFC 6455 §5.2)
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setIdleTimeout((int) options.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
}
