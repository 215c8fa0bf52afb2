package dev.herald.server.ws;

import dev.herald.server.support.TestServer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on a bare socket, for what a well-behaved client cannot do: send
 * oversized or fragmented frames, send many frames in one burst, stop reading (with a
 * tiny receive buffer), or drop the connection without a close frame. It reads the
 * server's frames strictly (unmasked, RFC 6455 lengths).
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int CONTINUATION = 0x0;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** One frame from the server; for a close frame, {@code closeCode} is its status (or -1 when it has none). */
    record Frame(int opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final OutputStream out;
    private InputStream in;
    private int status = -1;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body = "";

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and sends the upgrade request; reads nothing yet. {@code token} null sends no
     * token; {@code receiveBuffer} 0 keeps the system's default.
     */
    static RawWebSocket open(TestServer server, String pathAndQuery, String token, int receiveBuffer)
            throws IOException {
        return open(server, pathAndQuery, token, receiveBuffer, Map.of());
    }

    /** {@link #open(TestServer, String)} with more request headers (an {@code Origin}, say). */
    static RawWebSocket open(TestServer server, String pathAndQuery, Map<String, String> moreHeaders)
            throws IOException {
        return open(server, pathAndQuery, TestServer.TOKEN, 0, moreHeaders);
    }

    private static RawWebSocket open(TestServer server, String pathAndQuery, String token, int receiveBuffer,
                                     Map<String, String> moreHeaders) throws IOException {
        URI uri = server.uri(pathAndQuery);
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        StringBuilder req = new StringBuilder().append("GET ").append(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            req.append('?').append(uri.getRawQuery());
        }
        req.append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (token != null) {
            req.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        moreHeaders.forEach((name, value) -> req.append(name).append(": ").append(value).append("\r\n"));
        req.append("\r\n");
        RawWebSocket ws = new RawWebSocket(s);
        ws.out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        return ws;
    }

    static RawWebSocket open(TestServer server, String pathAndQuery) throws IOException {
        return open(server, pathAndQuery, TestServer.TOKEN, 0);
    }

    /** Reads the response head (and, for a refusal with a length, its body); answers the status. */
    int readHead() throws IOException {
        if (in == null) {
            in = new BufferedInputStream(socket.getInputStream(), 8192);
        }
        socket.setSoTimeout((int) Ws.WAIT.toMillis());
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        String h;
        while (!(h = line()).isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (status != 101 && headers.containsKey("content-length")) {
            byte[] b = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            body = new String(b, StandardCharsets.UTF_8);
        }
        return status;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            throw new EOFException("the connection ended before the response head");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String body() {
        return body;
    }

    /** A masked client frame, as RFC 6455 requires of clients. */
    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            b.write(0x80 | n);
        } else if (n <= 0xFFFF) {
            b.write(0x80 | 126);
            b.write(n >>> 8);
            b.write(n & 0xff);
        } else {
            b.write(0x80 | 127);
            long len = n;
            for (int i = 7; i >= 0; i--) {
                b.write((int) (len >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        b.write(mask, 0, 4);
        for (int i = 0; i < n; i++) {
            b.write(payload[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    static byte[] text(String text) {
        return frame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes as they are (one frame, many frames, or half of one). */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes one byte at a time, each in a packet of its own, so the server reads a frame in as many pieces. */
    void writeByteByByte(byte[] bytes) throws IOException {
        socket.setTcpNoDelay(true);
        for (byte b : bytes) {
            out.write(b);
            out.flush();
        }
    }

    void sendText(String text) throws IOException {
        write(text(text));
    }

    /**
     * The next frame, or null when nothing came within {@code timeout}; throws
     * {@link EOFException} when the server ended the connection.
     */
    Frame next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
        int b0;
        try {
            b0 = in.read();
        } catch (SocketTimeoutException e) {
            return null;
        }
        if (b0 < 0) {
            throw new EOFException("the server ended the connection");
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        // a frame that has begun is read whole
        socket.setSoTimeout((int) Math.max(left, 5000));
        int b1 = readByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("a server frame must not be masked");
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = ((long) readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        if (len > 16 * 1024 * 1024) {
            throw new IOException("implausible frame length " + len);
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("the connection ended inside a frame");
        }
        return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside a frame");
        }
        return b;
    }

    /**
     * Reads until the server's close frame and answers its status code; -2 when the
     * connection ended without one, -4 when it was reset without one, -3 when nothing
     * ended within the timeout.
     * Data frames read on the way are given to {@code seen}.
     */
    int readUntilClose(Duration timeout, java.util.function.Consumer<Frame> seen) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -3;
            }
            Frame f;
            try {
                f = next(Duration.ofNanos(left));
            } catch (EOFException e) {
                return -2;
            } catch (SocketException e) {
                return -4;
            }
            if (f == null) {
                continue;
            }
            if (f.opcode() == CLOSE) {
                return f.closeCode();
            }
            seen.accept(f);
        }
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a crashed client or a pulled cable would: no close frame. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Closes the TCP connection (FIN) without a WebSocket close frame. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
