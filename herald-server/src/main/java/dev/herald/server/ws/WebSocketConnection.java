package dev.herald.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.model.HeraldException;
import dev.herald.json.JsonText;
import dev.herald.json.Times;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.Principal;
import dev.herald.server.http.JsonBody;
import dev.herald.server.http.Limits;
import dev.herald.server.stream.ConflatingQueue;
import dev.herald.server.stream.EncodedEvent;
import dev.herald.server.stream.FanOut;
import dev.herald.server.stream.StreamScope;
import dev.herald.server.stream.StreamSession;
import dev.herald.server.stream.WebSocketTransport;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One client's WebSocket (API §4): its subscriptions, one {@link StreamSession} per
 * job on the shared fan-out path, all drawing on one backlog budget, and the
 * protocol around them. Everything but
 * {@link #idleFor} and {@link #heartbeat} runs on the socket's context.
 */
final class WebSocketConnection {
    /** The largest burst of messages a client may send; it refills at {@link #MESSAGES_PER_SECOND}. */
    private static final double BURST = 100;
    private static final double MESSAGES_PER_SECOND = 50;
    private static final short MESSAGE_TOO_BIG = 1009;
    private static final short POLICY_VIOLATION = 1008;

    private final ServerWebSocket socket;
    private final Context context;
    private final JobEngine engine;
    private final FanOut fanOut;
    private final WebSocketTransport transport;
    private final int maxSubscriptions;
    /** One allowance of waiting status/log events for the whole connection, as for one SSE stream. */
    private final ConflatingQueue.Budget backlog;
    private final JsonBody parser;
    private final Access access;
    private final Principal caller;
    private final int maxMessageBytes;
    private long messageBytes;
    private final Map<String, StreamSession> sessions = new HashMap<>();
    private volatile long lastHeardNanos = System.nanoTime();
    private double tokens = BURST;
    private long tokensAt = System.nanoTime();
    private boolean closed;

    WebSocketConnection(ServerWebSocket socket, Context context, JobEngine engine, Access access, Principal caller,
                        FanOut fanOut, Limits limits, int maxQueued, Runnable onEvent) {
        this.access = access;
        this.caller = caller;
        this.socket = socket;
        this.context = context;
        this.engine = engine;
        this.fanOut = fanOut;
        this.maxSubscriptions = limits.maxSubscriptions();
        this.backlog = new ConflatingQueue.Budget(maxQueued);
        this.parser = new JsonBody(limits);
        this.maxMessageBytes = limits.maxBodyBytes();
        this.transport = new WebSocketTransport(socket, onEvent);
    }

    /** Wires the socket; {@code firstJob} is subscribed at once (for {@code /jobs/{id}/ws}), or null. */
    void start(String firstJob, Runnable onClose) {
        socket.frameHandler(this::onFrame);
        socket.textMessageHandler(this::onMessage);
        socket.binaryMessageHandler(b -> {
            if (accept(b.length())) {
                error("invalid_message", "send JSON text frames, not binary", null);
            }
        });
        // a dropped connection is ordinary: nothing to log
        socket.exceptionHandler(this::onTransportError);
        socket.closeHandler(v -> {
            closed = true;
            sessions.values().forEach(StreamSession::close);
            sessions.clear();
            onClose.run();
        });
        if (firstJob != null) {
            subscribe(new ClientMessage.Subscribe(List.of(firstJob), Map.of(), null, false), null);
        }
    }

    /** Every frame counts as a sign of life; a message is measured frame by frame, before it is put together. */
    private void onFrame(WebSocketFrame frame) {
        lastHeardNanos = System.nanoTime();
        if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
            messageBytes = (frame.isContinuation() ? messageBytes : 0) + frame.binaryData().length();
            if (messageBytes > maxMessageBytes) {
                tooBig();
            }
        }
    }

    /**
     * A frame announced beyond the transport's bound (HttpServerOptions.setMaxWebSocketFrameSize) is refused by
     * Netty from its head, before any of its payload is read, and Vert.x closes the channel right after telling
     * us: the close frame goes out first when nothing else was read with that head (Vert.x holds back writes
     * made during a read until the read ends, and a close drops them).
     */
    private void onTransportError(Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException c
                && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            tooBig();
        }
    }

    /** Closes with 1009, once; nothing else is said. */
    private void tooBig() {
        if (!closed) {
            closed = true;
            socket.close(MESSAGE_TOO_BIG, "a message may hold at most " + maxMessageBytes + " bytes");
        }
    }

    /**
     * Whether a whole message is to be answered: not once the connection is closing, nor over the limit,
     * which closes it with 1009 (a message reaches its handler before its last frame reaches onFrame).
     */
    private boolean accept(int bytes) {
        if (bytes > maxMessageBytes) {
            tooBig();
        }
        return !closed;
    }

    private void onMessage(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!accept(bytes.length)) {
            return;
        }
        // every message takes a token, malformed ones too, so a flood of garbage is limited like any other
        boolean allowed = takeToken();
        String limited = "too many messages: at most " + (int) MESSAGES_PER_SECOND + " a second";
        JsonNode ref;
        try {
            ref = parser.parse(bytes, false);
        } catch (HeraldException e) {
            error(allowed ? "invalid_message" : "rate_limited", allowed ? e.getMessage() : limited, null);
            return;
        }
        if (!allowed) {
            error("rate_limited", limited, ref);
            return;
        }
        try {
            ClientMessage message = ClientMessage.read(ref);
            if (message instanceof ClientMessage.Subscribe s) {
                subscribe(s, ref);
            } else if (message instanceof ClientMessage.Unsubscribe u) {
                unsubscribe(u);
            } else if (message instanceof ClientMessage.Ping p) {
                transport.send(JsonText.object(g -> {
                    g.writeStringField("type", "pong");
                    g.writeFieldName("id");
                    g.writeTree(p.id());
                }));
            }
        } catch (ClientMessage.Invalid e) {
            error("invalid_message", e.getMessage(), ref);
        }
    }

    private boolean takeToken() {
        long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (now - tokensAt) / 1e9 * MESSAGES_PER_SECOND);
        tokensAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    /**
     * Opens a session per job; one already subscribed is replaced: its session ends at once and the new
     * one answers like a first subscribe, with the new options (a client that must miss nothing in
     * between passes {@code since}).
     */
    private void subscribe(ClientMessage.Subscribe s, JsonNode ref) {
        long added = s.jobs().stream().filter(id -> !sessions.containsKey(id)).count();
        if (sessions.size() + added > maxSubscriptions) {
            error("too_many_subscriptions", "at most " + maxSubscriptions + " subscriptions per connection; "
                    + "this one holds " + sessions.size(), ref);
            return;
        }
        List<String> unknown = new ArrayList<>();
        Map<String, StreamSession> opening = new LinkedHashMap<>();
        List<CompletableFuture<List<EncodedEvent>>> opened = new ArrayList<>();
        for (String id : s.jobs()) {
            if (!ClientMessage.isJobId(id)) {
                unknown.add(id);
                continue;
            }
            StreamScope scope = s.descendants() ? new StreamScope.Subtree(id) : new StreamScope.Jobs(List.of(id));
            // a subtree replays the versions the client names for any job in it; a single job only its own
            Map<String, Long> since = s.descendants() ? s.since()
                    : s.since().containsKey(id) ? Map.of(id, s.since().get(id)) : Map.of();
            StreamSession session = new StreamSession(engine, fanOut, context, transport, backlog,
                    new StreamSession.Request(scope, null, since, s.types()));
            StreamSession replaced = sessions.put(id, session);
            if (replaced != null) {
                replaced.close();
            }
            opening.put(id, session);
            opened.add(scope.authorize(access, caller).thenCompose(v -> session.open()));
        }
        CompletableFuture.allOf(opened.stream().map(f -> f.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).whenComplete((v, e) -> context.runOnContext(x -> {
                    List<String> subscribed = new ArrayList<>();
                    List<Runnable> begins = new ArrayList<>();
                    int i = 0;
                    for (Map.Entry<String, StreamSession> entry : opening.entrySet()) {
                        CompletableFuture<List<EncodedEvent>> f = opened.get(i++);
                        if (f.isCompletedExceptionally() || closed || sessions.get(entry.getKey()) != entry.getValue()) {
                            entry.getValue().close();
                            sessions.remove(entry.getKey(), entry.getValue());
                            if (f.isCompletedExceptionally()) {
                                unknown.add(entry.getKey());
                            }
                            continue;
                        }
                        subscribed.add(entry.getKey());
                        List<EncodedEvent> first = f.join();
                        begins.add(() -> entry.getValue().begin(first));
                    }
                    if (closed) {
                        return;
                    }
                    if (!unknown.isEmpty()) {
                        error("not_found", "no such job (or not readable): " + String.join(", ", unknown), ref);
                    }
                    if (!subscribed.isEmpty() || unknown.isEmpty()) {
                        transport.send(JsonText.object(g -> {
                            g.writeStringField("type", "subscribed");
                            g.writeArrayFieldStart("jobs");
                            for (String id : subscribed) {
                                g.writeString(id);
                            }
                            g.writeEndArray();
                        }));
                    }
                    begins.forEach(Runnable::run);
                }));
    }

    private void unsubscribe(ClientMessage.Unsubscribe u) {
        List<String> removed = new ArrayList<>();
        for (String id : u.jobs()) {
            StreamSession session = sessions.remove(id);
            if (session != null) {
                session.close();
                removed.add(id);
            }
        }
        transport.send(JsonText.object(g -> {
            g.writeStringField("type", "unsubscribed");
            g.writeArrayFieldStart("jobs");
            for (String id : removed) {
                g.writeString(id);
            }
            g.writeEndArray();
        }));
    }

    private void error(String code, String message, JsonNode ref) {
        transport.send(JsonText.object(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeFieldName("ref");
            if (ref == null) {
                g.writeNull();
            } else {
                g.writeTree(ref);
            }
        }));
    }

    /** Sends a heartbeat; called from the server's sweep, on any thread. */
    void heartbeat() {
        context.runOnContext(v -> {
            if (!closed) {
                transport.send(JsonText.object(g -> {
                    g.writeStringField("type", "heartbeat");
                    g.writeStringField("time", Times.format(Instant.now()));
                }));
            }
        });
    }

    /** Ends the connection because its credential expired or was revoked; callable from any thread. */
    void endForCredential(String reason) {
        context.runOnContext(v -> {
            if (!closed) {
                error("unauthorized", reason, null);
                socket.close(POLICY_VIOLATION, reason);
            }
        });
    }

    long idleFor(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    /** Closes a connection from which nothing came for too long. */
    void closeIdle() {
        context.runOnContext(v -> {
            if (!socket.isClosed()) {
                socket.close((short) 1001, "nothing received for too long");
            }
        });
    }

    int subscriptions() {
        return sessions.size();
    }
}
