package dev.herald.server.stream;

import dev.herald.core.event.JobEvent;
import dev.herald.core.event.StreamCursor;
import dev.herald.json.EventJson;
import dev.herald.json.JobJson;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

import java.util.function.Supplier;

/**
 * An event with its wire forms, made at most once however many readers it goes to:
 * the JSON text (WebSocket frames, long polls) and the whole SSE frame.
 */
public final class EncodedEvent {
    private final JobEvent event;
    private final String epoch;
    private volatile String json;
    private volatile Buffer sse;
    private volatile Gzipped gzipped;
    private volatile Chunk chunk;

    /** The frame deflated after {@code previous}, as a gzip SSE stream sends it. */
    private record Gzipped(Buffer previous, Buffer bytes) {
    }

    /** Bytes of the event as a stream sends them, framed as an HTTP/1.1 chunk. */
    private record Chunk(Buffer bytes, ByteBuf framed) {
    }

    public EncodedEvent(JobEvent event, String epoch) {
        this.event = event;
        this.epoch = epoch;
    }

    public JobEvent event() {
        return event;
    }

    public String cursor() {
        return new StreamCursor(epoch, event.position()).encode();
    }

    public String json() {
        String j = json;
        if (j == null) {
            j = reusable(event) ? event.json() : EventJson.toJson(event);
            json = j;
        }
        return j;
    }

    /**
     * Whether the JSON the publishing node made is what a stream sends: it keeps a result whole, which streams cap
     * (API §1), so only while the result is within the cap.
     */
    private static boolean reusable(JobEvent e) {
        if (e.json() == null) {
            return false;
        }
        return e.job() == null || e.job().result() == null
                || e.job().result().utf8Length() <= JobJson.EVENT_RESULT_LIMIT;
    }

    /** {@code id}, {@code event} and one {@code data} line: JSON escapes every newline, so nothing can break the frame. */
    public Buffer sseFrame() {
        Buffer b = sse;
        if (b == null) {
            String text = "id: " + cursor() + "\nevent: " + event.type().wire() + "\ndata: " + json() + "\n\n";
            b = Buffer.buffer(text);
            sse = b;
        }
        return b;
    }

    /**
     * The SSE frame deflated with {@code previous} (compared by identity) as dictionary: readers of a job that
     * were sent the same frame before this one share it. Remembers the last one made; {@code make} makes it.
     */
    Buffer gzippedAfter(Buffer previous, Supplier<Buffer> make) {
        Gzipped g = gzipped;
        if (g != null && g.previous() == previous) {
            return g.bytes();
        }
        Buffer bytes = make.get();
        gzipped = new Gzipped(previous, bytes);
        return bytes;
    }

    /**
     * {@code bytes} (this event's frame, or its frame deflated) framed by {@link Chunks#frame}: readers sent the
     * same bytes (compared by identity) share it. Remembers the last one made.
     */
    ByteBuf chunk(Buffer bytes) {
        Chunk c = chunk;
        if (c != null && c.bytes() == bytes) {
            return c.framed();
        }
        ByteBuf framed = Chunks.frame(bytes);
        chunk = new Chunk(bytes, framed);
        return framed;
    }
}
