package dev.herald.server.edge.body;

import java.util.List;

/** The fields of one object, as read so far. */
public final class Values {
    private final List<Field<?>> fields;
    private final Object[] values;
    private final boolean[] read;

    Values(List<Field<?>> fields) {
        this.fields = fields;
        this.values = new Object[fields.size()];
        this.read = new boolean[fields.size()];
    }

    void put(Field<?> field, Object value) {
        int i = indexOf(field);
        values[i] = value;
        read[i] = true;
    }

    /** The field's value, or its fallback when the body left it out. */
    @SuppressWarnings("unchecked")
    public <T> T get(Field<T> field) {
        int i = indexOf(field);
        if (!read[i]) {
            throw new IllegalStateException("field '" + field.name() + "' is not read before this point");
        }
        return (T) values[i];
    }

    // objects have a dozen fields at most: a scan beats hashing
    private int indexOf(Field<?> field) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i) == field) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a field of this object: " + field.name());
    }
}
