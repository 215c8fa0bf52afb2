package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Set;

/** Query parameters read strictly: unknown names and malformed values are refused, like unknown body fields. */
public final class QueryParams {
    private final MultiMap params;

    private QueryParams(MultiMap params) {
        this.params = params;
    }

    /**
     * The query parameters of the request, checked against those its route declares in the route table (see
     * {@link ApiRoute#params()}); fails with {@code invalid_field} when any other is present, or one is given twice.
     */
    public static QueryParams of(RoutingContext ctx) {
        MultiMap params = all(ctx);
        if (params.isEmpty()) {
            return new QueryParams(params); // the ingest path: nothing to check
        }
        Set<String> allowed = ApiRoute.serving(ctx).queryNames();
        for (String name : params.names()) {
            if (!allowed.contains(name)) {
                throw HeraldException.field(ErrorCode.INVALID_FIELD, name, "unknown query parameter '" + name + "'");
            }
            if (params.getAll(name).size() > 1) {
                throw HeraldException.field(ErrorCode.INVALID_FIELD, name, "query parameter '" + name + "' given twice");
            }
        }
        return new QueryParams(params);
    }

    /** Parameters given by name rather than in a request (a value that is null is absent), read by the same rules. */
    public static QueryParams of(Map<String, ?> params) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        params.forEach((name, value) -> {
            if (value != null) {
                m.add(name, String.valueOf(value));
            }
        });
        return new QueryParams(m);
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

    private long number(String name, long min, long max, long absent) {
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

    /** An integer parameter within its declared bounds; when absent, its default, or -1 when it has none. */
    public long number(ApiParam p) {
        return number(p.name(), p.min(), p.max(), p.byDefault() == null ? -1 : p.byDefault());
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
