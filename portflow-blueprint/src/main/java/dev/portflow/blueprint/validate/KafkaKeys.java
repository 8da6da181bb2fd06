package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.model.SchemaSpec;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import dev.portflow.kafka.JsonFieldKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A Kafka connection's {@code key:} against the JSON Schema of its messages, when one of its ports
 * names a schema: the messages are JSON objects, the schema knows the field (under {@code properties}
 * or {@code required}), and the field, where the schema gives its type, may be a string, a number or a
 * boolean. A message without a usable value in the key field is sent unkeyed at run time
 * ({@link JsonFieldKey}); where the schema says what the messages hold, a misspelt or unusable field
 * is found here instead, before anything runs.
 */
final class KafkaKeys {

    /** The JSON types whose values make a record key. */
    private static final List<String> KEY_TYPES = List.of("string", "number", "integer", "boolean");

    private KafkaKeys() {}

    /** Checks the key of {@code edge} (when it is a Kafka connection with a well-formed key) against its schemas. */
    static void check(ValidationState state, Edge edge) {
        ConnectionSpec c = edge.spec();
        String key = c.key();
        if (!c.isKafka() || key == null || !JsonFieldKey.isFieldName(key)) {
            return; // not a Kafka key, or a malformed one (ConnectionSettings says so)
        }
        Set<String> names = new LinkedHashSet<>(); // the sender's and the receiver's: the same one when both name one
        edge.from().spec().port(edge.fromEnd().port()).map(PortSpec::schema).ifPresent(names::add);
        edge.to().spec().port(edge.toEnd().port()).map(PortSpec::schema).ifPresent(names::add);
        for (String name : names) {
            SchemaSpec schema = state.blueprint.schemas().get(name);
            if (schema != null) { // an unknown schema is a problem of its own
                against(state, c, key, schema);
            }
        }
    }

    private static void against(ValidationState state, ConnectionSpec c, String key, SchemaSpec schema) {
        JsonNode json = schema.json();
        if (!json.isObject()) {
            return; // true or false: says nothing of fields
        }
        JsonNode type = json.get("type");
        if (type != null && !allows(type, List.of("object"))) {
            state.problem(
                    c.position("key"),
                    "key '" + key + "' needs messages that are JSON objects, but schema '" + schema.name()
                            + "' is of type " + show(type),
                    "the record key is read from a top-level field of each message; remove key, or send objects");
            return;
        }
        JsonNode properties = json.get("properties");
        JsonNode required = json.get("required");
        boolean describesFields =
                (properties != null && properties.isObject()) || (required != null && required.isArray());
        if (!describesFields) {
            return; // any object: the field cannot be checked before run time
        }
        Set<String> known = new LinkedHashSet<>();
        if (properties != null && properties.isObject()) {
            known.addAll(properties.propertyNames());
        }
        if (required != null && required.isArray()) {
            for (JsonNode r : required) {
                if (r.isString()) {
                    known.add(r.asString());
                }
            }
        }
        if (!known.contains(key)) {
            state.problem(
                    c.position("key"),
                    "key '" + key + "' is not a field of schema '" + schema.name()
                            + "': messages without it would be sent unkeyed",
                    Suggestions.didYouMean(key, known, "its fields") + "; or add it to the schema's properties");
            return;
        }
        JsonNode property = properties != null && properties.isObject() ? properties.get(key) : null;
        JsonNode propertyType = property != null && property.isObject() ? property.get("type") : null;
        if (propertyType != null && !allows(propertyType, KEY_TYPES)) {
            state.problem(
                    c.position("key"),
                    "key '" + key + "' is of type " + show(propertyType) + " in schema '" + schema.name()
                            + "': a record key is a string, a number or a boolean",
                    "key the connection by a field that holds one, e.g. an id");
        }
    }

    /** A schema's {@code type} as written: {@code string}, {@code ["object","null"]}. */
    private static String show(JsonNode type) {
        return type.isString() ? type.asString() : type.toString();
    }

    /** Whether a schema's {@code type} (a name or a list of names) allows one of {@code wanted}. */
    private static boolean allows(JsonNode type, List<String> wanted) {
        if (type.isString()) {
            return wanted.contains(type.asString());
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (t.isString() && wanted.contains(t.asString())) {
                    return true;
                }
            }
            return false;
        }
        return true; // not a valid type: the schema's own problem, reported by Schemas
    }
}
