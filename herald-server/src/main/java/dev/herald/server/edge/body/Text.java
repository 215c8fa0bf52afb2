package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.edge.ClientText;
import dev.herald.server.edge.Limits;

/** A string field, checked by what it is. The same checks serve text from headers and tokens. */
public enum Text implements Shape<String> {
    /** Ids, types, stage names, codes, keys: not blank, no control characters, at most maxNameChars. */
    ID,
    /** Names and units: like an id but may be empty. */
    LABEL,
    /** Messages: tab and newline allowed; over maxMessageChars is {@code too_large}. */
    MESSAGE;

    @Override
    public String read(JsonNode value, String path, Limits limits) {
        if (!value.isTextual()) {
            throw Schemas.invalid(path, "'" + path + "' must be a string");
        }
        return check(value.textValue(), path, limits);
    }

    /** Checks text that came from anywhere: a body, a header, a query parameter or a token. */
    public String check(String value, String path, Limits limits) {
        int max = max(limits);
        // measure first: a long string is refused for its length before being scanned
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            ErrorCode code = this == MESSAGE ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_FIELD;
            throw HeraldException.field(code, path, "'" + path + "' is longer than " + max + " characters");
        }
        if (this == ID && value.isBlank()) {
            throw Schemas.invalid(path, "'" + path + "' must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = this == MESSAGE ? c < 0x20 && c != '\t' && c != '\n' && c != '\r'
                    : Character.isISOControl(c);
            if (control) {
                throw Schemas.invalid(path, "'" + path + "' must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        if (!ClientText.wellFormed(value)) {
            throw Schemas.invalid(path, "'" + path + "' contains an unpaired surrogate, which is not Unicode text");
        }
        return value;
    }

    @Override
    public ObjectNode schema(Limits limits) {
        ObjectNode s = Schemas.type("string");
        if (this == ID) {
            s.put("minLength", 1);
        }
        return s.put("maxLength", max(limits));
    }

    private int max(Limits limits) {
        return this == MESSAGE ? limits.maxMessageChars() : limits.maxNameChars();
    }
}
