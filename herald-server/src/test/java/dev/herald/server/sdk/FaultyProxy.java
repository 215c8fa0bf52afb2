package dev.herald.server.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a server that fails as networks and proxies do. It can lose an answer: the request
 * reaches the server and is applied, but the connection is cut before the answer gets back. And it can treat
 * event streams as some proxies do: hold back every byte of a {@code text/event-stream} answer (a buffering
 * proxy: the client sees nothing, not even the headers), or answer a request for a stream with {@code 502} (a
 * proxy that refuses streams). Other requests (long polls, reads, writes) pass in every mode. A test can also
 * act at a precise moment of the client's work: just before a given request is passed on.
 */
public final class FaultyProxy implements AutoCloseable {
    public enum Mode { PASS, BUFFER_STREAMS, REFUSE_STREAMS }

    private static final byte[] REFUSAL = ("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 22\r\nConnection: close\r\n\r\nno streams through here").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final int target;
    private volatile Mode mode;
    private final AtomicBoolean loseNext = new AtomicBoolean();
    private final AtomicReference<Hook> beforeRequest = new AtomicReference<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public FaultyProxy(int targetPort, Mode mode) {
        this.target = targetPort;
        this.mode = mode;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon(this::accept);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** The next answer (on any connection) is dropped and its connection cut. */
    void loseNextAnswer() {
        loseNext.set(true);
    }

    private record Hook(String requestLine, Runnable action) {
    }

    /**
     * Runs {@code action} once, on the first request from now on whose request line starts with
     * {@code requestLine} (e.g. {@code "GET /api/v1/jobs/j_... "}), before that request reaches the server.
     */
    void beforeRequest(String requestLine, Runnable action) {
        beforeRequest.set(new Hook(requestLine, action));
    }

    /** Applies to streams opened from now on. */
    public void mode(Mode m) {
        this.mode = m;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(server);
                daemon(() -> requests(client, server));
                daemon(() -> answers(server, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void requests(Socket client, Socket server) {
        pump(client, server, chunk -> {
            if (mode == Mode.REFUSE_STREAMS && chunk.startsWith("GET ") && chunk.split("\r\n", 2)[0].contains("/events")) {
                client.getOutputStream().write(REFUSAL);
                return Verdict.CUT;
            }
            Hook hook = beforeRequest.get();
            if (hook != null && chunk.startsWith(hook.requestLine()) && beforeRequest.compareAndSet(hook, null)) {
                hook.action().run();
            }
            return Verdict.PASS;
        });
    }

    private void answers(Socket server, Socket client) {
        boolean[] holding = {false};
        pump(server, client, chunk -> {
            if (loseNext.compareAndSet(true, false)) {
                return Verdict.CUT;
            }
            // the header, not just the words: a script that asks for event streams (herald.js) is no stream
            holding[0] |= mode == Mode.BUFFER_STREAMS
                    && chunk.toLowerCase(Locale.ROOT).contains("content-type: text/event-stream");
            return holding[0] ? Verdict.HOLD : Verdict.PASS;
        });
    }

    private enum Verdict { PASS, HOLD, CUT }

    private interface Gate {
        Verdict of(String chunk) throws IOException;
    }

    private static void pump(Socket from, Socket to, Gate gate) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                Verdict v = gate.of(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (v == Verdict.CUT) {
                    break;
                }
                if (v == Verdict.PASS) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side went away: both are closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.forEach(FaultyProxy::closeQuietly);
    }
}
