package dev.herald.server.http;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** Query parameters read strictly: unknown names and malformed values are refused, like unknown body fields. */
public final class QueryParams {
    private final MultiMap params;

    private QueryParams(MultiMap params) {
        this.params = params;
    }

    /** Fails with {@code invalid_field} when a parameter outside {@code allowed} (or {@code access_token}) is present. */
    public static QueryParams of(RoutingContext ctx, Set<String> allowed) {
        MultiMap params = all(ctx);
        for (String name : params.names()) {
            if (!allowed.contains(name) && !name.equals("access_token")) {
                throw HeraldException.field(ErrorCode.INVALID_FIELD, name, "unknown query parameter '" + name + "'");
            }
            if (params.getAll(name).size() > 1) {
                throw HeraldException.field(ErrorCode.INVALID_FIELD, name, "query parameter '" + name + "' given twice");
            }
        }
        return new QueryParams(params);
    }

    /** Every query parameter; a query string that cannot be decoded is {@code invalid_field}, never a fault. */
    static MultiMap all(RoutingContext ctx) {
        try {
            return ctx.queryParams();
        } catch (RuntimeException e) {
            throw HeraldException.field(ErrorCode.INVALID_FIELD, "query",
                    "the query string cannot be decoded: encode '%' as %25");
        }
    }

    public String text(String name, int maxLength) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > maxLength || hasControl(v)) {
            throw HeraldException.field(ErrorCode.INVALID_FIELD, name,
                    name + " must be 1 to " + maxLength + " characters without control characters");
        }
        return v;
    }

    public long number(String name, long min, long max, long absent) {
        String v = params.get(name);
        if (v == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw HeraldException.field(ErrorCode.INVALID_FIELD, name,
                name + " must be a whole number from " + min + " to " + max);
    }

    public boolean flag(String name) {
        String v = params.get(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw HeraldException.field(ErrorCode.INVALID_FIELD, name, name + " must be true or false");
    }

    public boolean has(String name) {
        return params.contains(name);
    }

    private static boolean hasControl(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
