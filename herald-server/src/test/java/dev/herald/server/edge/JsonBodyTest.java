package dev.herald.server.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.model.ErrorCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static dev.herald.server.support.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodyTest {
    private final Limits limits = Limits.defaults();
    private final JsonBody body = new JsonBody(limits);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class Valid {
        @Test
        void parsesAnObject() {
            JsonNode node = body.parse(utf8("{\"type\":\"import\",\"n\":[1,2.5,true,null]}"));
            assertThat(node.get("type").textValue()).isEqualTo("import");
            assertThat(node.get("n").size()).isEqualTo(4);
        }

        @Test
        void parsesAnArrayAndScalarsLeavingShapeToRequests() {
            assertThat(body.parse(utf8("[{\"jobId\":\"j\"}]")).isArray()).isTrue();
            assertThat(body.parse(utf8("42")).isNumber()).isTrue();
        }

        @Test
        void surroundingWhitespaceIsFine() {
            assertThat(body.parse(utf8(" \r\n\t{\"a\":1}\n ")).get("a").intValue()).isEqualTo(1);
        }

        @Test
        void aLeadingByteOrderMarkIsIgnored() {
            assertThat(body.parse(utf8("\uFEFF{\"a\":1}")).get("a").intValue()).isEqualTo(1);
        }

        @Test
        void decimalsKeepTheDigitsTheClientSent() {
            JsonNode node = body.parse(utf8("{\"a\":0.10,\"b\":100.0,\"c\":12345678901234567890123}"));
            assertThat(node.toString()).isEqualTo("{\"a\":0.10,\"b\":100.0,\"c\":12345678901234567890123}");
        }

        @Test
        void aNumberTooLargeForADoubleStillParsesSoRequestsCanNameItsField() {
            JsonNode node = body.parse(utf8("{\"current\":1e400}"));
            assertThat(node.get("current").isNumber()).isTrue();
            assertThat(Double.isInfinite(node.get("current").doubleValue())).isTrue();
            assertThat(node.toString()).isEqualTo("{\"current\":1E+400}");
        }

        @Test
        void nonAsciiText() {
            assertThat(body.parse(utf8("{\"m\":\"h\u00e9llo \u4e16\u754c \uD83D\uDE80\"}")).get("m").textValue())
                    .isEqualTo("h\u00e9llo \u4e16\u754c \uD83D\uDE80");
        }

        @Test
        void depthExactlyAtTheLimitIsAllowed() {
            String json = "[".repeat(32) + "]".repeat(32);
            assertThat(body.parse(utf8(json)).isArray()).isTrue();
        }

        @Test
        void aBodyExactlyAtTheLimitIsAllowed() {
            String prefix = "{\"m\":\"";
            String json = prefix + "x".repeat(limits.maxBodyBytes() - prefix.length() - 2) + "\"}";
            assertThat(utf8(json)).hasSize(limits.maxBodyBytes());
            assertThat(body.parse(utf8(json)).get("m").textValue()).hasSize(json.length() - 8);
        }
    }

    @Nested
    class Empty {
        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\n", " \r\n\t "})
        void anOptionalBodyReadsAsAnEmptyObject(String text) {
            JsonNode node = body.parseOptional(utf8(text));
            assertThat(node.isObject()).isTrue();
            assertThat(node.isEmpty()).isTrue();
            assertThat(body.parse(utf8(text), true).isObject()).isTrue();
        }

        @Test
        void anAbsentOptionalBodyReadsAsAnEmptyObject() {
            assertThat(body.parseOptional(null).isObject()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\n\r\t"})
        void aRequiredBodyMustNotBeEmpty(String text) {
            refused(() -> body.parse(utf8(text)), ErrorCode.INVALID_JSON, null);
            refused(() -> body.parse(utf8(text), false), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void anAbsentRequiredBodyIsInvalidJson() {
            refused(() -> body.parse(null), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void onlyJsonWhitespaceCountsAsEmpty() {
            refused(() -> body.parseOptional(utf8("\u00A0")), ErrorCode.INVALID_JSON, null);
        }
    }

    @Nested
    class Malformed {
        @ParameterizedTest
        @ValueSource(strings = {
                "{", "}", "[1,2", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{a:1}", "{\"a\":1,}", "[1,]",
                "{\"a\":01}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":0x10}", "{/*c*/}", "// c\n{}",
                "{\"a\":tru}", "{\"a\":undefined}", "{\"a\":\"unterminated}", "{\"a\":\"bad \\x escape\"}",
                "\"a\" \"b\"", "nul"})
        void isInvalidJson(String text) {
            refused(() -> body.parse(utf8(text)), ErrorCode.INVALID_JSON, null);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "[NaN]", "NaN"})
        void nanAndInfinityAreNotJson(String text) {
            String message = refused(() -> body.parse(utf8(text)), ErrorCode.INVALID_JSON, null);
            assertThat(message).contains("NaN and Infinity").doesNotContain("enable");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{} x", "{}{}", "{\"a\":1}]", "{} {\"b\":2}", "[] []", "1 2", "{}\u0000"})
        void trailingDataIsRefused(String text) {
            refused(() -> body.parse(utf8(text)), ErrorCode.INVALID_JSON, null);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "[{\"x\":null,\"x\":null}]"})
        void duplicateKeysAreRefused(String text) {
            String message = refused(() -> body.parse(utf8(text)), ErrorCode.INVALID_JSON, null);
            assertThat(message).containsIgnoringCase("duplicate");
        }

        @Test
        void rawControlCharactersInStringsAreRefused() {
            refused(() -> body.parse(utf8("{\"a\":\"x\u0001y\"}")), ErrorCode.INVALID_JSON, null);
            refused(() -> body.parse(utf8("{\"a\":\"x\ny\"}")), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void messagesDoNotLeakParserInternals() {
            String message = refused(() -> body.parse(utf8("{\"a\":x}")), ErrorCode.INVALID_JSON, null);
            assertThat(message).startsWith("malformed JSON").doesNotContain("Source:").doesNotContain("StreamRead");
        }
    }

    @Nested
    class Encoding {
        @Test
        void invalidUtf8IsInvalidJson() {
            byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'};
            String message = refused(() -> body.parse(bytes), ErrorCode.INVALID_JSON, null);
            assertThat(message).contains("UTF-8");
        }

        @Test
        void overlongEncodingsAreRefused() {
            // 0xC0 0x80 is an overlong NUL that a lenient decoder would let into a string.
            byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
            refused(() -> body.parse(bytes), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void encodedSurrogatesAreRefused() {
            byte[] bytes = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
            refused(() -> body.parse(bytes), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void truncatedSequencesAreRefused() {
            byte[] bytes = {'"', (byte) 0xE4, (byte) 0xB8, '"'};
            refused(() -> body.parse(bytes), ErrorCode.INVALID_JSON, null);
            refused(() -> body.parse(new byte[]{'{', (byte) 0xFF, '}'}), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void otherEncodingsAreNotGuessed() {
            byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16);
            refused(() -> body.parse(utf16), ErrorCode.INVALID_JSON, null);
        }
    }

    @Nested
    class Depth {
        @Test
        void oneLevelTooDeepIsRefusedNamingTheLimit() {
            String json = "[".repeat(33) + "]".repeat(33);
            String message = refused(() -> body.parse(utf8(json)), ErrorCode.INVALID_JSON, null);
            assertThat(message).contains("32");
        }

        @Test
        void tenThousandNestedArraysAreRefusedWithoutOverflow() {
            String json = "[".repeat(10_000) + "]".repeat(10_000);
            assertThat(json.length()).isLessThan(limits.maxBodyBytes());
            String message = refused(() -> body.parse(utf8(json)), ErrorCode.INVALID_JSON, null);
            assertThat(message).contains("deeper").contains("32");
        }

        @Test
        void tenThousandNestedObjectsAreRefused() {
            String json = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
            refused(() -> body.parse(utf8(json)), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void unclosedDeepNestingIsRefused() {
            refused(() -> body.parse(utf8("[".repeat(10_000))), ErrorCode.INVALID_JSON, null);
        }

        @Test
        void theDepthLimitIsConfigurable() {
            JsonBody shallow = new JsonBody(new Limits(65536, 2048, 8192, 1 << 20, 2, 200, 100, 1000, 8192, 1000));
            assertThatCode(() -> shallow.parse(utf8("{\"a\":{}}"))).doesNotThrowAnyException();
            String message = refused(() -> shallow.parse(utf8("{\"a\":{\"b\":[]}}")), ErrorCode.INVALID_JSON, null);
            assertThat(message).contains("2 levels");
        }
    }

    @Nested
    class Size {
        @Test
        void aBodyOverTheLimitIsTooLarge() {
            String json = "{\"m\":\"" + "x".repeat(70 * 1024) + "\"}";
            refused(() -> body.parse(utf8(json)), ErrorCode.TOO_LARGE, null);
            refused(() -> body.parseOptional(utf8(json)), ErrorCode.TOO_LARGE, null);
        }

        @Test
        void oneByteOverTheLimitIsTooLarge() {
            byte[] bytes = new byte[limits.maxBodyBytes() + 1];
            java.util.Arrays.fill(bytes, (byte) ' ');
            refused(() -> body.parseOptional(bytes), ErrorCode.TOO_LARGE, null);
        }

        @Test
        void theCompleteRouteMayCarryAResultUpToItsLimit() {
            String json = "{\"result\":{\"data\":\"" + "x".repeat(500 * 1024) + "\"}}";
            refused(() -> body.parse(utf8(json)), ErrorCode.TOO_LARGE, null);
            JsonNode node = body.parse(utf8(json), true, limits.maxBodyBytesFor("complete"));
            assertThat(node.get("result").get("data").textValue()).hasSize(500 * 1024);
        }

        @Test
        void aNumberLongerThanTheLimitIsRefusedNamingItsField() {
            String digits = "9".repeat(JsonBody.MAX_NUMBER_CHARS + 1);
            refused(() -> body.parse(utf8("{\"total\":" + digits + "}")), ErrorCode.INVALID_FIELD, "total");
            refused(() -> body.parse(utf8("{\"metadata\":{\"x\":[0." + digits + "]}}")),
                    ErrorCode.INVALID_FIELD, "metadata.x[0]");
        }

        @Test
        void aNumberAtTheLengthLimitParses() {
            String digits = "9".repeat(JsonBody.MAX_NUMBER_CHARS);
            assertThat(body.parse(utf8("{\"x\":" + digits + "}")).get("x").isNumber()).isTrue();
        }

        @Test
        void anExponentJavaCannotRepresentIsRefusedNamingItsField() {
            refused(() -> body.parse(utf8("{\"current\":1e9999999999}")), ErrorCode.INVALID_FIELD, "current");
            refused(() -> body.parse(utf8("[{\"jobId\":\"j\",\"percent\":1e-9999999999}]")),
                    ErrorCode.INVALID_FIELD, "[0].percent");
        }
    }

    @Nested
    class LimitsDefaults {
        @Test
        void documentedDefaults() {
            Limits d = Limits.defaults();
            assertThat(d.maxBodyBytes()).isEqualTo(65_536);
            assertThat(d.maxMessageChars()).isEqualTo(2_048);
            assertThat(d.maxMetadataBytes()).isEqualTo(8_192);
            assertThat(d.maxResultBytes()).isEqualTo(1_048_576);
            assertThat(d.maxDepth()).isEqualTo(32);
            assertThat(d.maxNameChars()).isEqualTo(200);
            assertThat(d.maxStages()).isEqualTo(100);
            assertThat(d.maxBatchEntries()).isEqualTo(1_000);
            assertThat(d.maxLogFieldsBytes()).isEqualTo(8_192);
            assertThat(d.maxSubscriptions()).isEqualTo(1_000);
        }

        @Test
        void onlyTheCompleteRouteGetsTheLargerBody() {
            Limits d = Limits.defaults();
            assertThat(d.maxBodyBytesFor("progress")).isEqualTo(65_536);
            assertThat(d.maxBodyBytesFor(null)).isEqualTo(65_536);
            assertThat(d.maxBodyBytesFor("complete")).isEqualTo(1_048_576 + 1024);
            assertThat(d.maxBodyBytesFor("/api/v1/jobs/:id/complete")).isEqualTo(d.completeBodyBytes());
        }

        @Test
        void limitsMustBePositive() {
            assertThatThrownBy(() -> new Limits(0, 1, 1, 1, 1, 1, 1, 1, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
        }
    }
}
