package dev.herald.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 over a plain socket, for requests that java.net.http refuses to send (malformed URLs, slow heads). */
public final class RawHttp {
    private RawHttp() {
    }

    /** One request on a new connection: status line, headers and a Content-Length body. */
    public static String exchange(TestServer server, String method, String rawTarget, String body) {
        try (Socket s = new Socket("127.0.0.1", server.server().port())) {
            s.setSoTimeout(30_000);
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + rawTarget + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + TestServer.TOKEN + "\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n")
                    + "\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(bytes);
            return exchangeRest(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request on an open connection and reads its answer. */
    public static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return exchangeRest(s);
    }

    private static String exchangeRest(Socket s) throws IOException {
        String head = readUntil(s.getInputStream(), "\r\n\r\n");
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(s.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    /** The status code of an answer read by {@link #exchange}. */
    public static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** The body of an answer read by {@link #exchange}. */
    public static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    /** Reads until the marker has come; fails if the connection ends first. */
    public static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] end = marker.getBytes(StandardCharsets.UTF_8);
        while (!endsWith(seen, end)) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed before '" + marker + "'; got: " + seen.toString(StandardCharsets.UTF_8));
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    /**
     * True when the server closed the connection within {@code patienceMs} (reads end or writes fail), while the
     * client sent it one byte of {@code trickle} (over and over) every {@code everyMs}, or nothing if it is empty.
     */
    public static boolean closedByServer(Socket s, byte[] trickle, long everyMs, long patienceMs) throws IOException {
        long deadline = System.currentTimeMillis() + patienceMs;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        s.setSoTimeout((int) Math.max(1, everyMs));
        int i = 0;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (in.read() == -1) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open: trickle one more byte
            } catch (IOException e) {
                return true;
            }
            if (trickle.length > 0) {
                try {
                    out.write(trickle[i++ % trickle.length]);
                    out.flush();
                } catch (IOException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean endsWith(ByteArrayOutputStream seen, byte[] end) {
        if (seen.size() < end.length) {
            return false;
        }
        byte[] all = seen.toByteArray();
        for (int i = 0; i < end.length; i++) {
            if (all[all.length - end.length + i] != end[i]) {
                return false;
            }
        }
        return true;
    }
}
