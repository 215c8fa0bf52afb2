package dev.herald.client;

import dev.herald.core.command.NewJob;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a new job should be, for {@link Herald#create}, {@link Herald#start(JobSpec)} and {@link Reporter#child}.
 * Immutable: each method returns a new spec, so one spec can serve as the template of many jobs.
 *
 * <pre>{@code
 * JobSpec.of("import-csv").name("Import customers.csv").project("acme")
 *     .stage("parsing", 20).stage("loading", 80)
 *     .total(1000).unit("rows").metadata(Map.of("file", "customers.csv"))
 * }</pre>
 *
 * Bad values ({@code null}, a negative total, a stage weight that is not positive, a status a job cannot be
 * created with) throw {@link IllegalArgumentException} at the call.
 */
public final class JobSpec {
    private final String type;
    private String name;
    private String project;
    private String parentId;
    private List<Stage> stages = List.of();
    private Double total;
    private String unit;
    private RawJson metadata;
    private RawJson input;
    private boolean completeWithChildren;
    private int maxAttempts = 1;
    private JobStatus status = JobStatus.PENDING;
    private String idempotencyKey;

    private JobSpec(String type) {
        this.type = type;
    }

    /** A job of this type (what kind of work it is: {@code import-csv}), {@code pending} until it starts. */
    public static JobSpec of(String type) {
        return new JobSpec(Arguments.text(type, "type"));
    }

    /** A copy with one change: specs are never changed in place. */
    private JobSpec with(Consumer<JobSpec> change) {
        JobSpec s = copy();
        change.accept(s);
        return s;
    }

    private JobSpec copy() {
        JobSpec s = new JobSpec(type);
        s.name = name;
        s.project = project;
        s.parentId = parentId;
        s.stages = stages;
        s.total = total;
        s.unit = unit;
        s.metadata = metadata;
        s.input = input;
        s.completeWithChildren = completeWithChildren;
        s.maxAttempts = maxAttempts;
        s.status = status;
        s.idempotencyKey = idempotencyKey;
        return s;
    }

    /** A name for people ("Import customers.csv"). */
    public JobSpec name(String name) {
        return with(s -> s.name = Arguments.required(name, "name"));
    }

    /** The project; by default the token's only project, else {@code default}. A child is always in its parent's. */
    public JobSpec project(String project) {
        return with(s -> s.project = Arguments.text(project, "project"));
    }

    /** Adds a stage; the weights (any positive numbers) are normalised to 100 by the server. */
    public JobSpec stage(String name, double weight) {
        Arguments.text(name, "stage name");
        if (stages.stream().anyMatch(st -> st.name().equals(name))) {
            throw new IllegalArgumentException("the job already has a stage '" + name + "'");
        }
        List<Stage> more = new ArrayList<>(stages);
        more.add(new Stage(name, weight));
        return with(s -> s.stages = List.copyOf(more));
    }

    /** How many units of work the job has (of its first stage, when it has stages). */
    public JobSpec total(double total) {
        return with(s -> s.total = Arguments.amount(total, "total"));
    }

    /** What is counted ("rows"). */
    public JobSpec unit(String unit) {
        return with(s -> s.unit = Arguments.required(unit, "unit"));
    }

    /** Any object Jackson writes as a JSON object (a {@code Map}, a record): shown with the job's progress. */
    public JobSpec metadata(Object metadata) {
        return with(s -> s.metadata = JsonArguments.object(Arguments.required(metadata, "metadata"), "metadata"));
    }

    /**
     * The job's input for the worker that runs it (API.md §9), any object Jackson writes as a JSON object, up to
     * 64 KiB. Sent only when set: servers without workers' queues (API v1 before §9) refuse it as an unknown
     * field ({@code invalid_field}).
     */
    public JobSpec input(Object input) {
        return with(s -> s.input = JsonArguments.object(Arguments.required(input, "input"), "input"));
    }

    /** Makes the job a child of {@code parentId} (in the parent's project). */
    public JobSpec parent(String parentId) {
        return with(s -> s.parentId = Arguments.text(parentId, "parent id"));
    }

    /** Whether the job finishes by itself when its last child does (failed if any child failed). */
    public JobSpec completeWithChildren(boolean value) {
        return with(s -> s.completeWithChildren = value);
    }

    /** How many attempts the job may have (1 to 100, default 1): a failed job may be retried while attempts remain. */
    public JobSpec maxAttempts(int attempts) {
        if (attempts < 1 || attempts > NewJob.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and " + NewJob.MAX_ATTEMPTS
                    + " (got " + attempts + ")");
        }
        return with(s -> s.maxAttempts = attempts);
    }

    /** {@code PENDING} (the default), {@code QUEUED} or {@code RUNNING}. */
    public JobSpec status(JobStatus status) {
        if (status == null || status.isTerminal()) {
            throw new IllegalArgumentException("a job is created pending, queued or running, not " + status);
        }
        return with(s -> s.status = status);
    }

    /**
     * Sent as {@code Idempotency-Key}: creating again with the same key (in the same project) answers the job
     * the first create made, never a second one. Without it, the client makes up a key for each create, so that
     * its own retries never make duplicates.
     */
    public JobSpec idempotencyKey(String key) {
        return with(s -> s.idempotencyKey = Arguments.text(key, "idempotency key"));
    }

    String parentId() {
        return parentId;
    }

    RawJson input() {
        return input;
    }

    /** The create command, with a key of the client's own when the caller gave none. */
    NewJob toNewJob() {
        String key = idempotencyKey != null ? idempotencyKey : "sdk-" + UUID.randomUUID();
        return new NewJob(type, name, project, null, parentId, stages, total, unit, metadata, completeWithChildren,
                status, maxAttempts, key);
    }
}
