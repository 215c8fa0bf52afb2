package dev.herald.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** {@code count} requests, {@code inflight} outstanding at any time, each started on the client's event loop. */
final class RequestLoop {
    interface OnAnswer {
        void accept(int index, Buffer body) throws Exception;
    }

    private final Target target;
    private final HttpClient client;
    private final int inflight;
    private final int count;
    private final IntFunction<RequestOptions> request;
    private final IntFunction<Buffer> body;
    private final int expect;
    private final OnAnswer onAnswer;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    final AtomicLong lastAnswer = new AtomicLong();
    final AtomicInteger refused = new AtomicInteger();
    final Histogram latency = new Histogram();
    volatile String firstError;

    RequestLoop(Target target, HttpClient client, int inflight, int count, IntFunction<RequestOptions> request,
         IntFunction<Buffer> body, int expect, OnAnswer onAnswer) {
        this.target = target;
        this.client = client;
        this.inflight = inflight;
        this.count = count;
        this.request = request;
        this.body = body;
        this.expect = expect;
        this.onAnswer = onAnswer;
    }

    void run(int timeoutSeconds) throws InterruptedException {
        for (int i = 0; i < Math.min(inflight, count); i++) {
            target.context.runOnContext(v -> next());
        }
        if (!finished.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(answered.get() + " of " + count + " requests answered after "
                    + timeoutSeconds + " s");
        }
    }

    private void next() {
        int i = nextIndex.getAndIncrement();
        if (i >= count) {
            return;
        }
        long start = System.nanoTime();
        target.send(client, request.apply(i), body.apply(i), expect).onComplete(ar -> {
            long end = System.nanoTime();
            latency.record(end - start);
            if (ar.succeeded()) {
                try {
                    if (onAnswer != null) {
                        onAnswer.accept(i, ar.result());
                    }
                } catch (Exception e) {
                    error(e.toString());
                }
            } else {
                error(ar.cause().toString());
            }
            lastAnswer.accumulateAndGet(end, Math::max);
            if (answered.incrementAndGet() == count) {
                finished.countDown();
            }
            next();
        });
    }

    private void error(String text) {
        refused.incrementAndGet();
        if (firstError == null) {
            firstError = text;
        }
    }
}
