package dev.herald.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.IdGenerator;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.engine.LeasedWrites;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.LogLine;
import dev.herald.json.EventJson;
import dev.herald.json.JobJson;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.ApiParam;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import dev.herald.server.edge.Writes;
import dev.herald.server.metrics.HeraldMetrics;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What workers send while a job runs: progress, batches of it, and log lines (API §2). */
public final class ProgressRoutes {
    private final JobEngine engine;
    private final BodyReader bodies;
    private final HeraldMetrics metrics;
    private final Access access;

    public ProgressRoutes(JobEngine engine, Access access, BodyReader bodies, HeraldMetrics metrics) {
        this.engine = engine;
        this.access = access;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    public void progress(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        var report = bodies.read(ctx, ProgressBodies.PROGRESS);
        Principal caller = Auth.caller(ctx);
        String leaseToken = Http.leaseToken(ctx);
        CompletableFuture<Long> accepted = access.write(caller, id)
                .thenCompose(allowed -> apply(engine.leased(leaseToken), id, report));
        Http.answer(ctx, accepted, (c, version) -> Http.json(c, 202, "{\"version\":" + version + "}"));
    }

    /**
     * Applies a report to a job the caller may write: its new version. Every accepted update is counted here, so
     * that REST, a batch and the in-process client count alike.
     */
    public CompletableFuture<Long> apply(String id, ProgressReport report) {
        return apply(engine.leased(null), id, report);
    }

    /** {@link #apply(String, ProgressReport)} by the worker holding this lease token (null: no lease). */
    public CompletableFuture<Long> apply(String id, ProgressReport report, String leaseToken) {
        return apply(engine.leased(leaseToken), id, report);
    }

    private CompletableFuture<Long> apply(LeasedWrites writes, String id, ProgressReport report) {
        return writes.progress(id, report).thenApply(version -> {
            metrics.progressUpdates(1);
            return version;
        });
    }

    /** Applies every entry on its own; the answer says, per entry, its new version or its error. */
    public void batch(RoutingContext ctx) {
        QueryParams.of(ctx);
        Principal caller = Auth.caller(ctx);
        Access.requireWrite(caller);
        List<BatchEntry> entries = bodies.read(ctx, ProgressBodies.BATCH);
        Writes.chargeEntries(ctx, entries.size());
        List<CompletableFuture<Object>> outcomes = new ArrayList<>(entries.size());
        for (BatchEntry e : entries) {
            outcomes.add(outcome(caller, e));
        }
        Http.answer(ctx, CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)), (c, v) -> {
            StringWriter out = new StringWriter(64 * entries.size() + 32);
            try (JsonGenerator g = JobJson.mapper().getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeArrayFieldStart("results");
                for (int i = 0; i < entries.size(); i++) {
                    Object outcome = outcomes.get(i).join();
                    g.writeStartObject();
                    g.writeNumberField("index", i);
                    g.writeStringField("jobId", entries.get(i).jobId());
                    if (outcome instanceof Long version) {
                        g.writeNumberField("status", 202);
                        g.writeNumberField("version", version);
                    } else {
                        HeraldException error = (HeraldException) outcome;
                        g.writeNumberField("status", error.code().httpStatus());
                        g.writeFieldName("error");
                        g.writeRawValue(errorObject(error));
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Http.json(c, 200, out.toString());
        });
    }

    /** The entry's new version ({@code Long}) or its refusal ({@code HeraldException}). */
    public CompletableFuture<Object> outcome(Principal caller, BatchEntry e) {
        if (e.error() != null) {
            return CompletableFuture.completedFuture(e.error());
        }
        if (!IdGenerator.looksLikeJobId(e.jobId())) {
            return CompletableFuture.completedFuture(HeraldException.notFound());
        }
        return access.write(caller, e.jobId()).thenCompose(allowed -> apply(e.jobId(), e.report()))
                .handle((version, error) -> error == null ? version : ApiErrors.refusal(error));
    }

    private static String errorObject(HeraldException e) {
        String body = ApiErrors.body(e);
        // the body is {"error":{...}}: keep the inner object
        return body.substring("{\"error\":".length(), body.length() - 1);
    }

    public void appendLog(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        var entry = bodies.read(ctx, ProgressBodies.LOG);
        LeasedWrites writes = engine.leased(Http.leaseToken(ctx));
        Http.answer(ctx, access.write(Auth.caller(ctx), id).thenCompose(allowed -> writes.log(id, entry)),
                (c, line) -> Http.json(c, 202, "{\"seq\":" + line.seq() + "}"));
    }

    public void logs(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams q = QueryParams.of(ctx);
        long after = q.number(ApiParam.LOG_AFTER);
        int limit = (int) q.number(ApiParam.LOG_LIMIT);
        Http.answer(ctx, access.read(Auth.caller(ctx), id).thenCompose(job -> engine.logs(id, after, limit)),
                (c, lines) -> {
            StringWriter out = new StringWriter(128 * lines.size() + 32);
            try (JsonGenerator g = JobJson.mapper().getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeArrayFieldStart("items");
                for (LogLine l : lines) {
                    EventJson.writeLog(g, l);
                }
                g.writeEndArray();
                if (lines.size() == limit) {
                    g.writeNumberField("nextAfter", lines.get(lines.size() - 1).seq());
                } else {
                    g.writeNullField("nextAfter");
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Http.json(c, 200, out.toString());
        });
    }
}
