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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
        int colon = address.lastIndexOf(':');
        // an IPv6 host is advertised in brackets, as in a URL
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setHost(host).setPort(Integer.parseInt(address.substring(colon + 1)))
                .setURI(PeerWire.path(command)).setIdleTimeout(ANSWER_TIMEOUT_MS)
                .putHeader("Authorization", authorization).putHeader("Content-Type", "application/json");
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
        String body = PeerWire.body(command);
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (!(command instanceof Forward.Newest)) {
            // a read of newest states changes nothing: timed as command "newest", not counted among the commands
            sent.increment();
        }
        long start = System.nanoTime();
        // timed before the answer completes, so before the caller hears it
        Runnable timed = () -> timer.accept(PeerWire.command(command), System.nanoTime() - start);
        Future<HttpClientRequest> opening = client.request(request);
        opening.timeout(OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(opened -> {
            if (opened.failed()) {
                // nothing was sent: the command was applied nowhere (a stream opened too late is never used)
                opening.onSuccess(late -> late.reset());
                failed.increment();
                timed.run();
                answer.completeExceptionally(new Unreachable(address, opened.cause()));
                return;
            }
            opened.result().send(body)
                    .compose(response -> response.body().map(b -> {
                        String text = b.toString();
                        if (response.statusCode() < 300) {
                            return PeerWire.answer(command, response.statusCode(), text);
                        }
                        throw PeerWire.refusal(response.statusCode(), response.getHeader(PeerWire.MOVED), text);
                    }))
                    .onComplete(done -> {
                        timed.run();
                        complete(answer, done.succeeded() ? done.result() : null, done.cause());
                    });
        });
        return answer;
    }

    private <T> void complete(CompletableFuture<T> answer, T value, Throwable failure) {
        if (failure == null) {
            answer.complete(value);
        } else if (failure instanceof Moved || failure instanceof HeraldException) {
            if (failure instanceof Moved) {
                moved.increment();
            }
            answer.completeExceptionally(failure);
        } else {
            // sent, but no answer came: it may have been applied; the caller retries (the SDK takes a retried
            // transition refused with its target status as done)
            failed.increment();
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
