package dev.portflow.http;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.portflow.json.StrictJson;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.SchemaViolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Decodes bodies into {@link JsonMessage}s, checked against a JSON Schema (draft 2020-12 unless
 * the schema names another dialect with {@code $schema}), or against nothing.
 */
public final class JsonSchemaDecoder implements IngressDecoder<JsonMessage> {

    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final @Nullable Schema schema;

    private JsonSchemaDecoder(@Nullable Schema schema) {
        this.schema = schema;
    }

    /** Accepts any JSON document. */
    public static JsonSchemaDecoder anyJson() {
        return new JsonSchemaDecoder(null);
    }

    /**
     * A decoder for documents matching {@code jsonSchema} (the schema itself as JSON text).
     *
     * @throws IllegalArgumentException if the schema is not valid JSON or not a schema
     */
    public static JsonSchemaDecoder of(String jsonSchema) {
        try {
            return of(StrictJson.mapper().readTree(jsonSchema));
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("JSON Schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A decoder for documents matching {@code jsonSchema}. */
    public static JsonSchemaDecoder of(JsonNode jsonSchema) {
        if (jsonSchema == null || !(jsonSchema.isObject() || jsonSchema.isBoolean())) {
            throw new IllegalArgumentException("a JSON Schema must be an object or a boolean, was " + jsonSchema);
        }
        try {
            return new JsonSchemaDecoder(REGISTRY.getSchema(jsonSchema));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
        }
    }

    @Override
    public DecodedMessage<JsonMessage> decode(JsonNode body, String id, Instant ingestTime) {
        List<SchemaViolation> violations = new ArrayList<>();
        if (schema != null) {
            for (Error error : schema.validate(body)) {
                violations.add(new SchemaViolation(fieldOf(error), error.getMessage()));
            }
        }
        Object eventTime = EventTimeField.read(body);
        if (eventTime instanceof SchemaViolation v) {
            violations.add(v);
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(SchemaViolation::field));
            return DecodedMessage.invalid(violations);
        }
        Object parsed = StrictJson.mapper().treeToValue(body, Object.class);
        JsonMessage message = new JsonMessage(id, ingestTime, EventTimeField.asInstant(eventTime), parsed);
        return DecodedMessage.of(message);
    }

    /** {@code $.items[0].price} as {@code items[0].price}; for {@code required}, the missing property. */
    static String fieldOf(Error error) {
        String location = error.getInstanceLocation() == null
                ? ""
                : error.getInstanceLocation().toString();
        String path;
        if (location.isEmpty() || location.equals("$") || location.equals("/")) {
            path = "";
        } else if (location.startsWith("$.")) {
            path = location.substring(2);
        } else if (location.startsWith("$")) {
            path = location.substring(1); // $[0].x
        } else if (location.startsWith("/")) {
            path = location.substring(1).replace('/', '.'); // JSON Pointer form
        } else {
            path = location;
        }
        String property = error.getProperty();
        if (property != null
                && ("required".equals(error.getKeyword()) || "dependentRequired".equals(error.getKeyword()))) {
            return path.isEmpty() ? property : path + "." + property;
        }
        return path;
    }

    @Override
    public Class<JsonMessage> messageType() {
        return JsonMessage.class;
    }
}
