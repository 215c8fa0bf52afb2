package dev.herald.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/** A real WebSocket client (the JDK's): text messages queued, the close recorded. */
final class SecWs implements AutoCloseable {

    record Closed(int code, String reason) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private WebSocket socket;

    private SecWs() {
    }

    /** Connects with the token in the Authorization header; throws when the upgrade is refused. */
    static SecWs connect(TestServer s, String path, String token) {
        return connect(s, path, token, false);
    }

    static SecWs connect(TestServer s, String path, String token, boolean inQuery) {
        SecWs c = new SecWs();
        String p = path;
        if (token != null && inQuery) {
            p = path + (path.contains("?") ? "&" : "?") + "access_token=" + token;
        }
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null && !inQuery) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            c.socket = b.buildAsync(Sec.wsUri(s, p), c.listener()).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("could not connect to " + p, e);
        }
        return c;
    }

    /** The HTTP status and body with which an upgrade is refused; fails when it is accepted. */
    static Refusal refusal(TestServer s, String path, String token) {
        try (SecWs c = connect(s, path, token)) {
            return fail("the upgrade of " + path + " was accepted");
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                Object body = h.getResponse().body();
                String text = body instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                        : body == null ? null : body.toString();
                return new Refusal(h.getResponse().statusCode(), text);
            }
            throw e;
        }
    }

    record Refusal(int status, String body) {
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
                closed.complete(new Closed(-1, String.valueOf(error)));
            }
        };
    }

    SecWs send(String text) {
        try {
            socket.sendText(text, true).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + text, e);
        }
        return this;
    }

    /** The next text message that is not a heartbeat, raw, or null after the timeout. */
    String nextText(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String t = texts.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (t == null || !Sec.tree(t).path("type").asText().equals("heartbeat")) {
                    return t;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    JsonNode next() {
        String t = nextText(Sec.WAIT);
        if (t == null) {
            fail("no message within " + Sec.WAIT + " (closed: " + closed.getNow(null) + ")");
        }
        return Sec.tree(t);
    }

    /** Messages up to and including the first that matches; fails when it does not come. */
    List<JsonNode> until(Predicate<JsonNode> last) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            String t = nextText(Sec.WAIT);
            if (t == null) {
                fail("the awaited message did not come (closed: " + closed.getNow(null) + "); got " + out);
            }
            JsonNode n = Sec.tree(t);
            out.add(n);
            if (last.test(n)) {
                return out;
            }
        }
    }

    /** The raw text of the first message of this type (heartbeats left out), failing when none comes. */
    String nextOfType(String type) {
        while (true) {
            String t = nextText(Sec.WAIT);
            if (t == null) {
                fail("no '" + type + "' message within " + Sec.WAIT + " (closed: " + closed.getNow(null) + ")");
            }
            if (Sec.tree(t).path("type").asText().equals(type)) {
                return t;
            }
        }
    }

    Closed awaitClosed(Duration timeout) {
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

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (socket != null && !closed.isDone()) {
            socket.abort();
        }
    }
}
