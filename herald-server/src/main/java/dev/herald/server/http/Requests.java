package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed request bodies (see {@link JsonBody}) into commands, refusing anything
 * the API does not describe: unknown fields (so typos do not silently do nothing),
 * wrong types, missing required fields, over-long text, control characters, and
 * numbers that do not fit a double. Every refusal is a {@link HeraldException} naming
 * the field, as a path such as {@code stages[1].weight} or {@code error.message}.
 *
 * <p>A JSON {@code null} for an optional field means the field is absent, so clients
 * may echo a job's own {@code null}s back.
 */
public final class Requests {
    /** The most attempts {@code maxAttempts} may ask for. */
    public static final int MAX_ATTEMPTS = 100;

    private static final Set<String> CREATE_FIELDS = Set.of("type", "name", "project", "parentId", "stages",
            "total", "unit", "metadata", "completeWithChildren", "status", "maxAttempts");
    private static final Set<String> PROGRESS_FIELDS = Set.of("stage", "stageIndex", "current", "total", "unit",
            "percent", "message", "metadata");
    private static final Set<String> BATCH_FIELDS = union(PROGRESS_FIELDS, "jobId");
    private static final Set<String> STAGE_FIELDS = Set.of("name", "weight");
    private static final Set<String> ERROR_FIELDS = Set.of("code", "message");
    private static final Set<String> LOG_FIELDS = Set.of("level", "message", "fields");
    private static final Set<JobStatus> CREATE_STATUSES = Set.of(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING);
    private static final int ECHO_CHARS = 100;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    /** How a string field is checked. */
    private enum Text {
        /** Ids, types, stage names, codes, keys: not blank, no control characters, at most maxNameChars. */
        ID,
        /** Names and units: like ID but may be empty. */
        LABEL,
        /** Messages: tab and newline allowed, at most maxMessageChars, beyond which too_large. */
        MESSAGE
    }

    private final Limits limits;

    public Requests(Limits limits) {
        this.limits = limits;
    }

    /** {@code POST /jobs}. */
    public CreateRequest create(JsonNode body) {
        ObjectNode o = object(body);
        allowOnly(o, "", CREATE_FIELDS);
        String type = text(o, "", "type", Text.ID, true);
        String name = text(o, "", "name", Text.LABEL, false);
        String project = text(o, "", "project", Text.ID, false);
        String parentId = text(o, "", "parentId", Text.ID, false);
        List<Stage> stages = stages(o);
        Double total = progressNumber(o, "", "total");
        String unit = text(o, "", "unit", Text.LABEL, false);
        RawJson metadata = rawObject(o, "", "metadata", limits.maxMetadataBytes());
        boolean completeWithChildren = bool(o, "completeWithChildren");
        JobStatus status = createStatus(o);
        int maxAttempts = maxAttempts(o);
        return new CreateRequest(type, name, project, parentId, stages, total, unit, metadata,
                completeWithChildren, status, maxAttempts);
    }

    /** {@code POST /jobs/{id}/progress}; an empty object is a touch. */
    public ProgressReport progress(JsonNode body) {
        ObjectNode o = object(body);
        allowOnly(o, "", PROGRESS_FIELDS);
        return report(o);
    }

