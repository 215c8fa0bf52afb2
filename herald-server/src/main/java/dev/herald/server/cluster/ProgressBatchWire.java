package dev.herald.server.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.transport.RequestBodies;
import dev.herald.core.cluster.Moved;
import dev.herald.core.cluster.Peers;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.json.JobJson;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.Limits;
import dev.herald.server.rest.ProgressBodies;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwarded progress updates to one owner, as one request (docs/cluster.md §2.5): {@code POST
 * /cluster/v1/progress:batch} with {@code [{"jobId", "leaseToken"?, "report": <the public progress body>}]}, answered
 * {@code {"results": [{"version"} | {"status", "moved", "error"}]}}, one result per update, in order.
 */
final class ProgressBatchWire {
    static final String PATH = "/cluster/v1/progress:batch";
    /** The name the batch request is timed under ({@code herald.cluster.forward}). */
    static final String COMMAND = "progress:batch";

    private ProgressBatchWire() {
    }

    /** One update as the owner reads it: the report to apply, or why it could not be read. */
    record Entry(String jobId, String leaseToken, ProgressReport report, HeraldException error) { }

    static String body(List<Peers.Update> updates) {
        return write(128 * updates.size(), g -> {
            g.writeStartArray();
            for (Peers.Update u : updates) {
                g.writeStartObject();
                g.writeStringField("jobId", u.command().jobId());
                if (u.leaseToken() != null) {
                    g.writeStringField("leaseToken", u.leaseToken());
                }
                g.writeFieldName("report");
                g.writeRawValue(RequestBodies.progress(u.command().report()));
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** The updates of a batch, at most {@code max}; a report that cannot be read is refused alone. */
    static List<Entry> entries(String body, int max, Limits limits) {
        JsonNode batch = PeerWire.tree(body);
        if (!batch.isArray() || batch.size() > max) {
            throw new HeraldException(ErrorCode.INVALID_FIELD, "a batch of forwarded progress is an array of at most "
                    + max + " updates");
        }
        List<Entry> entries = new ArrayList<>(batch.size());
        for (JsonNode e : batch) {
            String jobId = e.path("jobId").asText();
            String leaseToken = e.hasNonNull("leaseToken") ? e.get("leaseToken").asText() : null;
            try {
                if (!e.path("report").isObject()) {
                    throw HeraldException.field(ErrorCode.INVALID_FIELD, "report", "a forwarded update has a report");
                }
                entries.add(new Entry(jobId, leaseToken, ProgressBodies.PROGRESS.read(e.get("report"), limits), null));
            } catch (HeraldException refused) {
                entries.add(new Entry(jobId, leaseToken, null, refused));
            }
        }
        return entries;
    }

    /** The owner's answer: per update its new version ({@code Long}) or its refusal (a {@code Throwable}). */
    static String answer(List<Object> outcomes) {
        return write(48 * outcomes.size() + 16, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (Object o : outcomes) {
                g.writeStartObject();
                if (o instanceof Long version) {
                    g.writeNumberField("version", version);
                } else {
                    HeraldException refusal = ApiErrors.refusal((Throwable) o);
                    g.writeNumberField("status", refusal.code().httpStatus());
                    g.writeBooleanField("moved", refusal instanceof Moved);
                    String error = ApiErrors.body(refusal);
                    g.writeFieldName("error");
                    // the body is {"error":{...}}: keep the inner object
                    g.writeRawValue(error.substring("{\"error\":".length(), error.length() - 1));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The owner's answer read back: per update its version or its refusal, as a single forward's would be. */
    static List<Peers.Outcome> outcomes(String body, int expected) {
        JsonNode results = PeerWire.tree(body).path("results");
        if (!results.isArray() || results.size() != expected) {
            throw new IllegalStateException("the owner answered " + results.size() + " results for " + expected);
        }
        List<Peers.Outcome> outcomes = new ArrayList<>(expected);
        for (JsonNode r : results) {
            outcomes.add(r.has("version") ? Peers.Outcome.applied(r.get("version").asLong())
                    : Peers.Outcome.refused(PeerWire.refusal(r.path("status").asInt(),
                            r.path("moved").asBoolean(), r.get("error"))));
        }
        return outcomes;
    }

    private interface Json {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(int size, Json json) {
        StringWriter out = new StringWriter(size);
        try (JsonGenerator g = JobJson.mapper().getFactory().createGenerator(out)) {
            json.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
