package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.body.Schemas;
import dev.herald.server.edge.body.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /progress:batch}: refused as a whole only for its shape and size; an entry that is not
 * valid carries its error, so the others still apply.
 */
final class BatchShape implements Shape<List<BatchEntry>> {

    @Override
    public List<BatchEntry> read(JsonNode value, String path, Limits limits) {
        if (!value.isArray()) {
            throw new HeraldException(ErrorCode.INVALID_JSON, "the body must be a JSON array of progress entries");
        }
        if (value.isEmpty()) {
            throw HeraldException.field(ErrorCode.INVALID_FIELD, null, "the batch has no entries");
        }
        if (value.size() > limits.maxBatchEntries()) {
            throw new HeraldException(ErrorCode.TOO_LARGE, "a batch may have at most " + limits.maxBatchEntries()
                    + " entries, this one has " + value.size());
        }
        List<BatchEntry> entries = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            entries.add(entry(i, value.get(i), limits));
        }
        return List.copyOf(entries);
    }

    /** The entry, or its refusal: with no job id when even that could not be read. */
    private static BatchEntry entry(int index, JsonNode node, Limits limits) {
        if (!node.isObject()) {
            return BatchEntry.refused(index, null,
                    HeraldException.field(ErrorCode.INVALID_FIELD, null, "each batch entry must be a JSON object"));
        }
        String jobId;
        try {
            jobId = ProgressBodies.JOB_ID.read((ObjectNode) node, "", limits);
        } catch (HeraldException e) {
            return BatchEntry.refused(index, null, e);
        }
        try {
            return ProgressBodies.ENTRY.read(node, "", limits).at(index);
        } catch (HeraldException e) {
            return BatchEntry.refused(index, jobId, e);
        }
    }

    @Override
    public ObjectNode schema(Limits limits) {
        return Schemas.array(ProgressBodies.ENTRY.schema(limits)).put("minItems", 1)
                .put("maxItems", limits.maxBatchEntries());
    }
}