    /**
     * {@code POST /progress:batch}. The batch as a whole is refused only for its shape
     * and size; an entry that is not valid carries its error, so the rest still apply.
     */
    public List<BatchEntry> batch(JsonNode body) {
        if (body == null || !body.isArray()) {
            throw new HeraldException(ErrorCode.INVALID_JSON, "the body must be a JSON array of progress entries");
        }
        if (body.isEmpty()) {
            throw HeraldException.field(ErrorCode.INVALID_FIELD, null, "the batch has no entries");
        }
        if (body.size() > limits.maxBatchEntries()) {
            throw new HeraldException(ErrorCode.TOO_LARGE,
                    "a batch may have at most " + limits.maxBatchEntries() + " entries, this one has " + body.size());
        }
        List<BatchEntry> entries = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            entries.add(entry(i, body.get(i)));
        }
        return List.copyOf(entries);
    }

    /** {@code POST /jobs/{id}/complete}: the result, or null when absent. */
    public RawJson result(JsonNode body) {
        ObjectNode o = object(body);
        allowOnly(o, "", Set.of("result"));
        JsonNode result = o.get("result");
        return absent(result) ? null : raw(result, "result", limits.maxResultBytes());
    }

    /** {@code POST /jobs/{id}/fail}: {@code {error: {code?, message}}}. */
    public JobError error(JsonNode body) {
        ObjectNode o = object(body);
        allowOnly(o, "", Set.of("error"));
        JsonNode error = o.get("error");
        if (absent(error)) {
            throw missing("error");
        }
        if (!error.isObject()) {
            throw invalid("error", "'error' must be an object {code?, message}");
        }
        ObjectNode e = (ObjectNode) error;
        allowOnly(e, "error.", ERROR_FIELDS);
        String code = text(e, "error.", "code", Text.ID, false);
        String message = text(e, "error.", "message", Text.MESSAGE, true);
        return new JobError(code, message);
    }

    /** {@code POST /jobs/{id}/logs}. */
    public LogEntry log(JsonNode body) {
        ObjectNode o = object(body);
        allowOnly(o, "", LOG_FIELDS);
        String levelText = text(o, "", "level", Text.ID, true);
        LogLevel level = LogLevel.fromWire(levelText)
                .orElseThrow(() -> invalid("level", "'level' must be one of debug, info, warn, error"));
        String message = text(o, "", "message", Text.MESSAGE, true);
        RawJson fields = rawObject(o, "", "fields", limits.maxLogFieldsBytes());
        return new LogEntry(level, message, fields);
    }

    /** {@code start}, {@code cancel}, {@code retry}, {@code heartbeat}: no body, or {@code {}}. */
    public void noFields(JsonNode body) {
        allowOnly(object(body), "", Set.of());
    }

    /** The {@code Idempotency-Key} header: null when absent, else checked like a name. */
    /** The create's {@code Idempotency-Key}, or null; sent twice, it is ambiguous and refused. */
    public String idempotencyKey(List<String> headers) {
        if (headers.size() > 1) {
            throw HeraldException.field(ErrorCode.INVALID_FIELD, "Idempotency-Key", "Idempotency-Key given twice");
        }
        return headers.isEmpty() ? null : name(headers.get(0), "Idempotency-Key");
    }

    /**
     * Checks a name that does not come from a body (a header, a query parameter, a
     * token's owner): not blank, no control characters, at most {@code maxNameChars}.
     */
    public String name(String value, String field) {
        if (value == null) {
            throw missing(field);
        }
        return checkText(value, field, Text.ID);
    }

    // ---- bodies -------------------------------------------------------------------------

    private BatchEntry entry(int index, JsonNode node) {
        if (node == null || !node.isObject()) {
            return new BatchEntry(index, null, null,
                    HeraldException.field(ErrorCode.INVALID_FIELD, null, "each batch entry must be a JSON object"));
        }
        ObjectNode o = (ObjectNode) node;
        String jobId;
        try {
            jobId = text(o, "", "jobId", Text.ID, true);
        } catch (HeraldException e) {
            return new BatchEntry(index, null, null, e);
        }
        try {
            allowOnly(o, "", BATCH_FIELDS);
            return new BatchEntry(index, jobId, report(o), null);
        } catch (HeraldException e) {
            return new BatchEntry(index, jobId, null, e);
        }
    }

    private ProgressReport report(ObjectNode o) {
        String stage = text(o, "", "stage", Text.ID, false);
        Integer stageIndex = stageIndex(o);
        Double current = progressNumber(o, "", "current");
        Double total = progressNumber(o, "", "total");
        if (current != null && total != null && current > total) {
            throw HeraldException.field(ErrorCode.INVALID_PROGRESS, "current",
                    "'current' (" + current + ") is larger than 'total' (" + total + ")");
        }
        String unit = text(o, "", "unit", Text.LABEL, false);
        Double percent = progressNumber(o, "", "percent");
        if (percent != null && percent > 100) {
            throw HeraldException.field(ErrorCode.INVALID_PROGRESS, "percent", "'percent' must be at most 100");
        }
        String message = text(o, "", "message", Text.MESSAGE, false);
        RawJson metadata = rawObject(o, "", "metadata", limits.maxMetadataBytes());
        return new ProgressReport(stage, stageIndex, current, total, unit, percent, message, metadata);
    }

    /** Each stage is {@code {name, weight?}} or just its name (weight 1). */
    private List<Stage> stages(ObjectNode o) {
        JsonNode node = o.get("stages");
        if (absent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("stages", "'stages' must be an array");
        }
        if (node.size() > limits.maxStages()) {
            throw HeraldException.field(ErrorCode.TOO_LARGE, "stages",
                    "a job may have at most " + limits.maxStages() + " stages");
        }
        List<Stage> stages = new ArrayList<>(node.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "stages[" + i + "]";
            JsonNode item = node.get(i);
            String name;
            double weight = 1;
            if (item.isTextual()) {
                name = checkText(item.textValue(), path, Text.ID);
            } else if (item.isObject()) {
                ObjectNode s = (ObjectNode) item;
                allowOnly(s, path + ".", STAGE_FIELDS);
                name = text(s, path + ".", "name", Text.ID, true);
                Double w = number(s, path + ".", "weight");
                if (w != null) {
                    if (w <= 0) {
                        throw invalid(path + ".weight", "'" + path + ".weight' must be a positive number");
                    }
                    weight = w;
                }
            } else {
                throw invalid(path, "'" + path + "' must be a stage name or an object {name, weight?}");
            }
            if (!names.add(name)) {
                String field = item.isTextual() ? path : path + ".name";
                throw invalid(field, "duplicate stage name '" + printable(name) + "'");
            }
            stages.add(new Stage(name, weight));
        }
        return stages;
    }

    private static JobStatus createStatus(ObjectNode o) {
        JsonNode node = o.get("status");
        if (absent(node)) {
            return JobStatus.PENDING;
        }
        if (!node.isTextual()) {
            throw invalid("status", "'status' must be a string");
        }
        return JobStatus.fromWire(node.textValue())
                .filter(CREATE_STATUSES::contains)
                .orElseThrow(() -> invalid("status", "'status' must be pending, queued or running"));
    }

    private static int maxAttempts(ObjectNode o) {
        JsonNode node = o.get("maxAttempts");
        if (absent(node)) {
            return 1;
        }
        long value = wholeNumber(node, "maxAttempts");
        if (value < 1 || value > MAX_ATTEMPTS) {
            throw invalid("maxAttempts", "'maxAttempts' must be between 1 and " + MAX_ATTEMPTS);
        }
        return (int) value;
    }

    private static Integer stageIndex(ObjectNode o) {
        JsonNode node = o.get("stageIndex");
        if (absent(node)) {
            return null;
        }
        long value = wholeNumber(node, "stageIndex");
        if (value < 0) {
            throw HeraldException.field(ErrorCode.INVALID_PROGRESS, "stageIndex", "'stageIndex' must not be negative");
        }
        if (value > Integer.MAX_VALUE) {
            throw HeraldException.field(ErrorCode.INVALID_PROGRESS, "stageIndex", "'stageIndex' names no stage");
        }
        return (int) value;
    }

    // ---- fields -------------------------------------------------------------------------

    private static ObjectNode object(JsonNode body) {
        if (body == null || body.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!body.isObject()) {
            throw new HeraldException(ErrorCode.INVALID_JSON, "the body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    private static void allowOnly(ObjectNode o, String prefix, Set<String> allowed) {
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String shown = printable(name);
                throw invalid(prefix + shown, "unknown field '" + prefix + shown + "'");
            }
        }
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private String text(ObjectNode o, String prefix, String key, Text kind, boolean required) {
        JsonNode node = o.get(key);
        String path = prefix + key;
        if (absent(node)) {
            if (required) {
                throw missing(path);
            }
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(path, "'" + path + "' must be a string");
        }
        return checkText(node.textValue(), path, kind);
    }

    private String checkText(String value, String path, Text kind) {
        int max = kind == Text.MESSAGE ? limits.maxMessageChars() : limits.maxNameChars();
        // Measure first: a long string is refused for its length before being scanned.
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            ErrorCode code = kind == Text.MESSAGE ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_FIELD;
            throw HeraldException.field(code, path, "'" + path + "' is longer than " + max + " characters");
        }
        if (kind == Text.ID && value.isBlank()) {
            throw invalid(path, "'" + path + "' must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = kind == Text.MESSAGE
                    ? c < 0x20 && c != '\t' && c != '\n' && c != '\r'
                    : Character.isISOControl(c);
            if (control) {
                throw invalid(path, "'" + path + "' must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        if (!wellFormed(value)) {
            throw invalid(path, "'" + path + "' contains an unpaired surrogate, which is not Unicode text");
        }
        return value;
    }

    /** A JSON number that fits a double, or null when absent. */
    private static Double number(ObjectNode o, String prefix, String key) {
        JsonNode node = o.get(key);
        String path = prefix + key;
        if (absent(node)) {
            return null;
        }
        if (!node.isNumber()) {
            throw invalid(path, "'" + path + "' must be a number");
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw invalid(path, "'" + path + "' is too large for a number");
        }
        return value == 0 ? 0.0 : value; // no -0.0 in progress
    }

    /** A number that must not be negative: negative is a progress error, not a type error. */
    private static Double progressNumber(ObjectNode o, String prefix, String key) {
        Double value = number(o, prefix, key);
        if (value != null && value < 0) {
            throw HeraldException.field(ErrorCode.INVALID_PROGRESS, prefix + key,
                    "'" + prefix + key + "' must not be negative");
        }
        return value;
    }

    /**
     * An integral JSON number ({@code 2} or {@code 2.0}; not {@code 2.5}), clamped to the
     * long range so callers can range-check it. Compares before converting, because
     * converting a decimal like {@code 1e999999999} to an integer would take forever.
     */
    private static long wholeNumber(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw invalid(path, "'" + path + "' must be an integer");
        }
        if (!Double.isFinite(node.doubleValue())) {
            throw invalid(path, "'" + path + "' is too large for a number");
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? node.longValue()
                    : node.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        BigDecimal value = node.decimalValue();
        if (value.compareTo(LONG_MIN) < 0) {
            return Long.MIN_VALUE;
        }
        if (value.compareTo(LONG_MAX) > 0) {
            return Long.MAX_VALUE;
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw invalid(path, "'" + path + "' must be an integer");
        }
        return value.longValue();
    }

    private static boolean bool(ObjectNode o, String key) {
        JsonNode node = o.get(key);
        if (absent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(key, "'" + key + "' must be true or false");
        }
        return node.booleanValue();
    }

    /** An optional JSON object kept as raw text, or null when absent. */
    private static RawJson rawObject(ObjectNode o, String prefix, String key, int maxBytes) {
        JsonNode node = o.get(key);
        String path = prefix + key;
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            throw invalid(path, "'" + path + "' must be a JSON object");
        }
        return raw(node, path, maxBytes);
    }

    /**
     * Any JSON value as its compact Jackson text, which is what is stored and sent
     * verbatim. Checked so that text is valid JSON everywhere: no number beyond a
     * double (JavaScript and most clients would read Infinity) and no unpaired surrogate
     * (which cannot be encoded as UTF-8).
     */
    private static RawJson raw(JsonNode node, String path, int maxBytes) {
        RawJson raw;
        try {
            raw = new RawJson(node.toString());
        } catch (RuntimeException e) {
            throw invalid(path, "'" + path + "' cannot be written as JSON");
        }
        if (raw.utf8Length() > maxBytes) {
            throw HeraldException.field(ErrorCode.TOO_LARGE, path,
                    "'" + path + "' is larger than " + maxBytes + " bytes");
        }
        checkValues(node, path);
        return raw;
    }

    /** Walks the value with a stack rather than recursion; depth is bounded by the parser anyway. */
    private static void checkValues(JsonNode root, String path) {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
                throw invalid(path, "'" + path + "' holds a number too large for a double");
            } else if (node.isTextual() && !wellFormed(node.textValue())) {
                throw invalid(path, "'" + path + "' holds an unpaired surrogate, which is not Unicode text");
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (!wellFormed(e.getKey())) {
                        throw invalid(path, "'" + path + "' holds an unpaired surrogate, which is not Unicode text");
                    }
                    todo.push(e.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(todo::push);
            }
        }
    }

    // ---- text helpers -------------------------------------------------------------------

    /** Whether every surrogate is part of a pair (JSON's {@code \ud800} escape can produce one alone). */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Client text made safe to echo in an error: at most 100 characters (or {@code maxChars}), control
     * characters and unpaired surrogates replaced by U+FFFD.
     */
    static String printable(String s) {
        return printable(s, ECHO_CHARS);
    }

    static String printable(String s, int maxChars) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars + 1));
        for (int i = 0; i < s.length() && b.length() < maxChars; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return b.length() < s.length() && b.length() >= maxChars ? b.append('…').toString() : b.toString();
    }

    private static HeraldException invalid(String field, String message) {
        return HeraldException.field(ErrorCode.INVALID_FIELD, field, message);
    }

    private static HeraldException missing(String field) {
        return invalid(field, "missing required field '" + field + "'");
    }

    private static Set<String> union(Set<String> a, String b) {
        Set<String> all = new HashSet<>(a);
        all.add(b);
        return Set.copyOf(all);
    }
}
