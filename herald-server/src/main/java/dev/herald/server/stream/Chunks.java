package dev.herald.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
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
 * idle-timeout handler, but enters the pipeline below the HTTP encoder, which has nothing to do with it. Used on the
 * connection's event loop, for bodies whose headers are written.
 */
final class Chunks {
    private final VertxConnection connection;
    /** The encoder's place in the pipeline: what is written from it goes to the handlers below the encoder. */
    private final ChannelHandlerContext belowEncoder;

    private Chunks(VertxConnection connection, ChannelHandlerContext belowEncoder) {
        this.connection = connection;
        this.belowEncoder = belowEncoder;
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
        ChannelHandlerContext encoder = pipeline.context("httpEncoder");
        if (encoder == null || pipeline.get("deflater") != null || pipeline.get("chunkedWriter") != null) {
            return null;
        }
        return new Chunks(c, encoder);
    }

    /**
     * The bytes as one chunk, in memory the socket writes from without a copy; never empty, which would end the body.
     * Never released, so the garbage collector frees it: readers on several event loops share it without counting
     * references.
     */
    static ByteBuf frame(Buffer bytes) {
        byte[] size = (Integer.toHexString(bytes.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuf chunk = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(size.length + bytes.length() + 2)).clear();
        chunk.writeBytes(size).writeBytes(((BufferInternal) bytes).getByteBuf()).writeByte('\r').writeByte('\n');
        return Unpooled.unreleasableBuffer(chunk);
    }

    /**
     * Writes a chunk made by {@link #frame}; unless {@code flush}, it waits in the connection for {@link #flush}, so
     * that several go to the socket in one system call.
     */
    void write(ByteBuf chunk, boolean flush) {
        // a duplicate: each connection's socket moves its own reader index as it writes
        ByteBuf own = chunk.duplicate();
        if (flush) {
            connection.writeToChannel(() -> belowEncoder.writeAndFlush(own, connection.voidPromise));
        } else {
            connection.writeToChannel(() -> belowEncoder.write(own, connection.voidPromise));
        }
    }

    /** Sends the chunks written without a flush: they are events a reader waits for. */
    void flush() {
        connection.writeToChannel(belowEncoder::flush);
    }
}
