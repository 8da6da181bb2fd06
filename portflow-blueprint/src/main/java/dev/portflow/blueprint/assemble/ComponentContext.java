package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The {@link RecipeContext} of one component: what its recipe's factory, or its configurable user class, is given.
 *
 * @param pipelineName  the pipeline's name
 * @param componentName the component's name
 */
record ComponentContext(
        Blueprint blueprint,
        String pipelineName,
        String componentName,
        Resolved resolved,
        Map<String, JsonNode> schemas,
        Path dataDir,
        ClassLoader classLoader)
        implements RecipeContext {

    @Override
    public RecipeConfig config() {
        return resolved.config();
    }

    @Override
    public Optional<JsonNode> portSchema(String port) {
        return resolved.spec().port(port).map(PortSpec::schema).map(schemas::get);
    }

    @Override
    public List<String> inputPorts() {
        return List.copyOf(resolved.inputs());
    }

    @Override
    public List<String> outputPorts() {
        return List.copyOf(resolved.outputs());
    }

    @Override
    public Path dataDirectory() {
        return dataDir.toAbsolutePath().normalize();
    }

    @Override
    public Path blueprintDirectory() {
        return blueprint.directory();
    }
}
