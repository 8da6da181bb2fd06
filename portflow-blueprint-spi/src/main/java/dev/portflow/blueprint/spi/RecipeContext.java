package dev.portflow.blueprint.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What a recipe's factory gets to make its component. */
public interface RecipeContext {

    /** The component's name in the blueprint. */
    String componentName();

    /** The pipeline's name. */
    String pipelineName();

    /** The validated configuration, defaults filled in. */
    RecipeConfig config();

    /** Every schema of the blueprint, by name. */
    Map<String, JsonNode> schemas();

    /** The JSON Schema declared on one of the component's ports ({@code inputs:}/{@code outputs:}), if any. */
    Optional<JsonNode> portSchema(String port);

    /** The component's input port names, from the connections. */
    List<String> inputPorts();

    /** The component's output port names ({@code out_*} and {@code err_*}), from the connections. */
    List<String> outputPorts();

    /**
     * A directory for the component's files (e.g. an embedded database): by default
     * {@code <blueprint directory>/data}. Not created here: a recipe that writes creates it.
     */
    Path dataDirectory();

    /** The directory relative paths of the blueprint are resolved against. */
    Path blueprintDirectory();

    /** The class loader of the blueprint's classes (user jars included). */
    ClassLoader classLoader();
}
