package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.core.history.StageRun;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's stages as {@code history_runs.stages} keeps them, in format 1:
 * {@code {"v":1,"sg":[[name,durationMs,itemsPerSecond or null],…]}}.
 */
final class StoredStages {
    private StoredStages() {
    }

    static String encode(List<StageRun> stages) {
        StringWriter out = new StringWriter(32 * stages.size() + 2);
        try (JsonGenerator g = StorageJson.generator(out)) {
            StorageJson.writeStart(g, 1);
            g.writeArrayFieldStart("sg");
            for (StageRun s : stages) {
                g.writeStartArray();
                g.writeString(s.name());
                g.writeNumber(s.durationMs());
                if (s.itemsPerSecond() == null) {
                    g.writeNull();
                } else {
                    StorageJson.writeNumber(g, s.itemsPerSecond());
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<StageRun> decode(String value) {
        List<StageRun> stages = new ArrayList<>();
        try (JsonParser p = StorageJson.open(value, 1)) {
            // the name "sg", the array's start
            p.nextToken();
            p.nextToken();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                p.nextToken();
                String name = p.getText();
                p.nextToken();
                long ms = p.getLongValue();
                p.nextToken();
                Double perSecond = p.currentToken() == JsonToken.VALUE_NULL ? null : p.getDoubleValue();
                p.nextToken();
                stages.add(new StageRun(name, ms, perSecond));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stages;
    }
}
