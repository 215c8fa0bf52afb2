package dev.herald.json;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Small JSON answers written field by field, without building a tree first. */
public final class JsonText {

    /** Writes the fields of one object. */
    public interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonText() {
    }

    /** {@code {...}} with the given fields. */
    public static String object(Fields fields) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JobJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
