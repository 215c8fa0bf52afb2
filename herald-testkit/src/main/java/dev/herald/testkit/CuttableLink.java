package dev.herald.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to Redis that a test can break and mend, as a network breaks: cut,
 * every connection through it is closed and new ones are closed at once; silenced,
 * nothing is closed but no byte passes any more, in either direction. The nodes
 * behind it must notice and find Redis again on their own.
 */
public final class CuttableLink implements AutoCloseable {
    private enum State { OPEN, CUT, SILENT }

    private final String host;
    private final int port;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile State state = State.OPEN;

    /** A relay to the server at this address (Redis), on a free port of the loopback address. */
    public CuttableLink(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    public String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    public void cut() {
        state = State.CUT;
        closeAll();
    }

    public void silence() {
        state = State.SILENT;
    }

    /** Lets new connections through again; those silenced are closed, as a node gives them up anyway. */
    public void mend() {
        if (state == State.SILENT) {
            closeAll();
        }
        state = State.OPEN;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                switch (state) {
                    case CUT -> close(client);
                    case SILENT -> {
                        // held open, answering nothing
                    }
                    case OPEN -> {
                        Socket redis = new Socket(host, port);
                        open.add(redis);
                        daemon(() -> relay(client, redis));
                        daemon(() -> relay(redis, client));
                    }
                }
            } catch (IOException e) {
                // closed, or Redis refused: the node sees a connection that ends
            }
        }
    }

    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while (state != State.CUT && (n = in.read(buffer)) >= 0) {
                if (state == State.OPEN) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // one side went away: so does the other, below
        } finally {
            close(from);
            close(to);
        }
    }

    private void closeAll() {
        open.forEach(this::close);
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "cuttable-link");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
