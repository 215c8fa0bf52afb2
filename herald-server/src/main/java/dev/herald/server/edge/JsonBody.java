package dev.herald.server.edge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses request bodies strictly: one JSON value of valid UTF-8, no duplicate keys,
 * no trailing data, bounded size and depth. Every refusal is a {@link HeraldException}
 * ({@code invalid_json}, {@code too_large}, or {@code invalid_field} for a number that
 * cannot be read at all); nothing else escapes.
 *
 * <p>Floating-point numbers are kept as exact decimals, so a value too large for a
 * double (say {@code 1e400}) is still valid here and is refused by {@link Requests}
 * naming its field, and raw values (metadata, results) keep the digits the client sent.
 */
public final class JsonBody {
    /** Longer numbers are refused while parsing; no double or id needs more. */
    public static final int MAX_NUMBER_CHARS = 1000;

    private final Limits limits;
    /** One mapper per body limit (in practice two: the default and {@code complete}'s). */
    private final Map<Integer, ObjectMapper> mappers = new ConcurrentHashMap<>();

    public JsonBody(Limits limits) {
        this.limits = limits;
    }

    /** A required body within {@link Limits#maxBodyBytes()}: empty is {@code invalid_json}. */
    public JsonNode parse(byte[] body) {
        return parse(body, false, limits.maxBodyBytes());
    }

    /** An optional body within {@link Limits#maxBodyBytes()}: empty or blank reads as {@code {}}. */
    public JsonNode parseOptional(byte[] body) {
        return parse(body, true, limits.maxBodyBytes());
    }

    /**
     * A body within {@link Limits#maxBodyBytes()}. The {@code complete} route must use
     * {@link #parse(byte[], boolean, int)} with {@link Limits#completeBodyBytes()} instead,
     * or results larger than the default body limit are refused.
     */
    public JsonNode parse(byte[] body, boolean optional) {
        return parse(body, optional, limits.maxBodyBytes());
    }

    /**
     * Parses {@code body} (null counts as empty).
     *
     * @param optional whether an empty or blank body reads as {@code {}}, else it is {@code invalid_json}
     * @param maxBytes the body limit, e.g. {@code limits.maxBodyBytesFor("complete")}
     */
    public JsonNode parse(byte[] body, boolean optional, int maxBytes) {
        if (body != null && body.length > maxBytes) {
            throw new HeraldException(ErrorCode.TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
        }
        String text = decodeUtf8(body == null ? new byte[0] : body);
        if (isJsonWhitespace(text)) {
            if (optional) {
                return JsonNodeFactory.instance.objectNode();
            }
            throw new HeraldException(ErrorCode.INVALID_JSON, "a JSON body is required");
        }
        return read(text, maxBytes);
    }

    private JsonNode read(String text, int maxBytes) {
        ObjectMapper mapper = mappers.get(maxBytes);
        if (mapper == null) {
            mapper = mappers.computeIfAbsent(maxBytes, this::mapper);
        }
        JsonParser parser = null;
        try {
            parser = mapper.createParser(text);
            JsonNode node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw invalidJson("unexpected data after the JSON value", parser);
            }
            return node;
        } catch (HeraldException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw constraint(parser);
        } catch (JsonProcessingException e) {
            // Databind may wrap a constraint violation; look for it before calling it malformed.
            if (hasConstraintCause(e)) {
                throw constraint(parser);
            }
            throw new HeraldException(ErrorCode.INVALID_JSON, "malformed JSON: " + describe(e));
        } catch (NumberFormatException | ArithmeticException e) {
            // A number token Java cannot represent at all (e.g. an exponent beyond int range).
            String field = path(parser);
            throw HeraldException.field(ErrorCode.INVALID_FIELD, field, "a number cannot be read"
                    + (field == null ? "" : " in '" + field + "'"));
        } catch (IOException | RuntimeException e) {
            // Not expected from an in-memory string, but bad input must never become a 5xx.
            throw new HeraldException(ErrorCode.INVALID_JSON, "malformed JSON");
        } finally {
            closeQuietly(parser);
        }
    }

    /**
     * The nesting limit is what usually trips (the body limit bounds strings and the
     * document); anything else is a number longer than {@link #MAX_NUMBER_CHARS}.
     */
    private HeraldException constraint(JsonParser parser) {
        if (parser == null || depth(parser) > limits.maxDepth()) {
            return new HeraldException(ErrorCode.INVALID_JSON,
                    "JSON nested deeper than the limit of " + limits.maxDepth() + " levels");
        }
        String field = path(parser);
        return HeraldException.field(ErrorCode.INVALID_FIELD, field,
                "a number or string is too long (numbers may have at most " + MAX_NUMBER_CHARS + " characters)");
    }

    private ObjectMapper mapper(int maxBytes) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth())
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxStringLength(maxBytes)
                .maxDocumentLength(maxBytes)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                // Exact decimals: 1e400 stays readable (and refusable by field), 0.10 stays 0.10.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /** Strict decoding: the JDK decoder refuses overlong forms and encoded surrogates, which a lenient one would let through. */
    private static String decodeUtf8(byte[] body) {
        if (isAscii(body)) {
            // ASCII is UTF-8 as it is: the usual body (a worker's progress) needs no decoder, nor its buffers
            return new String(body, StandardCharsets.ISO_8859_1);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            // RFC 8259 lets a parser ignore a byte order mark; some clients send one.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new HeraldException(ErrorCode.INVALID_JSON, "the body is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Only the four JSON whitespace characters count, so a body of, say, U+00A0 is malformed rather than empty. */
    private static boolean isJsonWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static HeraldException invalidJson(String message, JsonParser parser) {
        var loc = parser.currentLocation();
        return new HeraldException(ErrorCode.INVALID_JSON,
                message + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
    }

    private static boolean hasConstraintCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException) {
                return true;
            }
        }
        return false;
    }

    private static int depth(JsonParser parser) {
        JsonStreamContext ctx = parser.getParsingContext();
        return ctx == null ? 0 : ctx.getNestingDepth();
    }

    /**
     * Where the parser stood, as {@code a.b[2].c}, or null at the top. Walks the context
     * chain (at most the depth limit long) instead of recursing.
     */
    static String path(JsonParser parser) {
        if (parser == null) {
            return null;
        }
        Deque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext ctx = parser.getParsingContext(); ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            if (ctx.inArray()) {
                segments.addFirst("[" + Math.max(ctx.getCurrentIndex(), 0) + "]");
            } else if (ctx.getCurrentName() != null) {
                segments.addFirst("." + ClientText.printable(ctx.getCurrentName()));
            }
        }
        String path = String.join("", segments);
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? null : path;
    }

    /** Jackson's own message without its location or configuration hints. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "unreadable input";
        }
        int hint = message.indexOf(": enable");
        if (hint < 0) {
            hint = message.indexOf('\n');
        }
        if (hint >= 0) {
            message = message.substring(0, hint);
        }
        if (message.contains("Non-standard token")) {
            message = "NaN and Infinity are not JSON numbers";
        }
        var loc = e.getLocation();
        String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        return ClientText.printable(message, 200) + where;
    }

    private static void closeQuietly(JsonParser parser) {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException | RuntimeException ignored) {
                // Nothing to release for an in-memory source.
            }
        }
    }
}
