package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.model.SchemaSpec;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import dev.portflow.http.JsonSchemaDecoder;

/**
 * The blueprint's JSON Schemas: each one valid (compiled, and checked against the meta-schema by
 * {@link SchemaCheck}), each one a port names declared, and the same one at both ends of a connection.
 */
final class Schemas {

    private Schemas() {}

    /** Each schema under {@code schemas:} is a valid JSON Schema (draft 2020-12). */
    static void check(ValidationState state) {
        for (SchemaSpec s : state.blueprint.schemas().values()) {
            try {
                JsonSchemaDecoder.of(s.json());
            } catch (IllegalArgumentException e) {
                state.problem(
                        s.source().position(),
                        "schema '" + s.name() + "' is not a valid JSON Schema: " + e.getMessage(),
                        null);
            }
            for (SchemaCheck.Finding f : SchemaCheck.metaSchemaProblems(s.json())) {
                state.problem(
                        SchemaCheck.locate(s.source(), f.location()),
                        "schema '" + s.name() + "' is not a valid JSON Schema: " + f.describe(),
                        "schemas are JSON Schema draft 2020-12, written in YAML");
            }
        }
    }

    /** The schema a declared port names is declared. */
    static void reference(ValidationState state, PortSpec port) {
        String schema = port.schema();
        Position at = port.schemaPosition();
        if (schema != null && !state.blueprint.schemas().containsKey(schema)) {
            state.problem(
                    at != null ? at : port.position(),
                    "unknown schema '" + schema + "'",
                    state.blueprint.schemas().isEmpty()
                            ? "declare it under schemas: at the top level"
                            : Suggestions.didYouMean(
                                    schema, state.blueprint.schemas().keySet(), "schemas declared"));
        }
    }

    /** Both ends of a connection that declare a (known) schema declare the same one. */
    static void across(ValidationState state, Edge edge) {
        ConnectionSpec c = edge.spec();
        String out = edge.from()
                .spec()
                .port(edge.fromEnd().port())
                .map(PortSpec::schema)
                .orElse(null);
        String in =
                edge.to().spec().port(edge.toEnd().port()).map(PortSpec::schema).orElse(null);
        if (out != null
                && in != null
                && !out.equals(in)
                && state.blueprint.schemas().containsKey(out)
                && state.blueprint.schemas().containsKey(in)) {
            state.problem(
                    c.position(),
                    "schema mismatch: " + c.from() + " carries '" + out + "' but " + c.to() + " expects '" + in + "'",
                    "declare the same schema on both ports, or convert between them with a map component");
        }
    }
}
