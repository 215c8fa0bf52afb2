package dev.herald.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/**
 * A real WebSocket client (the JDK's {@link java.net.http.WebSocket}): every text message
 * is queued as JSON, pongs and the close are recorded; it reads as fast as it can.
 */
public final class WsClient implements AutoCloseable {
    /** How long a test waits for a message before it fails. */
    public static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the server closed the socket. */
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final List<Throwable> errors = new ArrayList<>();
    private WebSocket socket;

    private WsClient() {
    }

    /** Connects with the admin token in the {@code Authorization} header. */
    public static WsClient connect(TestServer server, String path) {
        return connect(server, path, TestServer.TOKEN, false);
    }

    /**
     * Connects; the token goes in the header, or in {@code ?access_token=} when {@code inQuery},
     * or nowhere when null. Fails with the handshake's exception when the upgrade is refused.
     */
    public static WsClient connect(TestServer server, String path, String token, boolean inQuery) {
        WsClient client = new WsClient();
        String p = path;
        if (token != null && inQuery) {
            p = path + (path.contains("?") ? "&" : "?") + "access_token=" + token;
        }
        URI uri = URI.create(server.baseUrl().replaceFirst("^http", "ws") + p);
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null && !inQuery) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            client.socket = b.buildAsync(uri, client.listener()).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("could not connect to " + uri, e);
        }
        return client;
    }

    /** The HTTP status and body with which an upgrade was refused. */
    public record Refusal(int status, String body) {
    }

    /** How an upgrade was refused; fails when it is accepted. */
    public static Refusal refusal(TestServer server, String path, String token, boolean inQuery) {
        try (WsClient c = connect(server, path, token, inQuery)) {
            return fail("the upgrade was accepted: " + c);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                Object body = h.getResponse().body();
                String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                        : body == null ? null : body.toString();
                return new Refusal(h.getResponse().statusCode(), text);
            }
            throw e;
        }
    }

    /** The HTTP status with which an upgrade was refused. */
    public static int refusedStatus(TestServer server, String path, String token, boolean inQuery) {
        return refusal(server, path, token, inQuery).status();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    texts.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                texts.add("{\"type\":\"<binary frame from the server>\"}");
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                ByteBuffer copy = ByteBuffer.allocate(message.remaining());
                copy.put(message).flip();
                pongs.add(copy);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                synchronized (errors) {
                    errors.add(error);
                }
                closed.complete(new Closed(-1, String.valueOf(error)));
            }
        };
    }

    public WebSocket socket() {
        return socket;
    }

    /** Sends one text message and waits until it is written. */
    public WsClient send(String text) {
        try {
            socket.sendText(text, true).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + text, e);
        }
        return this;
    }

    public void sendPing(byte[] payload) {
        try {
            socket.sendPing(ByteBuffer.wrap(payload)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send a ping", e);
        }
    }

    public void sendPong(byte[] payload) {
        try {
            socket.sendPong(ByteBuffer.wrap(payload)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send a pong", e);
        }
    }

    /** The next pong frame's payload, or null after the timeout. */
    public byte[] nextPong(Duration timeout) throws InterruptedException {
        ByteBuffer b = pongs.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The next text message, raw, or null after the timeout. */
    public String nextText(Duration timeout) {
        try {
            return texts.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next message that is not a heartbeat, or null after the timeout. */
    public JsonNode next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String t = nextText(Duration.ofNanos(Math.max(0, left)));
            if (t == null) {
                return null;
            }
            JsonNode n = tree(t);
            if (!n.path("type").asText().equals("heartbeat")) {
                return n;
            }
        }
    }

    /** The next message that is not a heartbeat, failing when none comes within the wait. */
    public JsonNode next() {
        JsonNode n = next(WAIT);
        if (n == null) {
            fail("no message within " + WAIT + " (closed: " + closed.getNow(null) + ")");
        }
        return n;
    }

    /** Messages (heartbeats left out) up to and including the first that matches; fails when it does not come. */
    public List<JsonNode> until(Predicate<JsonNode> last) {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos() * 2;
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode n = left <= 0 ? null : next(Duration.ofNanos(left));
            if (n == null) {
                fail("the awaited message did not come (closed: " + closed.getNow(null) + "); got " + out.size()
                        + " messages, the last: " + (out.isEmpty() ? null : out.get(out.size() - 1)));
            }
            out.add(n);
            if (last.test(n)) {
                return out;
            }
        }
    }

    /** The next message of that type, raw, skipping others; fails when none comes within the wait. */
    public String nextOfType(String type) {
        while (true) {
            String t = nextText(WAIT);
            if (t == null) {
                fail("no '" + type + "' message within " + WAIT + " (closed: " + closed.getNow(null) + ")");
            }
            if (tree(t).path("type").asText().equals(type)) {
                return t;
            }
        }
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    /** Messages taken so far and not yet read. */
    public List<String> drain() {
        List<String> out = new ArrayList<>();
        texts.drainTo(out);
        return out;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** How the socket was closed, or null when it is still open after the timeout. */
    public Closed awaitClosed(Duration timeout) {
        try {
            return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public Closed closedNow() {
        return closed.getNow(null);
    }

    /** Drops the connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        if (!socket.isOutputClosed() && !closed.isDone()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing anyway
            }
        }
        socket.abort();
    }

    @Override
    public String toString() {
        return "WsClient[closed=" + closed.getNow(null) + "]";
    }
}
