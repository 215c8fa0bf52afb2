package dev.herald.server.stream;

import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * The streams of one WebSocket, one per subscribed job, sharing the socket: each
 * event is one text frame holding the same JSON as an SSE event's data (API §4).
 * Called on the socket's context only.
 */
public final class WebSocketTransport implements StreamTransport {
    /** 1013 "try again later": the reader fell too far behind and should subscribe again with {@code since}. */
    public static final short TOO_FAR_BEHIND = 1013;

    private final ServerWebSocket socket;
    private final Runnable onEvent;
    private final List<Runnable> waiting = new ArrayList<>();

    public WebSocketTransport(ServerWebSocket socket, Runnable onEvent) {
        this.socket = socket;
        this.onEvent = onEvent;
        socket.drainHandler(v -> resumeAll());
    }

    @Override
    public void write(EncodedEvent event) {
        if (!socket.isClosed()) {
            socket.writeTextMessage(event.json());
            onEvent.run();
        }
    }

    /** A frame of the protocol itself (subscribed, pong, error, heartbeat). */
    public void send(String json) {
        if (!socket.isClosed()) {
            socket.writeTextMessage(json);
        }
    }

    @Override
    public boolean writeQueueFull() {
        // a closed socket throws rather than answer; a stream still draining into it just stops
        return !socket.isClosed() && socket.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable resume) {
        waiting.add(resume);
    }

    private void resumeAll() {
        List<Runnable> ready = new ArrayList<>(waiting);
        waiting.clear();
        ready.forEach(Runnable::run);
    }

    @Override
    public void overflow() {
        if (!socket.isClosed()) {
            socket.close(TOO_FAR_BEHIND, "too far behind: subscribe again with since");
        }
    }
}
