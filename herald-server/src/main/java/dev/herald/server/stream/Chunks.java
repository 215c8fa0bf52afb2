package dev.herald.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.VertxConnection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes an HTTP/1.1 chunked response's chunks framed in advance: size line, bytes and CRLF in one direct buffer
 * that every reader of the event shares. The response's own write costs more than the rest of a reader's event
 * together (BENCHMARKS.md, "Where the fan-out's time goes"): a promise and a lock, the HTTP encoder making three
 * buffers of each chunk, and a copy into direct memory. A framed chunk still goes through the connection's write
 * queue (so it keeps its place among the response's other writes, and counts toward its fullness) and through the
 * idle-timeout handler, and passes the encoder as a message it does not know; a handler in front of the encoder
 * unwraps it. Used on the connection's event loop, for bodies whose headers are written.
 */
final class Chunks {
    private static final String HANDLER = "herald-chunks";
    private static final ChannelHandler UNWRAP = new Unwrap();

    private final VertxConnection connection;

    /** What the encoder lets by: any message it does not know goes on as it is. */
    private record Framed(ByteBuf chunk) {
    }

    private Chunks(VertxConnection connection) {
        this.connection = connection;
    }

    /**
     * The writer for this request's response, or null where chunks must go through the response: HTTP/1.0 or 2,
     * or a pipeline that compresses or queues chunks between the response and the encoder.
     */
    static Chunks of(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_1_1 || !(request.connection() instanceof VertxConnection c)) {
            return null;
        }
        ChannelPipeline pipeline = c.channelHandlerContext().pipeline();
        if (pipeline.get("httpEncoder") == null || pipeline.get("deflater") != null
                || pipeline.get("chunkedWriter") != null) {
            return null;
        }
        if (pipeline.get(HANDLER) == null) {
            pipeline.addBefore("httpEncoder", HANDLER, UNWRAP);
        }
        return new Chunks(c);
    }

    /** The bytes as one chunk, in memory the socket writes from without a copy; never empty, which would end the body. */
    static ByteBuf frame(Buffer bytes) {
        byte[] size = (Integer.toHexString(bytes.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuf chunk = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(size.length + bytes.length() + 2)).clear();
        return chunk.writeBytes(size).writeBytes(((BufferInternal) bytes).getByteBuf()).writeByte('\r').writeByte('\n');
    }

    /** Writes a chunk made by {@link #frame}; the chunk itself is never released, so the garbage collector frees it. */
    void write(ByteBuf chunk) {
        connection.writeToChannel(new Framed(chunk.retainedDuplicate()), connection.voidPromise);
    }

    @ChannelHandler.Sharable
    private static final class Unwrap extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof Framed f ? f.chunk() : msg, promise);
        }
    }
}
