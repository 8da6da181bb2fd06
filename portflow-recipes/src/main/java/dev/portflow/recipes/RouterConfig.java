package dev.portflow.recipes;

import dev.portflow.port.PortName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the router recipe ({@code recipe: router} in a blueprint).
 *
 * @param routes      the routes in order, at least one; the first whose condition is true wins
 * @param defaultPort the {@code out_*} port for messages no route matches; {@code null} drops them
 *                    as {@code filtered}
 */
public record RouterConfig(List<Route> routes, @Nullable String defaultPort) {

    static final String RECIPE = "router";

    /**
     * One route.
     *
     * @param port the {@code out_*} port the message goes to
     * @param when a CEL condition over the message's fields
     */
    public record Route(String port, String when) {

        public Route {
            if (!isDataOutput(port)) {
                throw ConfigProblems.problem(
                        RECIPE,
                        "routes[].port",
                        "an output port name out_<name> (lower case letters, digits, '_')",
                        port);
            }
            compile(port, when);
        }

        static CelExpression compile(String port, String when) {
            try {
                return CelExpression.compileCondition("routes[" + port + "].when", when);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(RECIPE + ": " + e.getMessage(), e);
            }
        }
    }

    public RouterConfig {
        if (routes == null || routes.isEmpty()) {
            throw ConfigProblems.missing(
                    RECIPE, "routes", "a list of {port: out_<name>, when: <CEL condition>}, at least one");
        }
        routes = List.copyOf(routes);
        if (defaultPort != null && !isDataOutput(defaultPort)) {
            throw ConfigProblems.problem(
                    RECIPE, "default", "an output port name out_<name> (lower case letters, digits, '_')", defaultPort);
        }
    }

    /** Every output port the routes and the default name, in order: the ports a blueprint must connect. */
    public Set<String> outputPorts() {
        Set<String> ports = new LinkedHashSet<>();
        routes.forEach(r -> ports.add(r.port()));
        if (defaultPort != null) {
            ports.add(defaultPort);
        }
        return ports;
    }

    static boolean isDataOutput(String port) {
        return PortName.isOutput(port) && !PortName.isError(port);
    }
}
