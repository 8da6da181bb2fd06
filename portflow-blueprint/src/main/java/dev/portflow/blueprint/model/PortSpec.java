package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import org.jspecify.annotations.Nullable;

/**
 * A port declared in a component's {@code inputs:} or {@code outputs:}, usually to give it a schema.
 *
 * @param name           the port name ({@code in_*}, {@code out_*} or {@code err_*})
 * @param schema         the name of a schema in {@code schemas:}, or {@code null}
 * @param position       where the port's name is
 * @param schemaPosition where the schema name is, or {@code null}
 */
public record PortSpec(
        String name,
        @Nullable String schema,
        Position position,
        @Nullable Position schemaPosition) {}
