package dev.herald.client.transport;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.json.EventJson;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Server-Sent Events stream over {@code java.net.http}: the body is read as it arrives by a subscriber that
 * asks for the next buffer only when it has handed on the last one, so a slow sink slows this stream and no
 * other. Error answers end the stream with the API's refusal.
 */
final class HttpEventStream implements EventStream {
    private static final System.Logger LOG = System.getLogger("dev.herald.client");

    private final HttpExchange exchange;
    private final EventSink sink;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Flow.Subscription subscription;
    private volatile CompletableFuture<?> sending;

    private HttpEventStream(HttpExchange exchange, EventSink sink) {
        this.exchange = exchange;
        this.sink = sink;
    }

    static HttpEventStream open(HttpExchange exchange, String path, String cursor, EventSink sink) {
        HttpEventStream stream = new HttpEventStream(exchange, sink);
        HttpRequest.Builder request = exchange.streamRequest(path);
        if (cursor != null) {
            request.header("Last-Event-ID", cursor);
        }
        stream.sending = exchange.client().sendAsync(request.GET().build(), stream::answer)
                .whenComplete((response, error) -> {
                    if (error != null) {
                        stream.end(stream.failure(error));
                    }
                });
        return stream;
    }

    private HttpResponse.BodySubscriber<Void> answer(HttpResponse.ResponseInfo info) {
        int status = info.statusCode();
        String type = info.headers().firstValue("Content-Type").orElse("");
        if (status == 200 && type.startsWith("text/event-stream")) {
            return new Reader();
        }
        if (status == 200) {
            end(new RetryableException(ErrorCode.UNAVAILABLE, "the server answered with '" + type
                    + "' instead of an event stream", null));
            return HttpResponse.BodySubscribers.replacing(null);
        }
        String retryAfter = info.headers().firstValue("Retry-After").orElse(null);
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                body -> {
                    end(ErrorAnswers.of(status, body, retryAfter, Instant.now()));
                    return null;
                });
    }

    private HeraldException failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HeraldException h) {
            return h;
        }
        if (cause instanceof IOException io) {
            return exchange.lost(io);
        }
        return new RetryableException(ErrorCode.UNAVAILABLE, "the stream ended: " + cause, null);
    }

    private void end(HeraldException error) {
        if (ended.compareAndSet(false, true)) {
            sink.closed(error);
        }
    }

    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<?> f = sending;
        if (f != null) {
            f.cancel(true);
        }
    }

    /** Reads the body buffer by buffer into a decoder that hands events to the sink. */
    private final class Reader implements HttpResponse.BodySubscriber<Void>, SseDecoder.Handler {
        private final SseDecoder decoder = new SseDecoder(this);

        @Override
        public CompletionStage<Void> getBody() {
            // the response is ours as soon as its headers are: the events come through the sink
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            buffers.forEach(decoder::feed);
            if (!closed) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            end(failure(error));
        }

        @Override
        public void onComplete() {
            end(null);
        }

        @Override
        public void event(String lastEventId, String type, String data) {
            JobEvent event;
            try {
                event = EventJson.fromJson(data, null, 0);
            } catch (RuntimeException e) {
                // an event type of a newer server, or a frame a proxy mangled: a sign of life, nothing to deliver
                LOG.log(System.Logger.Level.DEBUG, "skipped an event that is not one of this client's: {0}", type);
                sink.alive();
                return;
            }
            if (event.job() != null) {
                event = new JobEvent(event.type(), event.jobId(), event.job().project(), event.version(),
                        event.time(), event.job(), event.from(), event.to(), event.log(), 0, null);
            }
            sink.event(event, lastEventId.isEmpty() ? null : lastEventId);
        }

        @Override
        public void signOfLife() {
            sink.alive();
        }
    }
}
