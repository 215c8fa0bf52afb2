package dev.herald.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.JsonBody;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One client's WebSocket (API §4): the protocol around its {@link WebSocketSubscriptions}: message size and
 * rate limits, parsing, answers, heartbeats and closing. Everything but
 * {@link #idleFor} and {@link #heartbeat} runs on the socket's context.
 */
final class WebSocketConnection {
    /** The largest burst of messages a client may send; it refills at {@link #MESSAGES_PER_SECOND}. */
    private static final double BURST = 100;
    private static final double MESSAGES_PER_SECOND = 50;
    private static final short MESSAGE_TOO_BIG = 1009;
    private static final short POLICY_VIOLATION = 1008;
    private static final short INVALID_PAYLOAD = 1007;
    private static final short GOING_AWAY = 1001;

    private final ServerWebSocket socket;
    private final Context context;
    private final WebSocketTransport transport;
    private final WebSocketSubscriptions subscriptions;
    private final JsonBody parser;
    private final Clock clock;
    private final int maxMessageBytes;
    /** The message being received, frame by frame; {@code binary} tells its kind. */
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private boolean binary;
    /** Silence and the message rate are real time ({@link System#nanoTime}); only heartbeats tell the clock's time. */
    private volatile long lastHeardNanos = System.nanoTime();
    private double tokens = BURST;
    private long tokensAt = System.nanoTime();
    /** Set as the server closes (or sees the close): nothing is sent after the Close frame, heartbeats included. */
    private boolean closed;

    WebSocketConnection(ServerWebSocket socket, Context context, StreamContext shared, Principal caller) {
        this.socket = socket;
        this.context = context;
        this.parser = new JsonBody(shared.limits());
        this.clock = shared.clock();
        this.maxMessageBytes = shared.limits().maxBodyBytes();
        this.transport = new WebSocketTransport(socket, shared.metrics()::wsEventDelivered);
        this.subscriptions = new WebSocketSubscriptions(shared, context, transport, caller, () -> closed);
    }

    /** Wires the socket; {@code firstJob} is subscribed at once (for {@code /jobs/{id}/ws}), or null. */
    void start(String firstJob, Runnable onClose) {
        // messages are put together here rather than by Vert.x, which neither checks UTF-8 nor measures a message
        // before it is whole
        socket.frameHandler(this::onFrame);
        // a dropped connection is ordinary: nothing to log
        socket.exceptionHandler(this::onTransportError);
        socket.closeHandler(v -> {
            closed = true;
            subscriptions.closeAll();
            onClose.run();
        });
        if (firstJob != null) {
            subscriptions.subscribe(new ClientMessage.Subscribe(List.of(firstJob), Map.of(), null, false), null);
        }
    }

    /**
     * Every frame counts as a sign of life. A message is measured frame by frame, as it is put together; once whole,
     * text must be UTF-8 (RFC 6455 §8.1: else the connection fails with 1007) and binary is refused.
     */
    private void onFrame(WebSocketFrame frame) {
        lastHeardNanos = System.nanoTime();
        if (closed || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
            return;
        }
        if (!frame.isContinuation()) {
            message.reset();
            binary = frame.isBinary();
        }
        byte[] data = frame.binaryData().getBytes();
        if (message.size() + data.length > maxMessageBytes) {
            tooBig();
            return;
        }
        message.writeBytes(data);
        if (!frame.isFinal()) {
            return;
        }
        byte[] whole = message.toByteArray();
        message.reset();
        if (binary) {
            error("invalid_message", "send JSON text frames, not binary", null);
        } else if (!isUtf8(whole)) {
            close(INVALID_PAYLOAD, "a text message must be UTF-8");
        } else {
            onMessage(whole);
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * A frame announced beyond the transport's bound (HttpServerOptions.setMaxWebSocketFrameSize) is refused by
     * Netty from its head, before any of its payload is read, and Vert.x closes the channel right after telling
     * us: the close frame goes out first when nothing else was read with that head (Vert.x holds back writes
     * made during a read until the read ends, and a close drops them).
     */
    private void onTransportError(Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException c) {
            if (c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
                tooBig();
            } else {
                // a protocol error Netty found in a frame's head, such as RSV bits with no extension agreed: 1002
                close((short) c.closeStatus().code(), c.closeStatus().reasonText());
            }
        }
    }

    /** Closes with 1009; nothing else is said. */
    private void tooBig() {
        close(MESSAGE_TOO_BIG, "a message may hold at most " + maxMessageBytes + " bytes");
    }

    /** The server's close, once: from here on nothing is sent, heartbeats included. */
    private void close(short code, String reason) {
        if (!closed) {
            closed = true;
            socket.close(code, reason);
        }
    }

    private void onMessage(byte[] bytes) {
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
                subscriptions.subscribe(s, ref);
            } else if (message instanceof ClientMessage.Unsubscribe u) {
                subscriptions.unsubscribe(u);
            } else if (message instanceof ClientMessage.Ping p) {
                transport.send(ServerMessages.pong(p.id()));
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

    private void error(String code, String message, JsonNode ref) {
        transport.send(ServerMessages.error(code, message, ref));
    }

    /** Sends a heartbeat; called from the server's sweep, on any thread. */
    void heartbeat() {
        context.runOnContext(v -> {
            if (!closed) {
                transport.send(ServerMessages.heartbeat(clock.instant()));
            }
        });
    }

    /** Ends the connection because its credential expired or was revoked; callable from any thread. */
    void endForCredential(String reason) {
        context.runOnContext(v -> {
            if (!closed) {
                error("unauthorized", reason, null);
                close(POLICY_VIOLATION, reason);
            }
        });
    }

    long idleFor(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    /** Closes a connection from which nothing came for too long. */
    void closeIdle() {
        context.runOnContext(v -> close(GOING_AWAY, "nothing received for too long"));
    }
}
