package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Stage;
import dev.herald.server.edge.ClientText;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.body.Field;
import dev.herald.server.edge.body.Numbers;
import dev.herald.server.edge.body.ObjectShape;
import dev.herald.server.edge.body.Schemas;
import dev.herald.server.edge.body.Shape;
import dev.herald.server.edge.body.Text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A job's stages: each {@code {name, weight?}} or just its name (weight 1), names unique, at most maxStages. */
final class StageList implements Shape<List<Stage>> {
    private static final Field<String> NAME = Field.required("name", Text.ID);
    private static final Field<Double> WEIGHT = Field.optional("weight", Numbers.positive(), 1.0);
    private static final ObjectShape<Stage> STAGE = ObjectShape.of("A stage and its weight (1 when absent).",
            v -> new Stage(v.get(NAME), v.get(WEIGHT)), NAME, WEIGHT);

    @Override
    public List<Stage> read(JsonNode value, String path, Limits limits) {
        if (!value.isArray()) {
            throw Schemas.invalid(path, "'" + path + "' must be an array");
        }
        if (value.size() > limits.maxStages()) {
            throw HeraldException.field(ErrorCode.TOO_LARGE, path,
                    "a job may have at most " + limits.maxStages() + " stages");
        }
        List<Stage> stages = new ArrayList<>(value.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode item = value.get(i);
            Stage stage;
            if (item.isTextual()) {
                stage = new Stage(Text.ID.check(item.textValue(), at, limits), 1);
            } else if (item.isObject()) {
                stage = STAGE.read(item, at, limits);
            } else {
                throw Schemas.invalid(at, "'" + at + "' must be a stage name or an object " + STAGE.outline());
            }
            if (!names.add(stage.name())) {
                throw Schemas.invalid(item.isTextual() ? at : at + ".name",
                        "duplicate stage name '" + ClientText.printable(stage.name()) + "'");
            }
            stages.add(stage);
        }
        return stages;
    }

    @Override
    public ObjectNode schema(Limits limits) {
        return Schemas.array(Schemas.oneOf(Text.ID.schema(limits), STAGE.schema(limits)))
                .put("maxItems", limits.maxStages());
    }
}
