package dev.herald.client.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.keys.Keys;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.json.EventJson;
import dev.herald.json.JobJson;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The REST API of API.md §2 over {@code java.net.http}: one request per call, no retries. */
public final class HttpTransport implements Transport {
    private static final String PREFIX = "/api/v1";

    private final HttpExchange exchange;
    /** Sent with each write to a job: the {@code Lease-Token} of a worker's transport, else nothing. */
    private final Map<String, String> writeHeaders;

    /**
     * @param url            the server, e.g. {@code http://127.0.0.1:8080} (a trailing slash is fine)
     * @param token          the bearer token, or null to send none
     * @param requestTimeout how long one request may take before it counts as lost
     * @throws IllegalArgumentException when {@code url} is not an http(s) URL
     */
    public HttpTransport(String url, String token, Duration requestTimeout) {
        this(new HttpExchange(baseUrl(url) + PREFIX, token, requestTimeout), Map.of());
    }

    private HttpTransport(HttpExchange exchange, Map<String, String> writeHeaders) {
        this.exchange = exchange;
        this.writeHeaders = writeHeaders;
    }

    static String baseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the server's URL is required (e.g. http://127.0.0.1:8080)");
        }
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL (expected e.g. http://127.0.0.1:8080)");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL (expected e.g. http://127.0.0.1:8080)");
        }
        return trimmed;
    }

    @Override
    public Job create(NewJob job, RawJson input) {
        Map<String, String> headers = job.idempotencyKey() == null ? Map.of()
                : Map.of("Idempotency-Key", job.idempotencyKey());
        return JobJson.fromNode(exchange.post("/jobs", RequestBodies.create(job, input), headers));
    }

    @Override
    public Job get(String id) {
        return JobJson.fromNode(exchange.get(jobPath(id, "")));
    }

    @Override
    public Page list(ListQuery q) {
        JsonNode page = exchange.get("/jobs" + query(q.params()));
        List<Job> items = new ArrayList<>();
        page.path("items").forEach(j -> items.add(JobJson.fromNode(j)));
        return new Page(items, page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null);
    }

    @Override
    public Job start(String id) {
        return transition(id, "/start", "{}");
    }

    @Override
    public Job complete(String id, RawJson result) {
        return transition(id, "/complete", RequestBodies.complete(result));
    }

    @Override
    public Completed complete(String id, RawJson result, ClaimRequest next) {
        if (next == null) {
            return new Completed(complete(id, result), List.of());
        }
        JsonNode answer = exchange.post(jobPath(id, "/complete"), RequestBodies.complete(result, next), writeHeaders);
        List<Job> jobs = new ArrayList<>();
        answer.path("next").forEach(job -> jobs.add(JobJson.fromNode(job)));
        return new Completed(JobJson.fromNode(answer.path("job")), jobs);
    }

    @Override
    public Job fail(String id, JobError error) {
        return transition(id, "/fail", RequestBodies.fail(error));
    }

    @Override
    public Job cancel(String id) {
        return transition(id, "/cancel", "{}");
    }

    @Override
    public Job retry(String id) {
        return transition(id, "/retry", "{}");
    }

    @Override
    public Job retry(String id, Duration delay) {
        return transition(id, "/retry", RequestBodies.retry(delay));
    }

    private Job transition(String id, String action, String body) {
        return JobJson.fromNode(exchange.post(jobPath(id, action), body, writeHeaders));
    }

    @Override
    public Job claim(ClaimRequest request) {
        JsonNode answer = exchange.post("/jobs:claim", RequestBodies.claim(request), Map.of(),
                Duration.ofMillis(request.waitMs()));
        return answer.isMissingNode() ? null : JobJson.fromNode(answer);
    }

    @Override
    public List<Job> claimAll(ClaimRequest request) {
        ClaimRequest listed = request.limit() > 0 ? request : request.upTo(1); // a limit: answered as a list
        JsonNode answer = exchange.post("/jobs:claim", RequestBodies.claim(listed), Map.of(),
                Duration.ofMillis(request.waitMs()));
        List<Job> jobs = new ArrayList<>();
        answer.path("jobs").forEach(job -> jobs.add(JobJson.fromNode(job)));
        return jobs;
    }

    @Override
    public RawJson input(String id) {
        JsonNode input = exchange.get(jobPath(id, "/input"));
        return input.isObject() ? new RawJson(input.toString()) : null;
    }

    /** Shares this transport's connections; closing either closes both. */
    @Override
    public Transport leased(String leaseToken) {
        return new HttpTransport(exchange, Map.of("Lease-Token", leaseToken));
    }

    @Override
    public long log(String id, LogEntry entry) {
        return exchange.post(jobPath(id, "/logs"), RequestBodies.log(entry), writeHeaders).path("seq").asLong();
    }

    @Override
    public List<LogLine> logs(String id, long afterSeq, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("after", afterSeq);
        params.put("limit", limit);
        List<LogLine> lines = new ArrayList<>();
        exchange.get(jobPath(id, "/logs") + query(params)).path("items").forEach(l -> lines.add(EventJson.logFromNode(l)));
        return lines;
    }

    @Override
    public long progress(String id, ProgressReport report) {
        return exchange.post(jobPath(id, "/progress"), RequestBodies.progress(report), writeHeaders)
                .path("version").asLong();
    }

    @Override
    public List<ProgressOutcome> progress(List<ProgressEntry> entries) {
        JsonNode answer = exchange.post("/progress:batch", RequestBodies.batch(entries), Map.of());
        List<ProgressOutcome> outcomes = new ArrayList<>(entries.size());
        for (JsonNode r : answer.path("results")) {
            String jobId = entries.get(r.path("index").asInt()).jobId();
            int status = r.path("status").asInt();
            outcomes.add(status == 202 ? ProgressOutcome.accepted(jobId, r.path("version").asLong())
                    : ProgressOutcome.refused(jobId, ErrorAnswers.fromErrorObject(r.path("error"), status)));
        }
        return outcomes;
    }

    @Override
    public void heartbeat(String id) {
        exchange.post(jobPath(id, "/heartbeat"), "{}", writeHeaders);
    }

    @Override
    public Job awaitChange(String id, long afterVersion, Duration wait) {
        if (wait.isZero()) {
            return get(id);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("waitForVersion", afterVersion);
        params.put("timeoutMs", wait.toMillis());
        return JobJson.fromNode(exchange.get(jobPath(id, "") + query(params), wait));
    }

    @Override
    public EventStream events(EventQuery q, String cursor, EventSink sink) {
        Map<String, Object> params = new LinkedHashMap<>();
        String path;
        if (q.project() != null) {
            path = "/events";
            params.put("project", q.project());
        } else if (q.jobs().size() == 1) {
            path = jobPath(q.jobs().get(0), "/events");
            params.put("descendants", q.descendants() ? "true" : null);
        } else {
            path = "/events";
            params.put("jobs", String.join(",", q.jobs()));
        }
        if (q.types() != null) {
            StringJoiner types = new StringJoiner(",");
            q.types().forEach(t -> types.add(t.wire()));
            params.put("types", types.toString());
        }
        return HttpEventStream.open(exchange, path + query(params), cursor, sink);
    }

    @Override
    public Keys keys() {
        return new HttpKeys(exchange);
    }

    @Override
    public void close() {
        exchange.close();
    }

    private static String jobPath(String id, String suffix) {
        return "/jobs/" + encode(id) + suffix;
    }

    private static String query(Map<String, Object> params) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + encode(String.valueOf(v)));
            }
        });
        return q.toString();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
