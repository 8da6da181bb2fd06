package dev.portflow.blueprint.spi;

/**
 * Implemented by a user component ({@code class: com.acme.Enrich}) that takes a {@code config:}
 * from the blueprint. Without it, a user class with a {@code config:} is a validation problem.
 * The config is not schema-checked: values come as YAML gives them ({@code String}, {@code Long},
 * {@code Double}, {@code Boolean}, maps and lists).
 */
public interface Configurable {

    /** Called once after the no-arg constructor, before the pipeline is built. */
    void configure(RecipeContext context) throws Exception;
}
