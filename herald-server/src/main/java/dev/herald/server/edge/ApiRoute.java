package dev.herald.server.edge;

import dev.herald.server.edge.body.Body;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One route of the public API: what the router serves, which query parameters it accepts and what
 * {@code /openapi.json} describes all come from this record, so they cannot drift apart. Answer schema names
 * are those of {@code ApiSchemas}.
 *
 * @param path      below {@code /api/v1}, with {@code {id}} for the job (or key) id
 * @param body      the body the route takes, or null for none
 * @param stream    an event stream or WebSocket: browsers cannot give those headers, so they also take the
 *                  token as {@code ?access_token=}
 * @param answers   the successful answers
 * @param params    the query parameters and request headers the route reads
 * @param errors    the error statuses the route can give besides 400, 401 and 503, which every route can
 */
public record ApiRoute(HttpMethod method, String path, String summary, Handler<RoutingContext> handler,
                       Body<?> body, boolean stream, List<Answer> answers,
                       List<ApiParam> params, List<Integer> errors) {

    public static final String PREFIX = "/api/v1";
    /** The query parameter that carries the token on streams. */
    public static final String ACCESS_TOKEN = "access_token";
    /** Where the router keeps each Vert.x route's {@code ApiRoute}. */
    public static final String METADATA = "herald.api";

    /**
     * A successful answer.
     *
     * @param schema  the schema of the JSON body, or null for an answer without one
     * @param headers the response headers it carries, among {@code ETag}, {@code Location}
     */
    public record Answer(int status, String schema, String description, List<String> headers) {
        public Answer {
            headers = List.copyOf(headers);
        }
    }

    public ApiRoute {
        answers = List.copyOf(answers);
        params = List.copyOf(params);
        errors = List.copyOf(errors);
    }

    public static ApiRoute get(String path, String summary, Handler<RoutingContext> handler) {
        return new ApiRoute(HttpMethod.GET, path, summary, handler, null, false, List.of(), List.of(),
                List.of());
    }

    public static ApiRoute post(String path, String summary, Handler<RoutingContext> handler) {
        return new ApiRoute(HttpMethod.POST, path, summary, handler, null, false, List.of(), List.of(),
                List.of());
    }

    public ApiRoute body(Body<?> declared) {
        return new ApiRoute(method, path, summary, handler, declared, stream, answers, params, errors);
    }

    public ApiRoute streaming() {
        return new ApiRoute(method, path, summary, handler, body, true, answers, params,
                errors);
    }

    public ApiRoute answer(int status, String schema, String description, String... headers) {
        List<Answer> all = new ArrayList<>(answers);
        all.add(new Answer(status, schema, description, List.of(headers)));
        return new ApiRoute(method, path, summary, handler, body, stream, all, params,
                errors);
    }

    public ApiRoute params(ApiParam... more) {
        return new ApiRoute(method, path, summary, handler, body, stream, answers,
                List.of(more), errors);
    }

    public ApiRoute errors(Integer... statuses) {
        return new ApiRoute(method, path, summary, handler, body, stream, answers,
                params, List.of(statuses));
    }

    /** The names of the query parameters the route accepts; any other is refused (see {@link QueryParams}). */
    public Set<String> queryNames() {
        Set<String> names = new LinkedHashSet<>();
        params.stream().filter(p -> !p.header()).forEach(p -> names.add(p.name()));
        if (stream) {
            names.add(ACCESS_TOKEN);
        }
        return names;
    }

    /** The route serving the request, as the router recorded it. */
    public static ApiRoute serving(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        Object api = route == null ? null : route.getMetadata(METADATA);
        if (!(api instanceof ApiRoute r)) {
            throw new IllegalStateException("not an API route: " + ctx.request().path());
        }
        return r;
    }

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

    /** What the metrics call the route: its method and path template, never a job id. */
    public String label() {
        return method + " " + path;
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
