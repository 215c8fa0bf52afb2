package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** An SSE reader of the parent on its own Vert.x: counts its children events and tells when a summary shows. */
final class ChildrenSummaryReader {
    private record Watch(Predicate<JsonNode> summary, CompletableFuture<long[]> seen) {
    }

    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final AtomicLong childrenEvents = new AtomicLong();
    private HttpClient client;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private volatile JsonNode latest;

    /** Completes with {nanoTime when seen, children events so far} once a summary passes the test. */
    CompletableFuture<long[]> await(Predicate<JsonNode> summary) {
        Watch w = new Watch(summary, new CompletableFuture<>());
        watches.add(w);
        JsonNode now = latest;
        if (now != null && summary.test(now)) {
            w.seen().complete(new long[] {System.nanoTime(), childrenEvents.get()});
            watches.remove(w);
        }
        return w.seen();
    }

    private void onEvent(String type, String data) {
        long now = System.nanoTime();
        if (type.equals("children")) {
            childrenEvents.incrementAndGet();
        }
        JsonNode children;
        try {
            children = Target.JSON.readTree(data).path("job").path("children");
        } catch (Exception e) {
            throw new IllegalStateException("an SSE data line is not JSON: " + data, e);
        }
        if (type.equals("snapshot")) {
            ready.complete(null);
        }
        if (!children.isObject()) {
            return;
        }
        latest = children;
        for (Watch w : watches) {
            if (w.summary().test(children)) {
                w.seen().complete(new long[] {now, childrenEvents.get()});
                watches.remove(w);
            }
        }
    }

    /** Ends the stream at once: a graceful shutdown would wait for the endless response. */
    void close() throws Exception {
        client.shutdown(0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    static ChildrenSummaryReader open(Target t, Vertx readerVertx, String job) {
        ChildrenSummaryReader r = new ChildrenSummaryReader();
        HttpClient client = readerVertx.createHttpClient();
        r.client = client;
        SseLines sse = new SseLines(r::onEvent);
        RequestOptions get = t.request(HttpMethod.GET, "/api/v1/jobs/" + job + "/events")
                .putHeader("Accept", "text/event-stream");
        // on the reader's event loop, so the handlers are set before any of the stream can arrive
        readerVertx.getOrCreateContext().runOnContext(v -> client.request(get)
                .compose(req -> req.send().onSuccess(resp -> {
                    if (resp.statusCode() != 200) {
                        r.ready.completeExceptionally(new IllegalStateException("SSE: HTTP " + resp.statusCode()));
                        return;
                    }
                    resp.handler(sse::feed);
                    resp.endHandler(end -> System.out.println("SSE stream ended by the server"));
                }))
                .onFailure(r.ready::completeExceptionally));
        return r;
    }
}
