package dev.herald.server.sse;

import dev.herald.server.support.TestServer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An SSE reader on a bare socket, for what {@code SseClient} cannot do: connect with a
 * tiny receive buffer and then not read at all (a stalled reader), or drop the
 * connection abruptly. When it finally reads, it checks the HTTP/1.1 chunked framing
 * and the SSE framing strictly and reports anything malformed.
 */
final class RawSseSocket implements AutoCloseable {

    /** One SSE event; {@code event} is "comment" for comment lines. */
    record Event(String id, String event, String data) {
    }

    /** How reading ended. */
    enum End { MATCHED, EOF, RESET, TIMEOUT }

    private final Socket socket;
    private InputStream in;
    private InputStream body;
    private int status = -1;
    private final Map<String, String> headers = new LinkedHashMap<>();
    /** Lines that are neither id, event, data, retry nor a comment, or that hold a CR: each one a framing error. */
    private final List<String> malformed = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(1024);
    private String id;
    private String event;
    private StringBuilder data;

    private RawSseSocket(Socket socket) {
        this.socket = socket;
    }

    /** Connects and sends the GET; reads nothing. {@code receiveBuffer} 0 keeps the system's default. */
    static RawSseSocket open(TestServer server, String pathAndQuery, Map<String, String> extraHeaders,
                             int receiveBuffer) throws IOException {
        URI uri = server.uri(pathAndQuery);
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        RawSseSocket raw = new RawSseSocket(s);
        raw.send(uri, extraHeaders);
        return raw;
    }

    /** A GET of {@code uri}, with the test token unless {@code extraHeaders} has an {@code Authorization}. */
    private void send(URI uri, Map<String, String> extraHeaders) throws IOException {
        StringBuilder req = new StringBuilder()
                .append("GET ").append(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            req.append('?').append(uri.getRawQuery());
        }
        req.append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        if (!extraHeaders.containsKey("Authorization")) {
            req.append("Authorization: Bearer ").append(TestServer.TOKEN).append("\r\n");
        }
        req.append("Accept: text/event-stream\r\n");
        extraHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Once the body ended with its last chunk ({@link End#EOF}): checks the blank line that closes it, sends a GET
     * of {@code uri} on the same connection and reads its response head. Answers its status.
     */
    int again(URI uri) throws IOException {
        socket.setSoTimeout(5000);
        if (!headLine(in).isEmpty()) {
            malformed.add("no blank line after the last chunk");
        }
        send(uri, Map.of());
        headers.clear();
        body = null;
        readHead();
        return status;
    }

    static RawSseSocket open(TestServer server, String pathAndQuery, int receiveBuffer) throws IOException {
        return open(server, pathAndQuery, Map.of(), receiveBuffer);
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a crashed client or a pulled cable would. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /**
     * Reads events until one matches {@code stop} (then {@link End#MATCHED}), the server
     * ends the connection ({@link End#EOF} or {@link End#RESET}) or {@code max} has passed
     * ({@link End#TIMEOUT}; keep-alive comments do not extend it). Reads the response head
     * first when not yet read. Can be called again to read on.
     */
    End readUntil(Predicate<Event> stop, Duration max) throws IOException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return End.TIMEOUT;
            }
            socket.setSoTimeout((int) Math.min(left, 500));
            try {
                if (body == null) {
                    readHead();
                }
                int b;
                while ((b = body.read()) >= 0) {
                    if (b != '\n') {
                        partial.write(b);
                        continue;
                    }
                    Event done = line(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                    if (done != null && stop.test(done)) {
                        return End.MATCHED;
                    }
                }
                return End.EOF;
            } catch (SocketTimeoutException e) {
                // nothing for a while: look at the deadline, then read on where we were
            } catch (SocketException e) {
                return End.RESET;
            }
        }
    }

    /** Handles one line; answers the event it completed, if any. */
    private Event line(String text) {
        if (text.indexOf('\r') >= 0) {
            malformed.add(text);
        }
        if (text.isEmpty()) {
            Event done = null;
            if (data != null) {
                done = new Event(id, event == null ? "message" : event, data.toString());
                events.add(done);
            }
            event = null;
            data = null;
            return done;
        }
        if (text.startsWith(":")) {
            Event comment = new Event(null, "comment", text.substring(1).trim());
            events.add(comment);
            return comment;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            case "retry" -> {
                if (!value.chars().allMatch(Character::isDigit)) {
                    malformed.add(text);
                }
            }
            default -> malformed.add(text);
        }
        return null;
    }

    private void readHead() throws IOException {
        if (in == null) {
            in = new BufferedInputStream(socket.getInputStream(), 8192);
        }
        String statusLine = headLine(in);
        String[] parts = statusLine.split(" ", 3);
        status = Integer.parseInt(parts[1]);
        String h;
        while (!(h = headLine(in)).isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Chunked(in, malformed) : in;
    }

    private static String headLine(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                out.write(b);
            }
        }
        if (b < 0 && out.size() == 0) {
            throw new SocketException("the connection ended before the response head");
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The socket's raw input, for a test that only wants to read a few bytes. */
    InputStream inputStream() throws IOException {
        socket.setSoTimeout(5000);
        return socket.getInputStream();
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every event and comment read so far, in order. */
    List<Event> events() {
        return events;
    }

    List<String> malformed() {
        return malformed;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** HTTP/1.1 chunked transfer decoding that records framing errors instead of guessing. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private final List<String> malformed;
        private final ByteArrayOutputStream sizeLine = new ByteArrayOutputStream(16);
        private long left;
        private int crlfLeft;
        private boolean done;

        Chunked(InputStream in, List<String> malformed) {
            this.in = in;
            this.malformed = malformed;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            while (crlfLeft > 0) {
                int c = in.read();
                if (c < 0) {
                    done = true;
                    return -1;
                }
                if (c != (crlfLeft == 2 ? '\r' : '\n')) {
                    malformed.add("chunk not followed by CRLF");
                }
                crlfLeft--;
            }
            if (left == 0) {
                String size = chunkLine();
                if (size == null) {
                    done = true;
                    return -1;
                }
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    malformed.add("chunk size line: '" + size + "'");
                    done = true;
                    return -1;
                }
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b < 0) {
                done = true;
                return -1;
            }
            if (--left == 0) {
                crlfLeft = 2;
            }
            return b;
        }

        /** The chunk-size line, or null when the connection ended first. */
        private String chunkLine() throws IOException {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    sizeLine.write(b);
                }
            }
            if (b < 0) {
                return null;
            }
            String line = sizeLine.toString(StandardCharsets.ISO_8859_1);
            sizeLine.reset();
            return line;
        }
    }
}
