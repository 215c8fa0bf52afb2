package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Request heads the router never sees, answered with the error body of API §6 instead of Vert.x's empty 400 and
 * 501. Netty reads any {@code HTTP/x.y} on the request line as a version; Vert.x then answers one other than 1.0 and
 * 1.1 with 501 from inside its own request handler, before ours. A version is not something this server lacks but
 * something the client got wrong (HTTP/2 is spoken by the TLS proxy in front), so such a head is marked as
 * undecodable as it leaves Netty's decoder, and is refused like any head Netty could not read: 400.
 */
public final class UnreadableRequests {
    private static final ChannelHandler VERSIONS = new SpokenVersions();

    private UnreadableRequests() {
    }

    /** For {@code HttpServer.connectionHandler}: heads of an unspoken HTTP version reach {@link #refuse}. */
    public static void watch(HttpConnection connection) {
        // Vert.x keeps its Netty channel out of its public API; without it, such heads keep Vert.x's 501
        if (connection instanceof ConnectionBase base) {
            ChannelHandlerContext vertx = base.channelHandlerContext();
            vertx.pipeline().addBefore(vertx.name(), "herald-http-versions", VERSIONS);
        }
    }

    /** For {@code HttpServer.invalidRequestHandler}: answers, then closes the connection, which may be out of step. */
    public static void refuse(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        HeraldException refusal;
        if (cause instanceof TooLongHttpLineException) {
            refusal = new HeraldException(ErrorCode.TOO_LARGE, "the request line is too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            refusal = new HeraldException(ErrorCode.TOO_LARGE, "the request headers are too large");
        } else if (cause instanceof UnspokenVersion v) {
            refusal = HeraldException.field(ErrorCode.INVALID_FIELD, "version", v.getMessage());
        } else {
            refusal = new HeraldException(ErrorCode.INVALID_FIELD,
                    "the request head could not be read: send METHOD TARGET HTTP/1.1, then the headers");
        }
        request.response().endHandler(v -> request.connection().close());
        ApiErrors.send(request.response(), refusal);
    }

    @ChannelHandler.Sharable
    private static final class SpokenVersions extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest head && head.decoderResult().isSuccess()
                    && !head.protocolVersion().equals(HttpVersion.HTTP_1_1)
                    && !head.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                head.setDecoderResult(DecoderResult.failure(new UnspokenVersion(head.protocolVersion())));
                // the answer's status line repeats the request's version: make it one the client can read
                head.setProtocolVersion(HttpVersion.HTTP_1_1);
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final class UnspokenVersion extends IllegalArgumentException {
        UnspokenVersion(HttpVersion version) {
            super(version.text() + " is not spoken here: send HTTP/1.1 (or HTTP/1.0)");
        }
    }
}
