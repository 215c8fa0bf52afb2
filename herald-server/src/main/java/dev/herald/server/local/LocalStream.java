package dev.herald.server.local;

import dev.herald.client.transport.EventSink;
import dev.herald.client.transport.EventStream;
import dev.herald.client.transport.RetryableException;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.stream.EncodedEvent;
import dev.herald.server.stream.StreamSession;
import dev.herald.server.stream.StreamTransport;
import io.vertx.core.Context;

import java.util.List;
import java.util.function.Consumer;

/**
 * One in-process stream: the session's events handed to the client's sink, one call at a time on the stream's
 * context, each with its cursor. It never pushes back: the sink returns at once, as its contract says.
 */
final class LocalStream implements StreamTransport, EventStream {
    private final Context context;
    private final EventSink sink;
    private final Consumer<LocalStream> onEnd;
    private volatile StreamSession session;
    /** Set on the context once the sink has been told the end. */
    private boolean ended;
    private volatile boolean began;

    LocalStream(Context context, EventSink sink, Consumer<LocalStream> onEnd) {
        this.context = context;
        this.sink = sink;
        this.onEnd = onEnd;
    }

    void attach(StreamSession s) {
        session = s;
    }

    /** The replay and snapshots, then live events. On the context. */
    void begin(List<EncodedEvent> first) {
        if (ended) {
            session.close();
            return;
        }
        sink.alive();
        began = true;
        session.begin(first);
    }

    void alive() {
        if (began) {
            context.runOnContext(v -> {
                if (!ended) {
                    sink.alive();
                }
            });
        }
    }

    @Override
    public void write(EncodedEvent event) {
        if (!ended) {
            sink.event(event.event(), event.cursor());
        }
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void onDrain(Runnable resume) {
        resume.run();
    }

    /** The client fell behind the server's allowance: it resumes from its cursor, as over HTTP. */
    @Override
    public void overflow() {
        end(new RetryableException(ErrorCode.UNAVAILABLE, "the watch fell behind; resuming from its cursor", null));
    }

    @Override
    public void close() {
        end(null);
    }

    /** Ends the stream and tells the sink once, on the context; from any thread. */
    void end(HeraldException error) {
        StreamSession s = session;
        if (s != null) {
            s.close();
        }
        onEnd.accept(this);
        context.runOnContext(v -> {
            if (!ended) {
                ended = true;
                sink.closed(error);
            }
        });
    }
}
