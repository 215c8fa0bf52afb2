package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.server.edge.JsonBody;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.body.Text;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.herald.server.support.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class RequestBodiesTest {
    private static final Limits LIMITS = Limits.defaults();
    /** Parses test bodies with room for oversized values, so the size rules of the bodies themselves are tested. */
    private static final JsonBody PARSER = new JsonBody(
            new Limits(8 << 20, 2048, 8192, 1 << 20, 32, 200, 100, 1000, 8192, 1000));

    private final Bodies requests = new Bodies();

    /** The declared bodies, read as the routes read them once parsed. */
    private static final class Bodies {
        NewJob create(JsonNode body) {
            return JobBodies.CREATE.read(body, LIMITS);
        }

        ProgressReport progress(JsonNode body) {
            return ProgressBodies.PROGRESS.read(body, LIMITS);
        }

        List<BatchEntry> batch(JsonNode body) {
            return ProgressBodies.BATCH.read(body, LIMITS);
        }

        RawJson result(JsonNode body) {
            return JobBodies.COMPLETE.read(body, LIMITS).result();
        }

        JobError error(JsonNode body) {
            return JobBodies.FAIL.read(body, LIMITS);
        }

        LogEntry log(JsonNode body) {
            return ProgressBodies.LOG.read(body, LIMITS);
        }

        void noFields(JsonNode body) {
            JobBodies.EMPTY.read(body, LIMITS);
        }
    }

    static JsonNode json(String text) {
        return PARSER.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} as a JSON string literal. */
    static String str(String text) {
        return JsonNodeFactory.instance.textNode(text).toString();
    }

    /** A JSON object holding a string of {@code bytes} bytes once compact: {"k":"xxx…"}. */
    static String objectOfBytes(int bytes) {
        return "{\"k\":\"" + "x".repeat(bytes - 8) + "\"}";
    }

    // ---- create ------------------------------------------------------------------------------

    @Nested
    class Create {
        @Test
        void onlyTypeIsRequiredAndTheRestDefaults() {
            NewJob r = requests.create(json("{\"type\":\"import-csv\"}"));
            assertThat(r).isEqualTo(new NewJob("import-csv", null, null, null, null, List.of(), null, null, null,
                    false, JobStatus.PENDING, 1, null));
        }

        @Test
        void everyFieldIsRead() {
            NewJob r = requests.create(json("""
                    {"type":"import-csv","name":"Import customers.csv","project":"acme","parentId":"j_1",
                     "stages":[{"name":"parsing","weight":20},{"name":"loading","weight":80.5}],
                     "total":1000,"unit":"rows","metadata":{ "file" : "customers.csv", "n": [1, 2.50] },
                     "completeWithChildren":true,"status":"running","maxAttempts":3}"""));
            assertThat(r.type()).isEqualTo("import-csv");
            assertThat(r.name()).isEqualTo("Import customers.csv");
            assertThat(r.project()).isEqualTo("acme");
            assertThat(r.parentId()).isEqualTo("j_1");
            assertThat(r.stages()).containsExactly(new Stage("parsing", 20), new Stage("loading", 80.5));
            assertThat(r.total()).isEqualTo(1000.0);
            assertThat(r.unit()).isEqualTo("rows");
            assertThat(r.metadata()).isEqualTo(new RawJson("{\"file\":\"customers.csv\",\"n\":[1,2.50]}"));
            assertThat(r.completeWithChildren()).isTrue();
            assertThat(r.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(r.maxAttempts()).isEqualTo(3);
        }

        @Test
        void theCommandCarriesEverythingPlusTheEdgeValues() {
            NewJob r = requests.create(json("""
                    {"type":"t","name":"n","project":"asked","parentId":"j_p","stages":["a"],"total":5,
                     "unit":"u","metadata":{"k":1},"completeWithChildren":true,"status":"queued","maxAttempts":2}"""));
            NewJob cmd = r.inProject("resolved").by("user-17", "key-1");
            assertThat(cmd).isEqualTo(new NewJob("t", "n", "resolved", "user-17", "j_p", List.of(new Stage("a", 1)),
                    5.0, "u", new RawJson("{\"k\":1}"), true, JobStatus.QUEUED, 2, "key-1"));
        }

        @Test
        void nullMeansAbsent() {
            NewJob r = requests.create(json("""
                    {"type":"t","name":null,"project":null,"parentId":null,"stages":null,"total":null,"unit":null,
                     "metadata":null,"completeWithChildren":null,"status":null,"maxAttempts":null}"""));
            assertThat(r).isEqualTo(requests.create(json("{\"type\":\"t\"}")));
        }

        @Test
        void typeIsRequiredAndNotBlank() {
            refused(() -> requests.create(json("{}")), ErrorCode.INVALID_FIELD, "type");
            refused(() -> requests.create(null), ErrorCode.INVALID_FIELD, "type");
            refused(() -> requests.create(json("{\"type\":null}")), ErrorCode.INVALID_FIELD, "type");
            refused(() -> requests.create(json("{\"type\":\"\"}")), ErrorCode.INVALID_FIELD, "type");
            refused(() -> requests.create(json("{\"type\":\"   \"}")), ErrorCode.INVALID_FIELD, "type");
            refused(() -> requests.create(json("{\"name\":\"x\"}")), ErrorCode.INVALID_FIELD, "type");
        }

        @Test
        void nameAndUnitMayBeEmpty() {
            NewJob r = requests.create(json("{\"type\":\"t\",\"name\":\"\",\"unit\":\"\"}"));
            assertThat(r.name()).isEmpty();
            assertThat(r.unit()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"type\":\"t\"}]", "\"t\"", "1", "true", "null"})
        void theBodyMustBeAnObject(String body) {
            refused(() -> requests.create(json(body)), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void unknownFieldsAreRefusedByName() {
            String message = refused(() -> requests.create(json("{\"type\":\"t\",\"foo\":1}")),
                    ErrorCode.INVALID_FIELD, "foo");
            assertThat(message).isEqualTo("unknown field 'foo'");
            refused(() -> requests.create(json("{\"tpye\":\"t\"}")), ErrorCode.INVALID_FIELD, "tpye");
            refused(() -> requests.create(json("{\"type\":\"t\",\"Type\":\"t\"}")), ErrorCode.INVALID_FIELD, "Type");
            refused(() -> requests.create(json("{\"type\":\"t\",\"id\":\"j_1\"}")), ErrorCode.INVALID_FIELD, "id");
        }

        @Test
        void anUnknownFieldNameIsEchoedSafely() {
            String key = "bad\u0001" + "k".repeat(5000);
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "t").put(key, 1);
            String message = refused(() -> requests.create(body), ErrorCode.INVALID_FIELD,
                    "bad\uFFFD" + "k".repeat(96) + "…");
            assertThat(message.length()).isLessThan(200);
        }

        @ParameterizedTest
        @ValueSource(strings = {"pending", "queued", "running"})
        void statusMayBeAWaitingOrRunningState(String status) {
            assertThat(requests.create(json("{\"type\":\"t\",\"status\":\"" + status + "\"}")).status().wire())
                    .isEqualTo(status);
        }

        @ParameterizedTest
        @ValueSource(strings = {"completed", "failed", "cancelled", "RUNNING", "Pending", "done", "", " running"})
        void anyOtherStatusIsRefused(String status) {
            refused(() -> requests.create(json("{\"type\":\"t\",\"status\":" + str(status) + "}")),
                    ErrorCode.INVALID_FIELD, "status");
        }

        @Test
        void stagesMayBeNamesOrObjectsWithOptionalWeights() {
            NewJob r = requests.create(json(
                    "{\"type\":\"t\",\"stages\":[\"a\",{\"name\":\"b\"},{\"name\":\"c\",\"weight\":0.5}]}"));
            assertThat(r.stages()).containsExactly(new Stage("a", 1), new Stage("b", 1), new Stage("c", 0.5));
            assertThat(requests.create(json("{\"type\":\"t\",\"stages\":[]}")).stages()).isEmpty();
        }

        @Test
        void stageNamesMustBeUnique() {
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[\"a\",{\"name\":\"a\"}]}")),
                    ErrorCode.INVALID_FIELD, "stages[1].name");
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[\"a\",\"b\",\"a\"]}")),
                    ErrorCode.INVALID_FIELD, "stages[2]");
        }

        @Test
        void stageNamesMustBePresentAndNotEmpty() {
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[{\"weight\":1}]}")),
                    ErrorCode.INVALID_FIELD, "stages[0].name");
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[\"ok\",{\"name\":\"\"}]}")),
                    ErrorCode.INVALID_FIELD, "stages[1].name");
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[\"\"]}")),
                    ErrorCode.INVALID_FIELD, "stages[0]");
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[\"a\\u0000\"]}")),
                    ErrorCode.INVALID_FIELD, "stages[0]");
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[" + str("s".repeat(201)) + "]}")),
                    ErrorCode.INVALID_FIELD, "stages[0]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "-0.0", "1e400", "\"2\"", "true", "[]", "{}"})
        void stageWeightsArePositiveFiniteNumbers(String weight) {
            refused(() -> requests.create(json(
                    "{\"type\":\"t\",\"stages\":[{\"name\":\"a\",\"weight\":" + weight + "}]}")),
                    ErrorCode.INVALID_FIELD, "stages[0].weight");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "true", "[]", "[\"a\"]", "null"})
        void aStageIsANameOrAnObject(String stage) {
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[\"x\"," + stage + "]}")),
                    ErrorCode.INVALID_FIELD, "stages[1]");
        }

        @Test
        void unknownStageFieldsAreRefused() {
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[{\"name\":\"a\",\"wieght\":2}]}")),
                    ErrorCode.INVALID_FIELD, "stages[0].wieght");
        }

        @Test
        void atMostMaxStages() {
            String hundred = IntStream.range(0, 100).mapToObj(i -> "\"s" + i + "\"").collect(Collectors.joining(","));
            assertThat(requests.create(json("{\"type\":\"t\",\"stages\":[" + hundred + "]}")).stages()).hasSize(100);
            refused(() -> requests.create(json("{\"type\":\"t\",\"stages\":[" + hundred + ",\"x\"]}")),
                    ErrorCode.TOO_LARGE, "stages");
        }

        @Test
        void totalIsANonNegativeFiniteNumber() {
            assertThat(requests.create(json("{\"type\":\"t\",\"total\":0}")).total()).isEqualTo(0.0);
            refused(() -> requests.create(json("{\"type\":\"t\",\"total\":-1}")), ErrorCode.INVALID_PROGRESS, "total");
            refused(() -> requests.create(json("{\"type\":\"t\",\"total\":1e400}")), ErrorCode.INVALID_FIELD, "total");
            refused(() -> requests.create(json("{\"type\":\"t\",\"total\":-1e400}")), ErrorCode.INVALID_FIELD, "total");
            refused(() -> requests.create(json("{\"type\":\"t\",\"total\":" + "9".repeat(400) + "}")),
                    ErrorCode.INVALID_FIELD, "total");
        }

        @Test
        void maxAttemptsIsAnIntegerFrom1To100() {
            assertThat(requests.create(json("{\"type\":\"t\",\"maxAttempts\":100}")).maxAttempts()).isEqualTo(100);
            assertThat(requests.create(json("{\"type\":\"t\",\"maxAttempts\":2.0}")).maxAttempts()).isEqualTo(2);
            for (String bad : List.of("0", "-1", "101", "1.5", "1e400", "99999999999999999999999", "1e9", "-1e30")) {
                refused(() -> requests.create(json("{\"type\":\"t\",\"maxAttempts\":" + bad + "}")),
                        ErrorCode.INVALID_FIELD, "maxAttempts");
            }
        }

        @Test
        void metadataIsASmallObjectKeptAsCompactJson() {
            NewJob r = requests.create(json(
                    "{\"type\":\"t\",\"metadata\":{ \"q\" : \"a\\\"b\\n\\u0001\", \"u\":\"\u00e9\\u00e9\" }}"));
            assertThat(r.metadata().text()).isEqualTo("{\"q\":\"a\\\"b\\n\\u0001\",\"u\":\"\u00e9\u00e9\"}");
            assertThat(json(r.metadata().text()).get("q").textValue()).isEqualTo("a\"b\n\u0001");
        }

        @Test
        void metadataUpToItsLimitIsAllowedAndBeyondIsTooLarge() {
            assertThat(requests.create(json("{\"type\":\"t\",\"metadata\":" + objectOfBytes(8192) + "}"))
                    .metadata().utf8Length()).isEqualTo(8192);
            refused(() -> requests.create(json("{\"type\":\"t\",\"metadata\":" + objectOfBytes(8193) + "}")),
                    ErrorCode.TOO_LARGE, "metadata");
        }

        @Test
        void metadataSizeCountsUtf8BytesNotCharacters() {
            String twoByteChars = "\u00e9".repeat(4100); // 4100 chars, 8200 bytes
            refused(() -> requests.create(json("{\"type\":\"t\",\"metadata\":{\"k\":\"" + twoByteChars + "\"}}")),
                    ErrorCode.TOO_LARGE, "metadata");
        }

        @Test
        void metadataMustNotHoldNumbersBeyondADouble() {
            refused(() -> requests.create(json("{\"type\":\"t\",\"metadata\":{\"a\":{\"b\":[1,1e400]}}}")),
                    ErrorCode.INVALID_FIELD, "metadata");
        }

        @Test
        void metadataMustNotHoldUnpairedSurrogates() {
            refused(() -> requests.create(json("{\"type\":\"t\",\"metadata\":{\"a\":\"\\ud800\"}}")),
                    ErrorCode.INVALID_FIELD, "metadata");
            refused(() -> requests.create(json("{\"type\":\"t\",\"metadata\":{\"\\udc00\":1}}")),
                    ErrorCode.INVALID_FIELD, "metadata");
            assertThat(requests.create(json("{\"type\":\"t\",\"metadata\":{\"a\":\"\\ud83d\\ude80\"}}")).metadata())
                    .isNotNull();
        }

        @Test
        void namesAreLimitedInLengthCountingCharactersNotUnits() {
            assertThat(requests.create(json("{\"type\":\"t\",\"name\":" + str("n".repeat(200)) + "}")).name())
                    .hasSize(200);
            String rockets = "\uD83D\uDE80".repeat(200); // 200 characters, 400 UTF-16 units
            assertThat(requests.create(json("{\"type\":\"t\",\"name\":" + str(rockets) + "}")).name())
                    .isEqualTo(rockets);
            for (String field : List.of("type", "name", "project", "parentId", "unit")) {
                String body = field.equals("type") ? "{\"type\":" + str("n".repeat(201)) + "}"
                        : "{\"type\":\"t\",\"" + field + "\":" + str("n".repeat(201)) + "}";
                refused(() -> requests.create(json(body)), ErrorCode.INVALID_FIELD, field);
            }
        }

        @Test
        void aSeventyKilobyteNameIsRefused() {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "t").put("name", "x".repeat(70 * 1024));
            refused(() -> requests.create(body), ErrorCode.INVALID_FIELD, "name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\u0000", "\u0001", "\t", "\n", "\r", "\u001f", "\u007f", "\u0085"})
        void namesMustNotHoldControlCharacters(String control) {
            for (String field : List.of("type", "name", "project", "parentId", "unit")) {
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "t").put(field, "a" + control + "b");
                refused(() -> requests.create(body), ErrorCode.INVALID_FIELD, field);
            }
        }

        @Test
        void namesMustNotHoldUnpairedSurrogates() {
            refused(() -> requests.create(json("{\"type\":\"t\",\"name\":\"a\\ud800b\"}")),
                    ErrorCode.INVALID_FIELD, "name");
            refused(() -> requests.create(json("{\"type\":\"\\udfff\"}")), ErrorCode.INVALID_FIELD, "type");
        }
    }

    // ---- progress ------------------------------------------------------------------------------

    @Nested
    class Progress {
        @Test
        void anEmptyObjectIsATouch() {
            ProgressReport touch = new ProgressReport(null, null, null, null, null, null, null, null);
            assertThat(requests.progress(json("{}"))).isEqualTo(touch);
            assertThat(requests.progress(null)).isEqualTo(touch);
        }

        @Test
        void everyFieldIsRead() {
            ProgressReport r = requests.progress(json("""
                    {"stage":"loading","stageIndex":1,"current":400,"total":1000,"unit":"rows","percent":68.5,
                     "message":"Loading rows\\n\\tbatch 4","metadata":{"success":398,"errors":2}}"""));
            assertThat(r).isEqualTo(new ProgressReport("loading", 1, 400.0, 1000.0, "rows", 68.5,
                    "Loading rows\n\tbatch 4", new RawJson("{\"success\":398,\"errors\":2}")));
        }

        @Test
        void boundaryValuesAreAllowed() {
            ProgressReport r = requests.progress(json(
                    "{\"current\":0,\"total\":0,\"percent\":100,\"stageIndex\":0}"));
            assertThat(r.current()).isEqualTo(0.0);
            assertThat(r.percent()).isEqualTo(100.0);
            assertThat(r.stageIndex()).isZero();
            assertThat(requests.progress(json("{\"current\":5,\"total\":5}")).current()).isEqualTo(5.0);
            assertThat(requests.progress(json("{\"current\":1e-400}")).current()).isEqualTo(0.0);
        }

        @Test
        void negativeZeroIsZero() {
            assertThat(Double.doubleToRawLongBits(requests.progress(json("{\"current\":-0.0}")).current()))
                    .isEqualTo(Double.doubleToRawLongBits(0.0));
        }

        @ParameterizedTest
        @ValueSource(strings = {"current", "total", "percent"})
        void negativeNumbersAreInvalidProgress(String field) {
            refused(() -> requests.progress(json("{\"" + field + "\":-1}")), ErrorCode.INVALID_PROGRESS, field);
            refused(() -> requests.progress(json("{\"" + field + "\":-0.001}")), ErrorCode.INVALID_PROGRESS, field);
        }

        @ParameterizedTest
        @ValueSource(strings = {"current", "total", "percent", "stageIndex"})
        void numbersBeyondADoubleAreInvalidFields(String field) {
            refused(() -> requests.progress(json("{\"" + field + "\":1e400}")), ErrorCode.INVALID_FIELD, field);
            refused(() -> requests.progress(json("{\"" + field + "\":-1e400}")), ErrorCode.INVALID_FIELD, field);
        }

        @Test
        void percentIsAtMost100() {
            refused(() -> requests.progress(json("{\"percent\":100.0001}")), ErrorCode.INVALID_PROGRESS, "percent");
            refused(() -> requests.progress(json("{\"percent\":1e300}")), ErrorCode.INVALID_PROGRESS, "percent");
        }

        @Test
        void currentMustNotExceedTotalInOneReport() {
            refused(() -> requests.progress(json("{\"current\":11,\"total\":10}")),
                    ErrorCode.INVALID_PROGRESS, "current");
        }

        @Test
        void stageIndexIsANonNegativeInteger() {
            assertThat(requests.progress(json("{\"stageIndex\":3.0}")).stageIndex()).isEqualTo(3);
            refused(() -> requests.progress(json("{\"stageIndex\":1.5}")), ErrorCode.INVALID_FIELD, "stageIndex");
            refused(() -> requests.progress(json("{\"stageIndex\":0.0000001}")), ErrorCode.INVALID_FIELD, "stageIndex");
            refused(() -> requests.progress(json("{\"stageIndex\":-1}")), ErrorCode.INVALID_PROGRESS, "stageIndex");
            refused(() -> requests.progress(json("{\"stageIndex\":3000000000}")),
                    ErrorCode.INVALID_PROGRESS, "stageIndex");
            refused(() -> requests.progress(json("{\"stageIndex\":" + "9".repeat(300) + "}")),
                    ErrorCode.INVALID_PROGRESS, "stageIndex");
        }

        @Test
        void aHugeExponentIsRefusedQuickly() {
            // Turning 1e999999999 into an integer would never finish; it must be refused as out of range.
            assertThat(json("{\"stageIndex\":1e999999999}").get("stageIndex").isNumber()).isTrue();
            refused(() -> requests.progress(json("{\"stageIndex\":1e999999999}")),
                    ErrorCode.INVALID_FIELD, "stageIndex");
            refused(() -> requests.create(json("{\"type\":\"t\",\"maxAttempts\":1e-999999999}")),
                    ErrorCode.INVALID_FIELD, "maxAttempts");
        }

        @Test
        void messagesAreLimitedAndTooLongIsTooLarge() {
            assertThat(requests.progress(json("{\"message\":" + str("m".repeat(2048)) + "}")).message()).hasSize(2048);
            refused(() -> requests.progress(json("{\"message\":" + str("m".repeat(2049)) + "}")),
                    ErrorCode.TOO_LARGE, "message");
            refused(() -> requests.progress(json("{\"message\":" + str("m".repeat(70 * 1024)) + "}")),
                    ErrorCode.TOO_LARGE, "message");
        }

        @Test
        void messagesMayHoldTabsAndLineBreaksButNoOtherControlCharacters() {
            assertThat(requests.progress(json("{\"message\":\"a\\tb\\r\\nc\"}")).message()).isEqualTo("a\tb\r\nc");
            for (String bad : List.of("\\u0000", "\\u0001", "\\u001b[31m", "\\u001f")) {
                refused(() -> requests.progress(json("{\"message\":\"a" + bad + "b\"}")),
                        ErrorCode.INVALID_FIELD, "message");
            }
            refused(() -> requests.progress(json("{\"message\":\"\\ud800\"}")), ErrorCode.INVALID_FIELD, "message");
        }

        @Test
        void stageAndUnitAreNames() {
            refused(() -> requests.progress(json("{\"stage\":\"\"}")), ErrorCode.INVALID_FIELD, "stage");
            refused(() -> requests.progress(json("{\"stage\":\"a\\nb\"}")), ErrorCode.INVALID_FIELD, "stage");
            refused(() -> requests.progress(json("{\"unit\":\"a\\u0000\"}")), ErrorCode.INVALID_FIELD, "unit");
            refused(() -> requests.progress(json("{\"unit\":" + str("u".repeat(201)) + "}")),
                    ErrorCode.INVALID_FIELD, "unit");
        }

        @Test
        void metadataRules() {
            refused(() -> requests.progress(json("{\"metadata\":" + objectOfBytes(8193) + "}")),
                    ErrorCode.TOO_LARGE, "metadata");
            refused(() -> requests.progress(json("{\"metadata\":[1]}")), ErrorCode.INVALID_FIELD, "metadata");
            refused(() -> requests.progress(json("{\"metadata\":{\"x\":1e400}}")), ErrorCode.INVALID_FIELD, "metadata");
        }

        @Test
        void unknownFieldsAreRefused() {
            refused(() -> requests.progress(json("{\"jobId\":\"j_1\"}")), ErrorCode.INVALID_FIELD, "jobId");
            refused(() -> requests.progress(json("{\"precent\":5}")), ErrorCode.INVALID_FIELD, "precent");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{}]", "5", "\"x\"", "false", "null"})
        void theBodyMustBeAnObject(String body) {
            refused(() -> requests.progress(json(body)), ErrorCode.INVALID_JSON, null);
        }
    }

    // ---- wrong types, for every field of every body ---------------------------------------------

    static Stream<Arguments> wrongTypes() {
        List<String> notString = List.of("1", "1.5", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":1}");
        List<String> notNumber = List.of("\"1\"", "\"NaN\"", "\"Infinity\"", "true", "[]", "[1]", "{}");
        List<String> notInteger = List.of("\"1\"", "true", "[]", "[1]", "{}", "1.5", "0.1");
        List<String> notObject = List.of("\"{}\"", "1", "true", "[]", "[{}]");
        List<String> notBoolean = List.of("\"true\"", "1", "0", "[]", "{}");
        List<String> notArray = List.of("\"a\"", "1", "true", "{}", "{\"name\":\"a\"}");
        String create = "{\"type\":\"t\",%s}";
        String log = "{\"level\":\"info\",\"message\":\"m\",%s}";
        return Stream.of(
                cases("create", "{%s}", "type", notString),
                cases("create", create, "name", notString),
                cases("create", create, "project", notString),
                cases("create", create, "parentId", notString),
                cases("create", create, "unit", notString),
                cases("create", create, "status", notString),
                cases("create", create, "stages", notArray),
                cases("create", create, "total", notNumber),
                cases("create", create, "metadata", notObject),
                cases("create", create, "completeWithChildren", notBoolean),
                cases("create", create, "maxAttempts", notInteger),
                progressWrongTypes(),
                cases("log", "{\"message\":\"m\",%s}", "level", notString),
                cases("log", "{\"level\":\"info\",%s}", "message", notString),
                cases("log", log, "fields", notObject),
                cases("error", "{\"error\":{\"message\":\"m\",%s}}", "error.code", notString),
                cases("error", "{\"error\":{%s}}", "error.message", notString),
                cases("error", "{%s}", "error", List.of("\"boom\"", "1", "true", "[]", "[{\"message\":\"m\"}]"))
        ).flatMap(cases -> cases);
    }

    static Stream<Arguments> progressWrongTypes() {
        List<String> notString = List.of("1", "1.5", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":1}");
        List<String> notNumber = List.of("\"1\"", "\"NaN\"", "\"Infinity\"", "true", "[]", "[1]", "{}");
        return Stream.of(
                cases("progress", "{%s}", "stage", notString),
                cases("progress", "{%s}", "unit", notString),
                cases("progress", "{%s}", "message", notString),
                cases("progress", "{%s}", "current", notNumber),
                cases("progress", "{%s}", "total", notNumber),
                cases("progress", "{%s}", "percent", notNumber),
                cases("progress", "{%s}", "stageIndex",
                        List.of("\"1\"", "true", "[]", "[1]", "{}", "1.5", "0.1")),
                cases("progress", "{%s}", "metadata", List.of("\"{}\"", "1", "true", "[]", "[{}]"))
        ).flatMap(cases -> cases);
    }

    /** One case per value: the body is {@code template} with {@code "key": value} in place of {@code %s}. */
    private static Stream<Arguments> cases(String route, String template, String field, List<String> values) {
        return values.stream().map(value -> Arguments.of(route, template, field, value));
    }

    @ParameterizedTest(name = "{0} {2} = {3}")
    @MethodSource("wrongTypes")
    void everyFieldRefusesEveryWrongType(String route, String template, String field, String value) {
        String key = field.substring(field.lastIndexOf('.') + 1);
        JsonNode body = json(String.format(template, "\"" + key + "\":" + value));
        refused(() -> {
            switch (route) {
                case "create" -> requests.create(body);
                case "progress" -> requests.progress(body);
                case "log" -> requests.log(body);
                case "error" -> requests.error(body);
                default -> throw new AssertionError(route);
            }
        }, ErrorCode.INVALID_FIELD, field);
    }

    @ParameterizedTest(name = "batch {2} = {3}")
    @MethodSource("progressWrongTypes")
    void batchEntriesRefuseEveryWrongTypeOfTheirProgressFields(String route, String template, String field,
                                                                 String value) {
        BatchEntry e = requests.batch(json("[{\"jobId\":\"j_1\",\"" + field + "\":" + value + "}]")).get(0);
        assertThat(e.ok()).isFalse();
        assertThat(e.jobId()).isEqualTo("j_1");
        assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.error().field()).isEqualTo(field);
    }

    // ---- batch ----------------------------------------------------------------------------------

    @Nested
    class Batch {
        @Test
        void validEntriesBecomeReports() {
            List<BatchEntry> entries = requests.batch(json(
                    "[{\"jobId\":\"j_1\",\"current\":1,\"total\":2},{\"jobId\":\"j_2\"}]"));
            assertThat(entries).containsExactly(
                    new BatchEntry(0, "j_1", ProgressReport.of(1, 2), null),
                    new BatchEntry(1, "j_2", new ProgressReport(null, null, null, null, null, null, null, null), null));
        }

        @Test
        void eachBadEntryCarriesItsOwnErrorAndTheRestStillApply() {
            List<BatchEntry> entries = requests.batch(json("""
                    [{"jobId":"j_1","current":1},
                     5,
                     {"current":1},
                     {"jobId":7},
                     {"jobId":"j_4","current":-1},
                     {"jobId":"j_5","foo":1},
                     {"jobId":"j_6","message":"ok"},
                     null,
                     [],
                     {"jobId":""},
                     {"jobId":"j_9","percent":101}]"""));
            assertThat(entries).hasSize(11);
            assertThat(entries).extracting(BatchEntry::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(entries.get(0).ok()).isTrue();
            assertEntryError(entries.get(1), null, ErrorCode.INVALID_FIELD, null);
            assertEntryError(entries.get(2), null, ErrorCode.INVALID_FIELD, "jobId");
            assertEntryError(entries.get(3), null, ErrorCode.INVALID_FIELD, "jobId");
            assertEntryError(entries.get(4), "j_4", ErrorCode.INVALID_PROGRESS, "current");
            assertEntryError(entries.get(5), "j_5", ErrorCode.INVALID_FIELD, "foo");
            assertThat(entries.get(6).report().message()).isEqualTo("ok");
            assertEntryError(entries.get(7), null, ErrorCode.INVALID_FIELD, null);
            assertEntryError(entries.get(8), null, ErrorCode.INVALID_FIELD, null);
            assertEntryError(entries.get(9), null, ErrorCode.INVALID_FIELD, "jobId");
            assertEntryError(entries.get(10), "j_9", ErrorCode.INVALID_PROGRESS, "percent");
        }

        @Test
        void entryLimitsApplyPerEntry() {
            List<BatchEntry> entries = requests.batch(json("[{\"jobId\":\"j_1\",\"message\":"
                    + str("m".repeat(2049)) + "},{\"jobId\":\"j_2\",\"metadata\":" + objectOfBytes(8193) + "}]"));
            assertEntryError(entries.get(0), "j_1", ErrorCode.TOO_LARGE, "message");
            assertEntryError(entries.get(1), "j_2", ErrorCode.TOO_LARGE, "metadata");
        }

        @Test
        void theJobIdIsAName() {
            assertEntryError(requests.batch(json("[{\"jobId\":\"j\\n1\"}]")).get(0), null,
                    ErrorCode.INVALID_FIELD, "jobId");
            assertEntryError(requests.batch(json("[{\"jobId\":" + str("j".repeat(201)) + "}]")).get(0), null,
                    ErrorCode.INVALID_FIELD, "jobId");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"jobId\":\"j_1\"}", "\"x\"", "1", "null"})
        void theBodyMustBeAnArray(String body) {
            refused(() -> requests.batch(json(body)), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void anAbsentBodyIsRefused() {
            refused(() -> requests.batch(null), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void anEmptyBatchIsRefused() {
            refused(() -> requests.batch(json("[]")), ErrorCode.INVALID_FIELD, null);
        }

        @Test
        void atMostMaxBatchEntries() {
            String entry = "{\"jobId\":\"j_1\"}";
            String thousand = String.join(",", java.util.Collections.nCopies(1000, entry));
            assertThat(requests.batch(json("[" + thousand + "]"))).hasSize(1000).allMatch(BatchEntry::ok);
            refused(() -> requests.batch(json("[" + thousand + "," + entry + "]")), ErrorCode.TOO_LARGE, null);
        }

        private void assertEntryError(BatchEntry e, String jobId, ErrorCode code, String field) {
            assertThat(e.ok()).as("entry %d", e.index()).isFalse();
            assertThat(e.report()).isNull();
            assertThat(e.jobId()).as("jobId of entry %d", e.index()).isEqualTo(jobId);
            assertThat(e.error().code()).as("code of entry %d: %s", e.index(), e.error().getMessage()).isEqualTo(code);
            assertThat(e.error().field()).as("field of entry %d", e.index()).isEqualTo(field);
        }
    }

    // ---- complete, fail, log, no-body routes ----------------------------------------------------

    @Nested
    class Result {
        @Test
        void anAbsentResultIsNull() {
            assertThat(requests.result(null)).isNull();
            assertThat(requests.result(json("{}"))).isNull();
            assertThat(requests.result(json("{\"result\":null}"))).isNull();
        }

        @Test
        void anyJsonValueIsKeptAsCompactText() {
            assertThat(requests.result(json("{\"result\": { \"rows\" : 1000, \"file\":\"a\\\"b\" } }")))
                    .isEqualTo(new RawJson("{\"rows\":1000,\"file\":\"a\\\"b\"}"));
            assertThat(requests.result(json("{\"result\":[1, 2]}"))).isEqualTo(new RawJson("[1,2]"));
            assertThat(requests.result(json("{\"result\":\"done\"}"))).isEqualTo(new RawJson("\"done\""));
            assertThat(requests.result(json("{\"result\":0.50}"))).isEqualTo(new RawJson("0.50"));
            assertThat(requests.result(json("{\"result\":false}"))).isEqualTo(new RawJson("false"));
        }

        @Test
        void resultUpToItsLimitIsAllowedAndBeyondIsTooLarge() {
            assertThat(requests.result(json("{\"result\":" + objectOfBytes(1 << 20) + "}")).utf8Length())
                    .isEqualTo(1 << 20);
            refused(() -> requests.result(json("{\"result\":" + objectOfBytes((1 << 20) + 1) + "}")),
                    ErrorCode.TOO_LARGE, "result");
        }

        @Test
        void resultMustHoldOnlyRepresentableValues() {
            refused(() -> requests.result(json("{\"result\":{\"a\":[1e400]}}")), ErrorCode.INVALID_FIELD, "result");
            refused(() -> requests.result(json("{\"result\":1e400}")), ErrorCode.INVALID_FIELD, "result");
            refused(() -> requests.result(json("{\"result\":\"\\udc00\"}")), ErrorCode.INVALID_FIELD, "result");
        }

        @Test
        void unknownFieldsAndWrongShapesAreRefused() {
            refused(() -> requests.result(json("{\"results\":1}")), ErrorCode.INVALID_FIELD, "results");
            refused(() -> requests.result(json("[1]")), ErrorCode.INVALID_JSON, null);
        }
    }

    @Nested
    class Fail {
        @Test
        void codeIsOptionalMessageIsRequired() {
            assertThat(requests.error(json("{\"error\":{\"code\":\"E_IO\",\"message\":\"disk full\"}}")))
                    .isEqualTo(new JobError("E_IO", "disk full"));
            assertThat(requests.error(json("{\"error\":{\"message\":\"disk full\\nat line 3\"}}")))
                    .isEqualTo(new JobError(null, "disk full\nat line 3"));
        }

        @Test
        void missingPartsAreNamed() {
            refused(() -> requests.error(null), ErrorCode.INVALID_FIELD, "error");
            refused(() -> requests.error(json("{}")), ErrorCode.INVALID_FIELD, "error");
            refused(() -> requests.error(json("{\"error\":null}")), ErrorCode.INVALID_FIELD, "error");
            refused(() -> requests.error(json("{\"error\":{}}")), ErrorCode.INVALID_FIELD, "error.message");
            refused(() -> requests.error(json("{\"error\":{\"code\":\"E\"}}")), ErrorCode.INVALID_FIELD,
                    "error.message");
        }

        @Test
        void limits() {
            refused(() -> requests.error(json("{\"error\":{\"message\":" + str("m".repeat(2049)) + "}}")),
                    ErrorCode.TOO_LARGE, "error.message");
            refused(() -> requests.error(json("{\"error\":{\"message\":\"m\",\"code\":" + str("c".repeat(201)) + "}}")),
                    ErrorCode.INVALID_FIELD, "error.code");
            refused(() -> requests.error(json("{\"error\":{\"message\":\"m\",\"code\":\"\"}}")),
                    ErrorCode.INVALID_FIELD, "error.code");
            refused(() -> requests.error(json("{\"error\":{\"message\":\"m\",\"code\":\"a b\\n\"}}")),
                    ErrorCode.INVALID_FIELD, "error.code");
            refused(() -> requests.error(json("{\"error\":{\"message\":\"m\\u0000\"}}")),
                    ErrorCode.INVALID_FIELD, "error.message");
        }

        @Test
        void unknownFieldsAreNamedWithTheirPath() {
            refused(() -> requests.error(json("{\"error\":{\"message\":\"m\",\"stack\":\"...\"}}")),
                    ErrorCode.INVALID_FIELD, "error.stack");
            refused(() -> requests.error(json("{\"error\":{\"message\":\"m\"},\"reason\":\"x\"}")),
                    ErrorCode.INVALID_FIELD, "reason");
            refused(() -> requests.error(json("{\"message\":\"m\"}")), ErrorCode.INVALID_FIELD, "message");
        }

        @Test
        void theBodyMustBeAnObject() {
            refused(() -> requests.error(json("[{\"error\":{\"message\":\"m\"}}]")), ErrorCode.INVALID_JSON, null);
        }
    }

    @Nested
    class Log {
        @Test
        void aLogLine() {
            assertThat(requests.log(json("{\"level\":\"warn\",\"message\":\"slow\\tdisk\",\"fields\":{ \"ms\" : 900 }}")))
                    .isEqualTo(new LogEntry(LogLevel.WARN, "slow\tdisk", new RawJson("{\"ms\":900}")));
            assertThat(requests.log(json("{\"level\":\"debug\",\"message\":\"\"}")))
                    .isEqualTo(new LogEntry(LogLevel.DEBUG, "", null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"debug", "info", "warn", "error"})
        void everyLevel(String level) {
            assertThat(requests.log(json("{\"level\":\"" + level + "\",\"message\":\"m\"}")).level().wire())
                    .isEqualTo(level);
        }

        @ParameterizedTest
        @ValueSource(strings = {"fatal", "INFO", "warning", "trace", "", " info"})
        void otherLevelsAreRefused(String level) {
            refused(() -> requests.log(json("{\"level\":" + str(level) + ",\"message\":\"m\"}")),
                    ErrorCode.INVALID_FIELD, "level");
        }

        @Test
        void levelAndMessageAreRequired() {
            refused(() -> requests.log(json("{\"message\":\"m\"}")), ErrorCode.INVALID_FIELD, "level");
            refused(() -> requests.log(json("{\"level\":\"info\"}")), ErrorCode.INVALID_FIELD, "message");
            refused(() -> requests.log(null), ErrorCode.INVALID_FIELD, "level");
        }

        @Test
        void limits() {
            refused(() -> requests.log(json("{\"level\":\"info\",\"message\":" + str("m".repeat(2049)) + "}")),
                    ErrorCode.TOO_LARGE, "message");
            refused(() -> requests.log(json("{\"level\":\"info\",\"message\":" + str("m".repeat(70 * 1024)) + "}")),
                    ErrorCode.TOO_LARGE, "message");
            refused(() -> requests.log(json("{\"level\":\"info\",\"message\":\"m\",\"fields\":"
                    + objectOfBytes(8193) + "}")), ErrorCode.TOO_LARGE, "fields");
            assertThatCode(() -> requests.log(json("{\"level\":\"info\",\"message\":\"m\",\"fields\":"
                    + objectOfBytes(8192) + "}"))).doesNotThrowAnyException();
            refused(() -> requests.log(json("{\"level\":\"info\",\"message\":\"a\\u0007b\"}")),
                    ErrorCode.INVALID_FIELD, "message");
        }

        @Test
        void unknownFieldsAreRefused() {
            refused(() -> requests.log(json("{\"level\":\"info\",\"message\":\"m\",\"time\":\"now\"}")),
                    ErrorCode.INVALID_FIELD, "time");
        }
    }

    @Nested
    class NoFields {
        @Test
        void absentOrEmptyIsFine() {
            assertThatCode(() -> requests.noFields(null)).doesNotThrowAnyException();
            assertThatCode(() -> requests.noFields(json("{}"))).doesNotThrowAnyException();
            assertThatCode(() -> requests.noFields(PARSER.parseOptional(new byte[0]))).doesNotThrowAnyException();
        }

        @Test
        void anyFieldIsRefused() {
            refused(() -> requests.noFields(json("{\"reason\":\"x\"}")), ErrorCode.INVALID_FIELD, "reason");
            refused(() -> requests.noFields(json("{\"a\":null}")), ErrorCode.INVALID_FIELD, "a");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "1", "\"x\"", "null", "true"})
        void aBodyThatIsNotAnObjectIsRefused(String body) {
            refused(() -> requests.noFields(json(body)), ErrorCode.INVALID_JSON, null);
        }
    }

    @Nested
    class EdgeValues {
        @Test
        void idempotencyKeys() {
            assertThat(JobRoutes.idempotencyKey(LIMITS, List.of())).isNull();
            assertThat(JobRoutes.idempotencyKey(LIMITS, List.of("k-1"))).isEqualTo("k-1");
            assertThat(JobRoutes.idempotencyKey(LIMITS, List.of("k".repeat(200)))).hasSize(200);
            refused(() -> JobRoutes.idempotencyKey(LIMITS, List.of("")), ErrorCode.INVALID_FIELD, "Idempotency-Key");
            refused(() -> JobRoutes.idempotencyKey(LIMITS, List.of("k".repeat(201))), ErrorCode.INVALID_FIELD, "Idempotency-Key");
            refused(() -> JobRoutes.idempotencyKey(LIMITS, List.of("a\u0001b")), ErrorCode.INVALID_FIELD, "Idempotency-Key");
            refused(() -> JobRoutes.idempotencyKey(LIMITS, List.of("k-1", "k-2")), ErrorCode.INVALID_FIELD, "Idempotency-Key");
        }

        @Test
        void names() {
            assertThat(Text.ID.check("acme", "project", LIMITS)).isEqualTo("acme");
            refused(() -> Text.ID.check(" ", "owner", LIMITS), ErrorCode.INVALID_FIELD, "owner");
        }
    }
}
