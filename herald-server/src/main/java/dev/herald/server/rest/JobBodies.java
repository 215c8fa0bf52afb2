package dev.herald.server.rest;

import dev.herald.core.command.NewJob;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.body.Body;
import dev.herald.server.edge.body.Field;
import dev.herald.server.edge.body.Numbers;
import dev.herald.server.edge.body.ObjectShape;
import dev.herald.server.edge.body.Shapes;
import dev.herald.server.edge.body.Text;

import java.util.List;

/** The bodies of the job routes (API §2): create and the changes of status. */
public final class JobBodies {
    private static final Field<String> TYPE = Field.required("type", Text.ID);
    private static final Field<String> NAME = Field.optional("name", Text.LABEL);
    private static final Field<String> PROJECT = Field.optional("project", Text.ID);
    private static final Field<String> PARENT_ID = Field.optional("parentId", Text.ID);
    private static final Field<List<Stage>> STAGES = Field.optional("stages", new StageList(), List.of());
    private static final Field<Double> TOTAL = Field.optional("total", Numbers.amount());
    private static final Field<String> UNIT = Field.optional("unit", Text.LABEL);
    private static final Field<RawJson> METADATA =
            Field.optional("metadata", Shapes.jsonObject(Limits::maxMetadataBytes));
    private static final Field<Boolean> COMPLETE_WITH_CHILDREN =
            Field.optional("completeWithChildren", Shapes.flag(), false);
    private static final Field<JobStatus> STATUS = Field.optional("status",
            Shapes.choice(List.of(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING), JobStatus::wire),
            JobStatus.PENDING);
    private static final Field<Long> MAX_ATTEMPTS =
            Field.optional("maxAttempts", Numbers.whole(1, NewJob.MAX_ATTEMPTS), 1L);

    /** The largest input a job may be created with (API §9). */
    public static final int MAX_INPUT_BYTES = 64 * 1024;
    private static final Field<RawJson> INPUT = Field.optional("input", Shapes.jsonObject(limits -> MAX_INPUT_BYTES));

    private static final Field<RawJson> RESULT = Field.optional("result", Shapes.json(Limits::maxResultBytes));
    private static final Field<String> ERROR_CODE = Field.optional("code", Text.ID);
    private static final Field<String> ERROR_MESSAGE = Field.required("message", Text.MESSAGE);
    private static final Field<JobError> ERROR = Field.required("error", ObjectShape.of("The error.",
            v -> new JobError(v.get(ERROR_CODE), v.get(ERROR_MESSAGE)), ERROR_CODE, ERROR_MESSAGE));

    /** {@code POST /jobs}: the job as asked for, its project null when not given, with no owner yet. */
    public static final Body<NewJob> CREATE = Body.required("CreateJob", ObjectShape.of(
            "A new job. A null field is taken as absent.",
            v -> new NewJob(v.get(TYPE), v.get(NAME), v.get(PROJECT), null, v.get(PARENT_ID), v.get(STAGES),
                    v.get(TOTAL), v.get(UNIT), v.get(METADATA), v.get(COMPLETE_WITH_CHILDREN), v.get(STATUS),
                    v.get(MAX_ATTEMPTS).intValue(), null).withInput(v.get(INPUT)),
            TYPE, NAME, PROJECT, PARENT_ID, STAGES, TOTAL, UNIT, METADATA, COMPLETE_WITH_CHILDREN, STATUS,
            MAX_ATTEMPTS, INPUT));

    /**
     * {@code POST /jobs/{id}/complete}: the result, or null, and the worker's next claim, or null; absent when no
     * body. Its limit makes room for a result of maxResultBytes.
     */
    public static final Body<Completion> COMPLETE = Body.optional("Complete",
            ObjectShape.of("The result, if any: any JSON value; with claim, the worker's next jobs.",
                    v -> new Completion(v.get(RESULT), v.get(ClaimBodies.NEXT)), RESULT, ClaimBodies.NEXT))
            .limitedTo(Limits::completeBodyBytes);

    /** {@code POST /jobs/{id}/fail}. */
    public static final Body<JobError> FAIL = Body.required("Fail",
            ObjectShape.of("Why the job failed.", v -> v.get(ERROR), ERROR));

    /** {@code start}, {@code cancel}, {@code retry}, {@code heartbeat} and key revocation: no body, or {@code {}}. */
    public static final Body<Void> EMPTY = Body.optional("Empty", ObjectShape.of("Nothing: no body, or {}.", v -> null));

    private JobBodies() {
    }
}
