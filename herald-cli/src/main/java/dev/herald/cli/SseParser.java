package dev.herald.cli;

/**
 * Parses a Server-Sent Events stream line by line, as the WHATWG "event stream
 * interpretation" says: {@code field: value} lines (one optional space after the
 * colon), {@code data} lines joined with newlines, a blank line dispatching the
 * event, lines starting with {@code :} ignored (keep-alive comments), {@code id}
 * remembered as the last event id (for {@code Last-Event-ID} on reconnect) even
 * across events (an {@code id} counts once the blank line ends its event, even an
 * event without data), {@code retry} (digits only) setting the reconnection delay, and
 * unknown fields ignored. Not thread-safe: one parser per stream reader.
 */
final class SseParser {
    /** The reconnection delay until the server sends {@code retry:} (the usual browser default). */
    static final long DEFAULT_RETRY_MS = 2000;

    /** A dispatched event. {@code id} is the last event id at dispatch (possibly from an earlier event), or null. */
    record Event(String id, String type, String data) {
    }

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type;
    /** The {@code id} received so far; becomes {@link #lastEventId} when a blank line ends the event. */
    private String idBuffer;
    private String lastEventId;
    private long retryMs = DEFAULT_RETRY_MS;
    private boolean firstLine = true;

    /**
     * Feeds one line (without its line terminator).
     *
     * @return the event a blank line completes, or null
     */
    Event accept(String line) {
        if (firstLine) {
            firstLine = false;
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.charAt(0) == ':') {
            return null;
        }
        int colon = line.indexOf(':');
        String field;
        String value;
        if (colon < 0) {
            field = line;
            value = "";
        } else {
            field = line.substring(0, colon);
            int start = colon + 1;
            if (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            value = line.substring(start);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    idBuffer = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    try {
                        retryMs = Long.parseLong(value);
                    } catch (NumberFormatException ignored) {
                        // too many digits: keep the previous delay
                    }
                }
            }
            default -> {
                // unknown field: ignored
            }
        }
        return null;
    }

    private Event dispatch() {
        lastEventId = idBuffer;
        if (!hasData) {
            type = null;
            return null;
        }
        Event e = new Event(lastEventId == null || lastEventId.isEmpty() ? null : lastEventId,
                type == null || type.isEmpty() ? "message" : type, data.toString());
        data.setLength(0);
        hasData = false;
        type = null;
        return e;
    }

    /**
     * Forgets a half-received event (after a dropped connection), including an
     * {@code id} not yet ended by a blank line; keeps the last event id and the retry delay.
     */
    void reset() {
        idBuffer = lastEventId;
        data.setLength(0);
        hasData = false;
        type = null;
        firstLine = true;
    }

    /** For {@code Last-Event-ID}: the last {@code id} received, or null. */
    String lastEventId() {
        return lastEventId == null || lastEventId.isEmpty() ? null : lastEventId;
    }

    long retryMs() {
        return retryMs;
    }
}
