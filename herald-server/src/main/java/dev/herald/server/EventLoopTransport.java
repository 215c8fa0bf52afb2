package dev.herald.server;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;

import java.util.Locale;

/**
 * The Netty transport the event loops run on: Linux's epoll where its native library loads, else Java's NIO. Each
 * stream write is a system call on its own connection, and epoll's costs less CPU than NIO's (BENCHMARKS.md, "Issue
 * 13: native transport"); io_uring measured no better and is left out. The system property {@code herald.transport}
 * ({@code nio} or {@code epoll}) picks one, to compare them or to step around a native library that misbehaves.
 */
final class EventLoopTransport {
    static final String PROPERTY = "herald.transport";
    private static final System.Logger LOG = System.getLogger(EventLoopTransport.class.getName());

    private EventLoopTransport() {
    }

    /** A Vert.x on the transport the system property names, epoll by default. */
    static Vertx start() {
        return start(System.getProperty(PROPERTY, "epoll"));
    }

    /** A Vert.x on this transport, saying which in the log, and why not the native one when it falls back. */
    static Vertx start(String name) {
        Transport wanted = wanted(name);
        Transport transport = wanted != null && wanted.available() ? wanted : Transport.NIO;
        if (transport != wanted) {
            LOG.log(System.Logger.Level.INFO, "event loops on Java NIO: {0}", wanted == null
                    ? "no such transport on the class path" : wanted.unavailabilityCause());
        } else {
            LOG.log(System.Logger.Level.INFO, "event loops on {0}", transport.name());
        }
        return Vertx.builder().withTransport(transport).build();
    }

    private static Transport wanted(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "nio" -> Transport.NIO;
            case "epoll" -> Transport.EPOLL;
            default -> throw new IllegalStateException(PROPERTY + " is nio or epoll, not " + name);
        };
    }
}
