package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.edge.body.Body;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;

/** Reads the body a route declares: JSON by its Content-Type, parsed strictly, then read by its shape. */
public final class BodyReader {
    private final Limits limits;
    private final JsonBody parser;

    public BodyReader(Limits limits) {
        this.limits = limits;
        this.parser = new JsonBody(limits);
    }

    /**
     * The request's body, read as {@code body}; refuses a body that is not declared as JSON (415), and any
     * other fault of the body with the error of API §6.
     *
     * @throws IllegalStateException when the route serving the request declares another body: a handler can
     *                               only read what {@code /openapi.json} documents
     */
    public <T> T read(RoutingContext ctx, Body<T> body) {
        Body<?> declared = ApiRoute.serving(ctx).body();
        if (declared != body) {
            throw new IllegalStateException(ApiRoute.serving(ctx).label() + " declares the body "
                    + (declared == null ? "none" : declared.name()) + ", not " + body.name());
        }
        Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        byte[] bytes = buffer == null ? new byte[0] : buffer.getBytes();
        // a declared type must be JSON even without bytes: a form body would otherwise be taken as no body
        String type = ctx.request().getHeader("Content-Type");
        boolean json = type != null && mediaType(type).equalsIgnoreCase(Http.JSON);
        if ((type != null || bytes.length > 0) && !json) {
            throw new HeraldException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as JSON with 'Content-Type: application/json'");
        }
        return read(bytes, body);
    }

    /** The type without its parameters ({@code ; charset=...}). */
    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
    }

    /** A body given as JSON text, read as {@code body}: what a route reads from a request, without one. */
    public <T> T read(String json, Body<T> body) {
        return read(json.getBytes(StandardCharsets.UTF_8), body);
    }

    private <T> T read(byte[] bytes, Body<T> body) {
        return body.read(parser.parse(bytes, !body.required(), body.limit(limits)), limits);
    }
}
