package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.json.JsonText;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one place where refusals become HTTP answers: {@code {"error":{"code","message","field"?}}} (API §6). */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** Unwraps future wrappers; anything that is not a {@link HeraldException} is a fault of ours, logged, 503. */
    public static HeraldException refusal(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HeraldException h) {
            return h;
        }
        LOG.error("unexpected failure", cause);
        return new HeraldException(ErrorCode.UNAVAILABLE, "the server could not complete the request; try again");
    }

    public static void send(RoutingContext ctx, Throwable t) {
        send(ctx.response(), refusal(t));
    }

    public static void send(HttpServerResponse response, HeraldException e) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        if ((e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.RATE_LIMITED)
                && !response.headers().contains("Retry-After")) {
            response.putHeader("Retry-After", "1");
        }
        response.setStatusCode(e.code().httpStatus())
                .putHeader("Content-Type", "application/json")
                .end(body(e));
    }

    public static String body(HeraldException e) {
        return JsonText.object(g -> {
            g.writeObjectFieldStart("error");
            g.writeStringField("code", e.code().wire());
            g.writeStringField("message", e.getMessage());
            if (e.field() != null) {
                g.writeStringField("field", e.field());
            }
            if (e.status() != null) {
                g.writeStringField("status", e.status().wire());
            }
            g.writeEndObject();
        });
    }
}
