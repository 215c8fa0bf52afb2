package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON conventions of the storage form, shared by {@link StoredJob} and
 * {@link StoredEvent}: every value is an object whose first field is its format
 * version, {@code "v":1}; a field absent means null or the default; times are epoch milliseconds; embedded JSON
 * (metadata, results, log fields) is kept as the very text it was given.
 *
 * <p>A value that does not open with a version was written before the storage
 * form existed: format 0, the API's JSON of then, read by {@link PreviousFormat}.
 * Any change to what is written, however small, takes the next version (each kind of value counts its own:
 * jobs are in format 1, events in format 2); a value of a version this code does not know is refused, never
 * half read.
 */
final class StorageJson {
    private static final String VERSION_FIELD = "v";
    private static final String MARKER = "{\"" + VERSION_FIELD + "\":";
    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private StorageJson() {
    }

    static JsonGenerator generator(StringWriter out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    /** Opens a value, its format first. */
    static void writeStart(JsonGenerator g, int format) throws IOException {
        g.writeStartObject();
        g.writeNumberField(VERSION_FIELD, format);
    }

    static boolean isPreviousFormat(String value) {
        return !value.startsWith(MARKER);
    }

    /** The value's format: 0 for one without a version, else the version it opens with. */
    static int formatOf(String value) {
        if (isPreviousFormat(value)) {
            return 0;
        }
        int format = 0;
        for (int i = MARKER.length(); i < value.length() && Character.isDigit(value.charAt(i)); i++) {
            format = format * 10 + (value.charAt(i) - '0');
        }
        return format;
    }

    /** A parser of a value in format 1 to {@code highest}, just past its version; any other is refused. */
    static JsonParser open(String value, int highest) throws IOException {
        JsonParser p = FACTORY.createParser(value);
        // the object's start, the name "v", its number
        p.nextToken();
        p.nextToken();
        p.nextToken();
        int version = p.getIntValue();
        if (version < 1 || version > highest) {
            p.close();
            throw new StoreException("a stored value is in format " + version + "; this Herald reads formats 0 to "
                    + highest + " of it (was the database written by a newer version?)", null);
        }
        return p;
    }

    static StoreException unknownField(String what, String field) {
        return new StoreException("a stored " + what + " has a field \"" + field
                + "\" its format does not have", null);
    }

    static JobStatus readStatus(JsonParser p) throws IOException {
        return JobStatus.fromWire(p.getText()).orElseThrow(() -> unknownValue("status", p));
    }

    static StoreException unknownValue(String what, JsonParser p) {
        try {
            return new StoreException("a stored value has an unknown " + what + " \"" + p.getText() + "\"", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whole numbers as integers, which is shorter; -0.0 stays a double so that it comes back as itself. */
    static void writeNumber(JsonGenerator g, double d) throws IOException {
        if (d == Math.rint(d) && Math.abs(d) < 1e15 && Double.doubleToRawLongBits(d) != NEGATIVE_ZERO) {
            g.writeNumber((long) d);
        } else {
            g.writeNumber(d);
        }
    }

    static void writeNumberField(JsonGenerator g, String field, Double d) throws IOException {
        if (d != null) {
            g.writeFieldName(field);
            writeNumber(g, d);
        }
    }

    static void writeStringField(JsonGenerator g, String field, String text) throws IOException {
        if (text != null) {
            g.writeStringField(field, text);
        }
    }

    static void writeTimeField(JsonGenerator g, String field, Instant time) throws IOException {
        if (time != null) {
            g.writeNumberField(field, time.toEpochMilli());
        }
    }

    static void writeRawField(JsonGenerator g, String field, RawJson raw) throws IOException {
        if (raw != null) {
            g.writeFieldName(field);
            g.writeRawValue(raw.text());
        }
    }

    static String readString(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
    }

    static Instant readTime(JsonParser p) throws IOException {
        return Instant.ofEpochMilli(p.getLongValue());
    }

    /** The embedded value under the parser, cut from the source text as it stands, which is what was written. */
    static RawJson readRaw(JsonParser p, String source) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        int end = (int) p.currentLocation().getCharOffset();
        return new RawJson(source.substring(start, end));
    }
}
