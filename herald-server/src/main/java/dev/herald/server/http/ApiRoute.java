package dev.herald.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * One route of the public API: what the router serves and what {@code /openapi.json}
 * describes come from the same list, so the two cannot drift apart.
 *
 * @param path     below {@code /api/v1}, with {@code {id}} for the job id
 * @param bodyLimit the largest body accepted, 0 for a route that takes none
 * @param stream   answers with an event stream rather than JSON
 */
public record ApiRoute(HttpMethod method, String path, String summary, int success, int bodyLimit, boolean stream,
                       Handler<RoutingContext> handler) {

    public static final String PREFIX = "/api/v1";

    /** The path in Vert.x form; the colon of {@code progress:batch} is not a parameter, so that path is a regex. */
    public boolean isRegex() {
        return path.contains(":");
    }

    public String routerPath() {
        if (isRegex()) {
            return java.util.regex.Pattern.quote(PREFIX + path);
        }
        return PREFIX + path.replace("{id}", ":id");
    }

    /** Whether a request path is this route's, whatever the method. */
    public boolean matches(String requestPath) {
        String[] want = (PREFIX + path).split("/", -1);
        String[] got = requestPath.split("/", -1);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!(want[i].equals("{id}") ? !got[i].isEmpty() : want[i].equals(got[i]))) {
                return false;
            }
        }
        return true;
    }

    public String operationId() {
        StringBuilder b = new StringBuilder(method.name().toLowerCase(java.util.Locale.ROOT));
        for (String part : path.split("[/:{}]")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}
