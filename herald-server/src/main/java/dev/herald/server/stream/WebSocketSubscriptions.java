package dev.herald.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.auth.Principal;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The jobs one WebSocket is subscribed to: one {@link StreamSession} per job on the shared fan-out path,
 * all drawing on one backlog budget, so subscribing to more jobs does not raise the connection's allowance.
 * Runs on the socket's context.
 */
final class WebSocketSubscriptions {
    private final StreamContext shared;
    private final Context context;
    private final WebSocketTransport transport;
    private final Principal caller;
    private final BooleanSupplier closed;
    /** One allowance of waiting status/log events for the whole connection, as for one SSE stream. */
    private final ConflatingQueue.Budget backlog;
    private final Map<String, StreamSession> sessions = new HashMap<>();

    /** {@code closed}: whether the connection is closing, after which nothing more is said. */
    WebSocketSubscriptions(StreamContext shared, Context context, WebSocketTransport transport, Principal caller,
                           BooleanSupplier closed) {
        this.shared = shared;
        this.context = context;
        this.transport = transport;
        this.caller = caller;
        this.closed = closed;
        this.backlog = new ConflatingQueue.Budget(shared.maxQueued());
    }

    /**
     * Opens a session per job; one already subscribed is replaced: its session ends at once and the new
     * one answers like a first subscribe, with the new options (a client that must miss nothing in
     * between passes {@code since}). {@code ref} is the client's message, echoed in errors.
     */
    void subscribe(ClientMessage.Subscribe s, JsonNode ref) {
        int max = shared.limits().maxSubscriptions();
        long added = s.jobs().stream().filter(id -> !sessions.containsKey(id)).count();
        if (sessions.size() + added > max) {
            transport.send(ServerMessages.error("too_many_subscriptions", "at most " + max
                    + " subscriptions per connection; this one holds " + sessions.size(), ref));
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
            StreamSession session = new StreamSession(shared.engine(), shared.fanOut(), context, transport, backlog,
                    new StreamSession.Request(scope, null, since, s.types()));
            StreamSession replaced = sessions.put(id, session);
            if (replaced != null) {
                replaced.close();
            }
            opening.put(id, session);
            opened.add(scope.authorize(shared.access(), caller).thenCompose(v -> session.open()));
        }
        CompletableFuture.allOf(opened.stream().map(f -> f.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> context.runOnContext(x -> answer(opening, opened, unknown, ref)));
    }

    /** Once every session has opened or failed: says which jobs are subscribed, then lets their events flow. */
    private void answer(Map<String, StreamSession> opening, List<CompletableFuture<List<EncodedEvent>>> opened,
                        List<String> unknown, JsonNode ref) {
        List<String> subscribed = new ArrayList<>();
        List<Runnable> begins = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, StreamSession> entry : opening.entrySet()) {
            CompletableFuture<List<EncodedEvent>> f = opened.get(i++);
            if (f.isCompletedExceptionally() || closed.getAsBoolean()
                    || sessions.get(entry.getKey()) != entry.getValue()) {
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
        if (closed.getAsBoolean()) {
            return;
        }
        if (!unknown.isEmpty()) {
            transport.send(ServerMessages.error("not_found",
                    "no such job (or not readable): " + String.join(", ", unknown), ref));
        }
        if (!subscribed.isEmpty() || unknown.isEmpty()) {
            transport.send(ServerMessages.subscribed(subscribed));
        }
        begins.forEach(Runnable::run);
    }

    void unsubscribe(ClientMessage.Unsubscribe u) {
        List<String> removed = new ArrayList<>();
        for (String id : u.jobs()) {
            StreamSession session = sessions.remove(id);
            if (session != null) {
                session.close();
                removed.add(id);
            }
        }
        transport.send(ServerMessages.unsubscribed(removed));
    }

    void closeAll() {
        sessions.values().forEach(StreamSession::close);
        sessions.clear();
    }
}
