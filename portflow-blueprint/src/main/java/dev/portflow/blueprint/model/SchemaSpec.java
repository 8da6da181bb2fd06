package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import tools.jackson.databind.JsonNode;

/**
 * A named JSON Schema from {@code schemas:}.
 *
 * @param name     the name ports refer to with {@code schema: <name>}
 * @param json     the schema as JSON
 * @param source   the YAML it was written as (positions of its parts)
 * @param position where the name is
 */
public record SchemaSpec(String name, JsonNode json, YamlNode source, Position position) {}
