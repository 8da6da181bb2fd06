package dev.portflow.blueprint.validate;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks a blueprint's JSON Schemas against the draft 2020-12 meta-schema (bundled with the
 * validator, no network), so {@code type: objekt} is a problem at load time, not a surprise at
 * the first request.
 */
final class SchemaCheck {

    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    /** The meta-schema, or {@code null} when it cannot be loaded (then schemas are only compiled). */
    private static final @Nullable Schema META = loadMetaSchema();

    private SchemaCheck() {}

    private static @Nullable Schema loadMetaSchema() {
        try {
            Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(SchemaLocation.of(META_SCHEMA));
            meta.initializeValidators();
            return meta;
        } catch (RuntimeException e) {
            System.getLogger("dev.portflow.blueprint")
                    .log(
                            System.Logger.Level.DEBUG,
                            "JSON Schema meta-schema not available; schemas are only compiled, not checked",
                            e);
            return null;
        }
    }

    /** One thing wrong, at a JSON Pointer ({@code /properties/id/type}) into the schema. */
    record Finding(String location, String message) {

        /** {@code properties.id.type: <message>}, or the message alone for the schema's root. */
        String describe() {
            String path = location.replaceFirst("^[$]?/?", "").replace('/', '.');
            return path.isEmpty() || message.startsWith(path) ? message : path + ": " + message;
        }
    }

    /** What the meta-schema finds wrong with {@code schema}, one finding per location (nothing for other drafts). */
    static List<Finding> metaSchemaProblems(JsonNode schema) {
        if (META == null || !schema.isObject()) {
            return List.of();
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !dialect.asString("").startsWith(META_SCHEMA)) {
            return List.of();
        }
        try {
            java.util.Map<String, Finding> first = new java.util.LinkedHashMap<>();
            for (com.networknt.schema.Error e : META.validate(schema)) {
                String at = e.getInstanceLocation() == null
                        ? ""
                        : e.getInstanceLocation().toString();
                String message = e.getMessage();
                first.putIfAbsent(at, new Finding(at, message));
            }
            return List.copyOf(first.values());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The position of the part of {@code source} at {@code pointer} ({@code /a/0/b}), or the closest parent's. */
    static Position locate(YamlNode source, String pointer) {
        YamlNode node = source;
        Position at = source.position();
        if (pointer == null || pointer.isEmpty() || pointer.equals("/") || pointer.equals("$")) {
            return at;
        }
        // limit 0: trailing empty segments are dropped ("/a/" locates a)
        for (String raw : pointer.replaceFirst("^[$]?/?", "").split("/", 0)) {
            String segment = raw.replace("~1", "/").replace("~0", "~");
            YamlNode child = node instanceof YamlNode.Mapping m ? m.get(segment) : null;
            if (child != null) {
                node = child;
            } else if (node instanceof YamlNode.Sequence seq
                    && segment.matches("[0-9]+")
                    && Integer.parseInt(segment) < seq.items().size()) {
                node = seq.items().get(Integer.parseInt(segment));
            } else {
                break;
            }
            at = node.position();
        }
        return at;
    }
}
