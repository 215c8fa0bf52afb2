package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.herald.core.model.Job;
import dev.herald.core.model.LogLine;
import dev.herald.json.EventJson;
import dev.herald.json.JobJson;

/** Jobs and log lines in their API JSON form (API §1), which is what the command prints and draws from. */
final class CliJson {
    private CliJson() {
    }

    static JsonNode tree(Job job) {
        return read(JobJson.toJson(job));
    }

    static JsonNode tree(LogLine line) {
        return read(EventJson.logToJson(line));
    }

    static String pretty(Job job) {
        try {
            return JobJson.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JobJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the JSON form of a job could not be read back", e);
        }
    }
}
