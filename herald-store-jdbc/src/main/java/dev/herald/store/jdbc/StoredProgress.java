package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;

import java.io.IOException;

import static dev.herald.store.jdbc.StorageJson.writeNumberField;
import static dev.herald.store.jdbc.StorageJson.writeStringField;

/**
 * A job's progress in format 1 of {@link StoredJob}:
 * {@code {"sg":stage,"ix":stageIndex,"cu":current,"to":total,"un":unit,"pc":percent,"ms":message,"md":metadata}},
 * each left out when null (the percent when 0), and the whole left out for no progress.
 * The percent is kept exactly, not rounded as the API shows it.
 */
final class StoredProgress {
    private StoredProgress() {
    }

    static void writeField(JsonGenerator g, String field, Progress p) throws IOException {
        if (p.equals(Progress.NONE)) {
            return;
        }
        g.writeObjectFieldStart(field);
        writeStringField(g, "sg", p.stage());
        if (p.stageIndex() != null) {
            g.writeNumberField("ix", p.stageIndex());
        }
        writeNumberField(g, "cu", p.current());
        writeNumberField(g, "to", p.total());
        writeStringField(g, "un", p.unit());
        if (Double.compare(p.percent(), 0.0) != 0) {
            writeNumberField(g, "pc", p.percent());
        }
        writeStringField(g, "ms", p.message());
        StorageJson.writeRawField(g, "md", p.metadata());
        g.writeEndObject();
    }

    /** The progress object the parser is on, up to its end. */
    static Progress read(JsonParser p, String source) throws IOException {
        String stage = null;
        Integer stageIndex = null;
        Double current = null;
        Double total = null;
        String unit = null;
        double percent = 0;
        String message = null;
        RawJson metadata = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "sg" -> stage = p.getText();
                case "ix" -> stageIndex = p.getIntValue();
                case "cu" -> current = p.getDoubleValue();
                case "to" -> total = p.getDoubleValue();
                case "un" -> unit = p.getText();
                case "pc" -> percent = p.getDoubleValue();
                case "ms" -> message = p.getText();
                case "md" -> metadata = StorageJson.readRaw(p, source);
                default -> throw StorageJson.unknownField("progress", field);
            }
        }
        return new Progress(stage, stageIndex, current, total, unit, percent, message, metadata);
    }
}
