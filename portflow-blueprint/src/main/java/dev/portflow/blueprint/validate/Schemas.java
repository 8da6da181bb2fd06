package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.model.SchemaSpec;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
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
        if (port.schema() != null && !state.blueprint.schemas().containsKey(port.schema())) {
            state.problem(
                    port.schemaPosition(),
                    "unknown schema '" + port.schema() + "'",
                    state.blueprint.schemas().isEmpty()
                            ? "declare it under schemas: at the top level"
                            : Suggestions.didYouMean(
                                    port.schema(), state.blueprint.schemas().keySet(), "schemas declared"));
        }
    }

    /** Both ends of a connection that declare a (known) schema declare the same one. */
    static void across(ValidationState state, ConnectionSpec c, Resolved from, Resolved to) {
        String out = from.spec().port(c.from().port()).map(PortSpec::schema).orElse(null);
        String in = to.spec().port(c.to().port()).map(PortSpec::schema).orElse(null);
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
