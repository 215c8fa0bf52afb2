package dev.herald.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.herald.core.estimate.HistoryStats;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.history.RunHistory;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobQuery;
import dev.herald.json.JobJson;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.QueryParams;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /stats/types?project=P} (API §10): per job type of a project, its runs finished, success rate,
 * duration p50/p90 and each stage's p50. A project the caller may not read, or a caller held to some jobs by
 * a {@code jobs} claim, sees no types: the figures are about every job of the project. And {@code GET
 * /stats/statuses}, an addition: how many jobs match a listing's filters, by status, for live counts.
 */
public final class StatsRoutes {
    private final JobEngine engine;
    private final Limits limits;

    public StatsRoutes(JobEngine engine, Limits limits) {
        this.engine = engine;
        this.limits = limits;
    }

    public void types(RoutingContext ctx) {
        QueryParams q = QueryParams.of(ctx);
        String project = q.text("project", limits.maxNameChars());
        if (project == null || project.isEmpty()) {
            throw Http.invalid("project", "project is required: the job types of which project?");
        }
        Principal caller = Auth.caller(ctx);
        CompletableFuture<List<RunHistory>> histories = caller.mayReadProject(project) && caller.jobs() == null
                ? engine.histories(project) : CompletableFuture.completedFuture(List.of());
        Http.answer(ctx, histories, StatsRoutes::answer);
    }

    /**
     * The counts of the jobs {@code GET /jobs} would list with these filters, every page; within the caller's
     * projects, and none for a caller held to some jobs (counting those would need every job read).
     */
    public void statuses(RoutingContext ctx) {
        QueryParams q = QueryParams.of(ctx);
        String project = q.has("project") ? q.text("project", limits.maxNameChars()) : null;
        if (project != null && project.isEmpty()) {
            throw Http.invalid("project", "project is empty: leave it out to count every project");
        }
        Principal caller = Auth.caller(ctx);
        JobQuery query = new JobQuery(caller.projectsToList(project), null, q.text("type", limits.maxNameChars()),
                q.text("parentId", limits.maxNameChars()), q.text("owner", limits.maxNameChars()), 1, null);
        CompletableFuture<Map<JobStatus, Long>> counts = caller.jobs() == null ? engine.countByStatus(query)
                : CompletableFuture.completedFuture(Map.of());
        Http.answer(ctx, counts, StatsRoutes::counts);
    }

    private static void counts(RoutingContext ctx, Map<JobStatus, Long> counts) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JobJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("counts");
            for (JobStatus status : JobStatus.values()) {
                g.writeNumberField(status.wire(), counts.getOrDefault(status, 0L));
            }
            g.writeEndObject();
            g.writeNumberField("total", counts.values().stream().mapToLong(Long::longValue).sum());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http.json(ctx, 200, out.toString());
    }

    private static void answer(RoutingContext ctx, List<RunHistory> histories) {
        StringWriter out = new StringWriter(256 + 256 * histories.size());
        try (JsonGenerator g = JobJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (RunHistory h : histories) {
                write(g, h.type(), HistoryStats.of(h));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http.json(ctx, 200, out.toString());
    }

    private static void write(JsonGenerator g, String type, HistoryStats stats) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        g.writeNumberField("finished", stats.finished());
        g.writeNumberField("succeeded", stats.succeeded());
        g.writeNumberField("successRate", stats.successRate());
        g.writeNumberField("sampleSize", stats.sampleSize());
        g.writeNumberField("p50Ms", stats.p50());
        g.writeNumberField("p90Ms", stats.p90());
        g.writeArrayFieldStart("stages");
        for (Map.Entry<String, Long> stage : stats.stageMedians().entrySet()) {
            g.writeStartObject();
            g.writeStringField("name", stage.getKey());
            g.writeNumberField("p50Ms", stage.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
