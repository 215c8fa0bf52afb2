package dev.herald.server.rest;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.body.Body;
import dev.herald.server.edge.body.Check;
import dev.herald.server.edge.body.Field;
import dev.herald.server.edge.body.Numbers;
import dev.herald.server.edge.body.ObjectShape;
import dev.herald.server.edge.body.Shapes;
import dev.herald.server.edge.body.Text;
import dev.herald.server.edge.body.Values;

import java.util.List;

/** What workers send while a job runs (API §2): progress, batches of it, and log lines. */
public final class ProgressBodies {
    private static final Field<String> STAGE = Field.optional("stage", Text.ID);
    private static final Field<Integer> STAGE_INDEX = Field.optional("stageIndex", Numbers.index());
    private static final Field<Double> CURRENT = Field.optional("current", Numbers.amount());
    private static final Field<Double> TOTAL = Field.optional("total", Numbers.amount());
    private static final Field<String> UNIT = Field.optional("unit", Text.LABEL);
    private static final Field<Double> PERCENT = Field.optional("percent", Numbers.percent());
    private static final Field<String> MESSAGE = Field.optional("message", Text.MESSAGE);
    private static final Field<RawJson> METADATA =
            Field.optional("metadata", Shapes.jsonObject(Limits::maxMetadataBytes));
    private static final Check CURRENT_WITHIN_TOTAL = new Check(v -> {
        Double current = v.get(CURRENT);
        Double total = v.get(TOTAL);
        if (current != null && total != null && current > total) {
            throw HeraldException.field(ErrorCode.INVALID_PROGRESS, "current",
                    "'current' (" + current + ") is larger than 'total' (" + total + ")");
        }
    });
    private static final ObjectShape<ProgressReport> REPORT = ObjectShape.of(
            "Progress: only the fields given change. {} is a touch.", ProgressBodies::report,
            STAGE, STAGE_INDEX, CURRENT, TOTAL, CURRENT_WITHIN_TOTAL, UNIT, PERCENT, MESSAGE, METADATA);

    static final Field<String> JOB_ID = Field.required("jobId", Text.ID);
    /** A batch entry: a report and the job it is for. */
    static final ObjectShape<BatchEntry> ENTRY = REPORT.withFirst(JOB_ID, "Progress of one job.",
            v -> BatchEntry.accepted(v.get(JOB_ID), report(v)));

    private static final Field<LogLevel> LEVEL =
            Field.required("level", Shapes.choice(List.of(LogLevel.values()), LogLevel::wire));
    private static final Field<String> LOG_MESSAGE = Field.required("message", Text.MESSAGE);
    private static final Field<RawJson> LOG_FIELDS =
            Field.optional("fields", Shapes.jsonObject(Limits::maxLogFieldsBytes));

    /** {@code POST /jobs/{id}/progress}; an empty object is a touch. */
    public static final Body<ProgressReport> PROGRESS = Body.required("ProgressReport", REPORT);

    /** {@code POST /progress:batch}: an entry that is not valid carries its error, so the rest still apply. */
    public static final Body<List<BatchEntry>> BATCH = Body.required("Batch", new BatchShape());

    /** {@code POST /jobs/{id}/logs}. */
    public static final Body<LogEntry> LOG = Body.required("LogEntry", ObjectShape.of("A log line.",
            v -> new LogEntry(v.get(LEVEL), v.get(LOG_MESSAGE), v.get(LOG_FIELDS)), LEVEL, LOG_MESSAGE, LOG_FIELDS));

    private ProgressBodies() {
    }

    private static ProgressReport report(Values v) {
        return new ProgressReport(v.get(STAGE), v.get(STAGE_INDEX), v.get(CURRENT), v.get(TOTAL), v.get(UNIT),
                v.get(PERCENT), v.get(MESSAGE), v.get(METADATA));
    }
}
