package dev.herald.server.local;

import dev.herald.client.transport.EventQuery;
import dev.herald.client.transport.EventSink;
import dev.herald.client.transport.EventStream;
import dev.herald.core.engine.IdGenerator;
import dev.herald.core.event.StreamCursor;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import dev.herald.server.stream.ConflatingQueue;
import dev.herald.server.stream.FanOut;
import dev.herald.server.stream.StreamContext;
import dev.herald.server.stream.StreamScope;
import dev.herald.server.stream.StreamSession;
import io.vertx.core.Context;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One in-process client's event streams and long polls, subscribed to the server's fan-out directly: the same
 * {@link StreamSession} as SSE and WebSocket (replay, snapshots, order, no duplicates), delivering to the
 * client's sink on a Vert.x context instead of writing frames.
 */
public final class LocalStreams implements AutoCloseable {
    private final StreamContext shared;
    private final Set<LocalStream> open = ConcurrentHashMap.newKeySet();
    private final long keepAliveTimer;

    public LocalStreams(StreamContext shared) {
        this.shared = shared;
        // the client's watch takes a long silence for a dead stream, as over HTTP
        long period = Math.max(1, shared.keepAlive().toMillis() / 3);
        this.keepAliveTimer = shared.vertx().setPeriodic(period, t -> open.forEach(LocalStream::alive));
    }

    /** Opens a stream; a refusal, like every end, reaches the sink's {@code closed}. */
    EventStream open(EventQuery query, String cursor, EventSink sink, Principal caller) {
        Context context = shared.vertx().getOrCreateContext();
        LocalStream stream = new LocalStream(context, sink, open::remove);
        StreamScope scope;
        StreamCursor from;
        try {
            scope = scope(query);
            from = cursor == null ? null : StreamCursor.decode(cursor).orElseThrow(() ->
                    Http.invalid("Last-Event-ID", "Last-Event-ID is not an event id of this server"));
        } catch (HeraldException e) {
            stream.end(e);
            return stream;
        }
        StreamSession session = new StreamSession(shared.engine(), shared.fanOut(), context, stream,
                new ConflatingQueue.Budget(shared.maxQueued()), new StreamSession.Request(scope, from, query.types()));
        stream.attach(session);
        open.add(stream);
        scope.authorize(shared.access(), caller).thenCompose(v -> session.open())
                .whenComplete((first, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        stream.end(ApiErrors.refusal(error));
                    } else {
                        stream.begin(first);
                    }
                }));
        return stream;
    }

    /** What {@code GET /events} or {@code /jobs/{id}/events} would stream for the query. */
    private StreamScope scope(EventQuery q) {
        if (q.project() != null) {
            QueryParams params = QueryParams.of(Map.of("project", q.project()));
            return new StreamScope.Project(params.text("project", shared.limits().maxNameChars()));
        }
        if (q.descendants()) {
            String root = q.jobs().get(0);
            if (!IdGenerator.looksLikeJobId(root)) {
                throw HeraldException.notFound();
            }
            return new StreamScope.Subtree(root);
        }
        return StreamScope.Jobs.of(q.jobs(), shared.limits());
    }

    /** Completes once the job's version is above {@code after}, or after the timeout; fails with {@code not_found}. */
    CompletableFuture<Void> awaitChange(String id, long after, long timeoutMs) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        FanOut.Registration registration = shared.fanOut().register(List.of(id), e -> {
            if (e.event().version() > after) {
                changed.complete(null);
            }
        });
        shared.engine().get(id).whenComplete((job, error) -> {
            if (error != null) {
                changed.completeExceptionally(error);
            } else if (job.version() > after) {
                changed.complete(null);
            }
        });
        return changed.completeOnTimeout(null, Math.max(1, timeoutMs), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> registration.close());
    }

    /** Ends every stream; the server goes on. */
    @Override
    public void close() {
        shared.vertx().cancelTimer(keepAliveTimer);
        open.forEach(LocalStream::close);
    }
}
