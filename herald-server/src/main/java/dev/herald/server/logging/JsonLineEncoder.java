package dev.herald.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.herald.json.JsonText;
import dev.herald.json.Times;

import java.nio.charset.StandardCharsets;

/**
 * One JSON object a line: {@code time} (ISO-8601, UTC, milliseconds), {@code level}, {@code logger},
 * {@code thread}, {@code message}, and {@code stack} (the exception as Java prints it) when there is one.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    @Override
    public byte[] encode(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        String line = JsonText.object(g -> {
            g.writeStringField("time", Times.format(event.getInstant()));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            if (thrown != null) {
                g.writeStringField("stack", ThrowableProxyUtil.asString(thrown));
            }
        });
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
