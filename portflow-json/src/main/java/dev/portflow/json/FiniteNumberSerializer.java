package dev.portflow.json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes finite doubles and floats as Jackson does, and refuses Infinity and NaN, which JSON cannot
 * hold, with the path of the field.
 */
final class FiniteNumberSerializer extends StdSerializer<Number> {

    static final FiniteNumberSerializer INSTANCE = new FiniteNumberSerializer();

    private FiniteNumberSerializer() {
        super(Number.class);
    }

    @Override
    public void serialize(Number value, JsonGenerator gen, SerializationContext context) {
        if (value instanceof Float f && Float.isFinite(f)) {
            gen.writeNumber(f);
        } else if (Double.isFinite(value.doubleValue())) {
            gen.writeNumber(value.doubleValue());
        } else {
            throw DatabindException.from(
                    gen, describe(gen.streamWriteContext()) + " is " + value + ", which JSON cannot hold");
        }
    }

    /** {@code field 'a.b[2]'} for the value about to be written in {@code context}. */
    private static String describe(TokenStreamContext context) {
        StringBuilder path = new StringBuilder();
        boolean leaf = true;
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                // The leaf array has not counted the value being written yet; its parents have.
                path.insert(0, "[" + (leaf ? c.getEntryCount() : c.getCurrentIndex()) + "]");
            } else if (c.currentName() != null) {
                path.insert(0, (path.isEmpty() || path.charAt(0) == '[' ? "" : "."))
                        .insert(0, c.currentName());
            }
            leaf = false;
        }
        return path.isEmpty() ? "the value" : "field '" + path + "'";
    }
}
