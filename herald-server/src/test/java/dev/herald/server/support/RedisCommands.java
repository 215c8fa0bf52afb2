package dev.herald.server.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The machine's Redis (127.0.0.1:6379) as a test speaks to it: a command at a time over a plain socket, to cut
 * nodes' connections as a network or an operator would.
 */
public final class RedisCommands {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 6379;

    private RedisCommands() {
    }

    /** Closes the subscribing connection of every node of the cluster {@code name}: they lose what is sent meanwhile. */
    public static int killSubscribers(String name) {
        String prefix = " name=herald-bus:" + name + ":";
        int killed = 0;
        for (String client : command("CLIENT", "LIST", "TYPE", "pubsub").split("\n")) {
            int at = client.indexOf(prefix);
            if (at >= 0 && client.indexOf(":sub ", at) > 0) {
                String id = client.substring(client.indexOf("id=") + 3, client.indexOf(' '));
                killed += Integer.parseInt(command("CLIENT", "KILL", "ID", id));
            }
        }
        return killed;
    }

    /** One command; its answer as text (a bulk string, a status or a number), or IllegalStateException on an error. */
    public static String command(String... args) {
        try (Socket s = new Socket(HOST, PORT)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            int kind = in.read();
            String line = line(in);
            return switch (kind) {
                case '+', ':' -> line;
                case '$' -> new String(in.readNBytes(Integer.parseInt(line)), StandardCharsets.UTF_8);
                default -> throw new IllegalStateException("Redis answered " + (char) kind + line);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.write(b);
        }
        in.read();
        return line.toString(StandardCharsets.UTF_8);
    }
}
