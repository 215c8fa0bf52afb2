package dev.herald.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.List;

/**
 * The logging of the whole process, set up in one place. Every line ends in Logback, written to standard error
 * in one format at one level:
 * <ul>
 *   <li>SLF4J: the server, the store, HikariCP, and Vert.x and Netty, which choose SLF4J when it is there;</li>
 *   <li>{@link System.Logger}: the core and the JDK, through slf4j-jdk-platform-logging;</li>
 *   <li>java.util.logging: the PostgreSQL driver and anything older, through jul-to-slf4j; the levels set here
 *       are copied to it, so a line below the level is dropped before it is bridged.</li>
 * </ul>
 */
public final class LogSetup {
    private static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z', UTC} [%thread] %-5level %logger - %msg%n";
    /** Loggers whose info lines are routine chatter (a pool starting, a pool closing): out at info. */
    private static final List<String> QUIET_AT_INFO = List.of("com.zaxxer.hikari");

    private LogSetup() {
    }

    /** Sets up logging anew; lines logged from now on follow the options. */
    public static void apply(LogOptions options) {
        apply((LoggerContext) LoggerFactory.getILoggerFactory(), options);
    }

    static void apply(LoggerContext context, LogOptions options) {
        context.reset();
        context.getCopyOfListenerList().stream().filter(LevelChangePropagator.class::isInstance)
                .forEach(context::removeListener);
        LevelChangePropagator toJul = new LevelChangePropagator();
        toJul.setContext(context);
        toJul.setResetJUL(true);
        toJul.start();
        context.addListener(toJul);
        if (!SLF4JBridgeHandler.isInstalled()) {
            // its own console handler would print every java.util.logging line a second time
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, options.format()));
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(options.level().name()));
        root.addAppender(console);
        Level quiet = options.level() == LogOptions.Level.INFO ? Level.WARN : null;
        QUIET_AT_INFO.forEach(name -> context.getLogger(name).setLevel(quiet));
    }

    private static EncoderBase<ILoggingEvent> encoder(LoggerContext context, LogOptions.Format format) {
        EncoderBase<ILoggingEvent> encoder;
        if (format == LogOptions.Format.JSON) {
            encoder = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern(TEXT_PATTERN);
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
