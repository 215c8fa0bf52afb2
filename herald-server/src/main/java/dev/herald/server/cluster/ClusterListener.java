package dev.herald.server.cluster;

import dev.herald.core.cluster.Moved;
import dev.herald.core.cluster.Peers;
import dev.herald.core.command.NewJob;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.engine.LeasedWrites;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.json.EventJson;
import dev.herald.json.JobJson;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.Limits;
import dev.herald.server.rest.ClaimBodies;
import dev.herald.server.rest.JobBodies;
import dev.herald.server.rest.ProgressBodies;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Where other nodes send the commands on trees this node owns (docs/cluster.md §2.5): the public write routes, and
 * {@code expire} (retention's deletion, §6), and {@code newest} (the states this node holds of its trees' jobs, read by
 * nodes answering a read of them), and {@code progress:batch} (forwarded progress, several updates at once,
 * {@link ForwardedProgress}), under {@code /cluster/v1/}, HTTP/2 cleartext (or HTTP/1.1), only for callers showing
 * the cluster's secret. The sending node authenticated and authorized the original caller; this node runs the
 * command here, never forwarding it again, and answers {@link PeerWire#MOVED} when the tree is not its own.
 */
final class ClusterListener implements AutoCloseable {
    /** Jobs one read of newest states names at most: a subtree stream's snapshot names its whole tree. */
    private static final int NEWEST = 100_000;
    private final Vertx vertx;
    private final BodyReader bodies;
    private final Limits limits;
    private final int maxBodyBytes;
    /** A batch of forwarded progress: as many bodies as it has updates, each as large as one. */
    private final int maxBatchBytes;
    private final LongAdder received = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile byte[] authorization;
    private volatile JobEngine engine;
    private HttpServer server;

    ClusterListener(Vertx vertx, Limits limits) {
        this.vertx = vertx;
        this.bodies = new BodyReader(limits);
        this.limits = limits;
        this.maxBodyBytes = 2 * Math.max(limits.maxBodyBytes(), limits.completeBodyBytes());
        this.maxBatchBytes = (int) Math.min(Integer.MAX_VALUE, 2L * limits.maxBodyBytes() * Peers.PROGRESS_BATCH);
    }

    /** Starts listening; answers the port. Until {@link #serve} every command is refused as not this node's. */
    CompletableFuture<Integer> listen(String host, int port) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(true).setTcpNoDelay(true)).requestHandler(this::handle);
        return server.listen().map(HttpServer::actualPort).toCompletionStage().toCompletableFuture();
    }

    void trust(String secret) {
        authorization = ("Bearer " + secret).getBytes(StandardCharsets.UTF_8);
    }

    void serve(JobEngine served) {
        engine = served;
    }

    private void handle(HttpServerRequest request) {
        String shown = request.getHeader("Authorization");
        byte[] expected = authorization;
        if (expected == null || shown == null
                || !MessageDigest.isEqual(expected, shown.getBytes(StandardCharsets.UTF_8))) {
            refused.increment();
            refuse(request, new HeraldException(ErrorCode.UNAUTHORIZED,
                    "this is a Herald cluster listener: only nodes of the cluster may call it"));
            return;
        }
        if (request.method() != HttpMethod.POST) {
            refuse(request, new HeraldException(ErrorCode.METHOD_NOT_ALLOWED, "forwarded commands are POSTs"));
            return;
        }
        boolean batch = request.path().equals(ProgressBatchWire.PATH);
        if (!batch && !request.path().endsWith("/newest")) {
            // a batch counts its updates, once read
            received.increment();
        }
        Context context = Vertx.currentContext();
        // a peer forwards bodies the public routes took, re-encoded: more than twice their limit is no such body,
        // and what is past the cap is dropped as it comes, not gathered
        Buffer body = Buffer.buffer();
        int cap = batch ? maxBatchBytes : maxBodyBytes;
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            tooLarge[0] |= body.length() + chunk.length() > cap;
            if (!tooLarge[0]) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            try {
                JobEngine served = engine;
                if (tooLarge[0]) {
                    throw new HeraldException(ErrorCode.TOO_LARGE, "a forwarded body is at most " + cap + " bytes");
                }
                if (served == null) {
                    // starting: no tree is this node's yet
                    throw Moved.fenced();
                }
                run(request, served, body.toString(StandardCharsets.UTF_8), context);
            } catch (RuntimeException e) {
                refuse(request, e);
            }
        });
    }

    private void run(HttpServerRequest request, JobEngine served, String body, Context context) {
        String path = request.path();
        if (path.equals(ProgressBatchWire.PATH)) {
            List<ProgressBatchWire.Entry> entries = ProgressBatchWire.entries(body, Peers.PROGRESS_BATCH, limits);
            received.add(entries.size());
            answer(request, context, ForwardedProgress.apply(served, entries), v -> 200, ProgressBatchWire::answer);
            return;
        }
        LeasedWrites writes = served.leased(request.getHeader("Lease-Token")).here();
        if (path.equals(PeerWire.PREFIX)) {
            NewJob cmd = bodies.read(body, JobBodies.CREATE)
                    .by(request.getHeader(PeerWire.OWNER), request.getHeader("Idempotency-Key"));
            if (cmd.parentId() == null) {
                throw new HeraldException(ErrorCode.NOT_FOUND, "only children are created through a peer");
            }
            answer(request, context, writes.create(cmd), c -> c.isNew() ? 201 : 200, c -> JobJson.toJson(c.job()));
            return;
        }
        String[] parts = path.startsWith(PeerWire.PREFIX + "/")
                ? path.substring(PeerWire.PREFIX.length() + 1).split("/", -1) : new String[0];
        if (parts.length != 2) {
            throw new HeraldException(ErrorCode.NOT_FOUND, "no such cluster route");
        }
        String id = parts[0];
        switch (parts[1]) {
            case "progress" -> answer(request, context, writes.progress(id, bodies.read(body, ProgressBodies.PROGRESS)),
                    v -> 202, v -> "{\"version\":" + v + "}");
            case "logs" -> answer(request, context, writes.log(id, bodies.read(body, ProgressBodies.LOG)),
                    l -> 202, EventJson::logToJson);
            case "heartbeat" -> {
                bodies.read(body, JobBodies.EMPTY);
                answer(request, context, writes.heartbeat(id), v -> 204, v -> "");
            }
            case "expire" -> {
                bodies.read(body, JobBodies.EMPTY);
                // retention's deletion of a finished job, sent by the retention duty's holder: whether it was due here
                answer(request, context, writes.expire(id), v -> 200, deleted -> "{\"deleted\":" + deleted + "}");
            }
            case "newest" -> {
                // a read: what memory holds, never the store (the asking node read that), so it costs no I/O
                StringBuilder held = new StringBuilder("[");
                for (String job : PeerWire.newest(body, NEWEST)) {
                    served.cached(job).ifPresent(j ->
                            held.append(held.length() > 1 ? "," : "").append(JobJson.toJson(j)));
                }
                answer(request, context, CompletableFuture.completedFuture(held.append(']').toString()), s -> 200,
                        s -> s);
            }
            case "complete" -> job(request, context,
                    writes.complete(id, bodies.read(body, JobBodies.COMPLETE).result()));
            case "claim" -> answer(request, context, writes.take(id, PeerWire.claim(body, bodies)),
                    taken -> taken.isPresent() ? 200 : 204, taken -> taken.map(JobJson::toClaimedJson).orElse(""));
            case "fail" -> job(request, context, writes.fail(id, bodies.read(body, JobBodies.FAIL)));
            case "retry" -> {
                Long delayMs = bodies.read(body, ClaimBodies.RETRY);
                job(request, context, writes.retry(id, delayMs == null ? 0 : delayMs));
            }
            default -> {
                bodies.read(body, JobBodies.EMPTY);
                job(request, context, parts[1].equals("start") ? writes.start(id)
                        : parts[1].equals("cancel") ? writes.cancel(id)
                        : parts[1].equals("release") ? writes.release(id)
                        : CompletableFuture.failedFuture(new HeraldException(ErrorCode.NOT_FOUND, "no such route")));
            }
        }
    }

    private void job(HttpServerRequest request, Context context, CompletableFuture<Job> job) {
        // in full: the sending node answers its caller with the public form, which may leave a large result out
        answer(request, context, job, j -> 200, JobJson::toJson);
    }

    private <T> void answer(HttpServerRequest request, Context context, CompletableFuture<T> answer,
                            Function<T, Integer> status, Function<T, String> body) {
        answer.whenComplete((value, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                refuse(request, failure);
                return;
            }
            request.response().setStatusCode(status.apply(value)).putHeader("Content-Type", "application/json")
                    .end(body.apply(value));
        }));
    }

    private static void refuse(HttpServerRequest request, Throwable failure) {
        HeraldException refusal = ApiErrors.refusal(failure);
        if (refusal instanceof Moved) {
            request.response().putHeader(PeerWire.MOVED, "1");
        }
        ApiErrors.send(request.response(), refusal);
    }

    /** Commands received from other nodes, and requests refused for want of the cluster's secret. */
    long received() {
        return received.sum();
    }

    long refused() {
        return refused.sum();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
