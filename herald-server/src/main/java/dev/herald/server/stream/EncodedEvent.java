package dev.herald.server.stream;

import dev.herald.core.event.JobEvent;
import dev.herald.core.event.StreamCursor;
import dev.herald.json.EventJson;
import io.vertx.core.buffer.Buffer;

/**
 * An event with its wire forms, made at most once however many readers it goes to:
 * the JSON text (WebSocket frames, long polls) and the whole SSE frame.
 */
public final class EncodedEvent {
    private final JobEvent event;
    private final String epoch;
    private volatile String json;
    private volatile Buffer sse;

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
            j = EventJson.toJson(event);
            json = j;
        }
        return j;
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
}
