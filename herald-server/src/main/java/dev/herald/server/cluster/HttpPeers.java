package dev.herald.server.cluster;

import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Moved;
import dev.herald.core.cluster.Peers;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.ObjLongConsumer;

/**
 * {@link Peers} over HTTP/2 cleartext with prior knowledge (docs/cluster.md §2.5): one multiplexed connection to
 * each peer's cluster listener, every request carrying the cluster's secret.
 */
public final class HttpPeers implements Peers, AutoCloseable {
    /** An owner answers a durable command within a flush and a commit; past this the forward is ambiguous. */
    private static final long ANSWER_TIMEOUT_MS = 10_000;
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    /**
     * A request stream from the pool, the connection's HTTP/2 handshake included: a paused node accepts the TCP
     * connection (its kernel does) but never answers the handshake, and nothing else times that out.
     */
    static final long OPEN_TIMEOUT_MS = 2_000;
    private final HttpClientAgent client;
    private final String authorization;
    private final LongAdder sent = new LongAdder();
    private final LongAdder moved = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** Told each forward's command and its time from sending to the answer, or to its failure. */
    private volatile ObjLongConsumer<String> timer = (command, nanos) -> { };

    public HttpPeers(Vertx vertx, String secret) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setTcpNoDelay(true), new PoolOptions().setHttp2MaxSize(1));
        this.authorization = "Bearer " + secret;
    }

    @Override
    public <T> CompletableFuture<T> forward(String address, Forward<T> command, String leaseToken) {
        RequestOptions request = request(address, PeerWire.path(command));
        if (leaseToken != null) {
            request.putHeader("Lease-Token", leaseToken);
        }
        if (command instanceof Forward.CreateChild c) {
            if (c.job().owner() != null) {
                request.putHeader(PeerWire.OWNER, c.job().owner());
            }
            if (c.job().idempotencyKey() != null) {
                request.putHeader("Idempotency-Key", c.job().idempotencyKey());
            }
        }
        // a read of newest states changes nothing: timed as command "newest", not counted among the commands
        return post(address, request, PeerWire.body(command), PeerWire.command(command),
                command instanceof Forward.Newest ? 0 : 1,
                (status, text) -> PeerWire.answer(command, status, text));
    }

    @Override
    public CompletableFuture<List<Outcome>> progress(String address, List<Update> updates) {
        // refused as a whole (the owner is starting, or refused this node), every update is refused so
        return post(address, request(address, ProgressBatchWire.PATH), ProgressBatchWire.body(updates),
                ProgressBatchWire.COMMAND, updates.size(),
                (status, text) -> {
                    List<Outcome> outcomes = ProgressBatchWire.outcomes(text, updates.size());
                    moved.add(outcomes.stream().filter(o -> o.refusal() instanceof Moved).count());
                    return outcomes;
                });
    }

    private RequestOptions request(String address, String uri) {
        int colon = address.lastIndexOf(':');
        // an IPv6 host is advertised in brackets, as in a URL
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        return new RequestOptions().setMethod(HttpMethod.POST)
                .setHost(host).setPort(Integer.parseInt(address.substring(colon + 1)))
                .setURI(uri).setIdleTimeout(ANSWER_TIMEOUT_MS)
                .putHeader("Authorization", authorization).putHeader("Content-Type", "application/json");
    }

    /**
     * Sends one request carrying {@code commands} commands, timed as {@code name}: its answer read by {@code read} (a
     * status of 300 or more is the owner's refusal).
     */
    private <T> CompletableFuture<T> post(String address, RequestOptions request, String body, String name,
                                          int commands, BiFunction<Integer, String, T> read) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        sent.add(commands);
        // a read of newest states is not a command, but its failures are counted as those of one
        int failures = Math.max(commands, 1);
        long start = System.nanoTime();
        // timed before the answer completes, so before the caller hears it
        Runnable timed = () -> timer.accept(name, System.nanoTime() - start);
        Future<HttpClientRequest> opening = client.request(request);
        opening.timeout(OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(opened -> {
            if (opened.failed()) {
                // nothing was sent: the command was applied nowhere (a stream opened too late is never used)
                opening.onSuccess(late -> late.reset());
                failed.add(failures);
                timed.run();
                answer.completeExceptionally(new Unreachable(address, opened.cause()));
                return;
            }
            opened.result().send(body)
                    .compose(response -> response.body().map(b -> {
                        String text = b.toString();
                        if (response.statusCode() < 300) {
                            return read.apply(response.statusCode(), text);
                        }
                        throw PeerWire.refusal(response.statusCode(), response.getHeader(PeerWire.MOVED), text);
                    }))
                    .onComplete(done -> {
                        timed.run();
                        complete(answer, failures, done.succeeded() ? done.result() : null, done.cause());
                    });
        });
        return answer;
    }

    private <T> void complete(CompletableFuture<T> answer, int commands, T value, Throwable failure) {
        if (failure == null) {
            answer.complete(value);
        } else if (failure instanceof Moved || failure instanceof HeraldException) {
            if (failure instanceof Moved) {
                moved.add(commands);
            }
            answer.completeExceptionally(failure);
        } else {
            // sent, but no answer came: it may have been applied; the caller retries (the SDK takes a retried
            // transition refused with its target status as done)
            failed.add(commands);
            answer.completeExceptionally(new HeraldException(ErrorCode.UNAVAILABLE,
                    "the node that owns the job's tree did not answer; try again"));
        }
    }

    /** Times every forward from now on ({@code herald.cluster.forward}). */
    void onForwarded(ObjLongConsumer<String> meter) {
        timer = meter;
    }

    /** Commands sent to other nodes. */
    public long sent() {
        return sent.sum();
    }

    /** Forwarded commands the other node refused because it does not own the tree. */
    public long moved() {
        return moved.sum();
    }

    /** Forwards that failed: not sent, or not answered. */
    public long failed() {
        return failed.sum();
    }

    @Override
    public void close() {
        client.close();
    }
}
