package dev.herald.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle SSE streams held by one thread over plain non-blocking sockets, as cheap on this side as a stream can
 * be (an SDK watch holds a client, parser and delivery state each), so that 10 000 of them fit beside the server.
 * A stream counts as open once its first {@code data:} line (the snapshot) arrived after a {@code 200}; after that,
 * what it receives (keep-alive comments) is read and dropped. At most a window of streams is being opened at once.
 */
final class IdleSseStreams implements AutoCloseable {
    private static final byte[] DATA = "\ndata:".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final Selector selector = Selector.open();
    private final ConcurrentLinkedQueue<byte[]> requests = new ConcurrentLinkedQueue<>();
    private final Semaphore window;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final Thread loop = new Thread(this::run, "idle-sse-streams");
    private volatile boolean closing;

    IdleSseStreams(InetSocketAddress server, int window) throws IOException {
        this.server = server;
        this.window = new Semaphore(window);
        loop.setDaemon(true);
        loop.start();
    }

    /** Starts opening a stream of {@code path} read with {@code token}; waits while the window is full. */
    void open(String path, String token) throws InterruptedException {
        if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no stream opened within 60 s; " + open.get() + " open so far");
        }
        requests.add(("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        selector.wakeup();
    }

    /** Waits until {@code n} streams are open or failed; false on time-out. */
    boolean await(int n, long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        while (open.get() + failed.get() < n) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20); // polling a counter, not timing anything
        }
        return true;
    }

    int open() {
        return open.get();
    }

    int failed() {
        return failed.get();
    }

    /** Open streams the server closed since. */
    int lost() {
        return lost.get();
    }

    /** One connection's reading state: the status line's first bytes, then how much of "\ndata:" matched. */
    private static final class Stream {
        final byte[] request;
        final StringBuilder head = new StringBuilder();
        int matched;
        boolean open;

        Stream(byte[] request) {
            this.request = request;
        }
    }

    private void run() {
        try {
            while (!closing) {
                selector.select(500);
                for (byte[] r; (r = requests.poll()) != null; ) {
                    connect(r);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                System.out.println("idle streams: the selector failed: " + e);
            }
        }
    }

    private void connect(byte[] request) throws IOException {
        SocketChannel c = SocketChannel.open();
        c.configureBlocking(false);
        c.connect(server);
        c.register(selector, SelectionKey.OP_CONNECT, new Stream(request));
    }

    private void handle(SelectionKey key) {
        SocketChannel c = (SocketChannel) key.channel();
        Stream s = (Stream) key.attachment();
        try {
            if (key.isConnectable()) {
                c.finishConnect();
                ByteBuffer out = ByteBuffer.wrap(s.request);
                while (out.hasRemaining()) {
                    c.write(out); // a few hundred bytes into an empty socket buffer
                }
                key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
                in.clear();
                int read = c.read(in);
                if (read < 0) {
                    end(key, s, "closed by the server");
                } else if (!s.open) {
                    scan(key, s, read);
                }
            }
        } catch (IOException e) {
            end(key, s, e.toString());
        }
    }

    private void scan(SelectionKey key, Stream s, int read) {
        for (int i = 0; i < read && !s.open; i++) {
            byte b = in.get(i);
            if (s.head.length() < 12) {
                s.head.append((char) b);
                if (s.head.length() == 12 && !s.head.toString().equals("HTTP/1.1 200")) {
                    end(key, s, "answered " + s.head + " " + new String(in.array(), i + 1,
                            Math.min(200, read - i - 1), StandardCharsets.US_ASCII));
                    return;
                }
            }
            s.matched = b == DATA[s.matched] ? s.matched + 1 : (b == DATA[0] ? 1 : 0);
            if (s.matched == DATA.length) {
                s.open = true;
                open.incrementAndGet();
                window.release();
            }
        }
    }

    private void end(SelectionKey key, Stream s, String why) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing a socket that already failed
        }
        if (closing) {
            return;
        }
        if (s.open) {
            lost.incrementAndGet();
        } else {
            window.release();
            if (failed.incrementAndGet() <= 3) {
                System.out.println("stream refused: " + why);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closing = true;
        selector.wakeup();
        loop.join(5000);
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
