package dev.portflow.recipes;

import dev.portflow.component.Router;
import dev.portflow.message.JsonMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code router} recipe: sends each message to the port of the first route whose condition is
 * true, else to the default port, else drops it as {@code filtered}. An evaluation error in a
 * condition fails the message (routes after it are not tried). Any number of workers may call it at
 * once: the compiled conditions are immutable.
 */
public final class CelRouter implements Router<JsonMessage> {

    private record CompiledRoute(String port, CelExpression when) {}

    private final RouterConfig config;
    private final List<CompiledRoute> routes;

    public CelRouter(RouterConfig config) {
        this.config = config;
        this.routes = config.routes().stream()
                .map(r -> new CompiledRoute(r.port(), RouterConfig.Route.compile(r.port(), r.when())))
                .toList();
    }

    public RouterConfig config() {
        return config;
    }

    @Override
    public @Nullable String route(JsonMessage message) {
        Object body = message.body();
        for (CompiledRoute route : routes) {
            if (route.when().test(body)) {
                return route.port();
            }
        }
        return config.defaultPort();
    }
}
