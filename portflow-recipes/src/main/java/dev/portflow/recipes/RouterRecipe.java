package dev.portflow.recipes;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.RecipeCheck;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.component.Component;
import dev.portflow.port.PortName;
import dev.portflow.runtime.ComponentKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code recipe: router}, made of {@link CelRouter}. Besides the expressions, validation checks that
 * every route names a connected {@code out_*} port and that every connected one has a route.
 */
public final class RouterRecipe extends AbstractRecipe {

    public RouterRecipe() {
        super(
                RouterConfig.RECIPE,
                ComponentKind.ROUTER,
                "sends each message to the out_* port of the first route whose CEL condition holds",
                PortRule.router(),
                List.of(
                        ConfigKey.required(
                                        "routes",
                                        ConfigType.LIST,
                                        "the routes in order: [{port: out_big, when: \"amount > 100\"}]")
                                .elementKeys(
                                        ConfigKey.required("port", ConfigType.STRING, "an out_* port of the router"),
                                        ConfigKey.required("when", ConfigType.EXPRESSION, "CEL condition"))
                                .min(1),
                        ConfigKey.optional(
                                "default",
                                ConfigType.STRING,
                                null,
                                "out_* port for messages no route takes; dropped as filtered when left out")),
                CelRouter.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new CelRouter(config(context.config()));
    }

    private static RouterConfig config(RecipeConfig c) {
        List<RouterConfig.Route> routes = new ArrayList<>();
        for (Object item : c.getList("routes")) {
            Map<?, ?> route = (Map<?, ?>) item; // the element keys were checked: a mapping with port and when
            routes.add(new RouterConfig.Route(String.valueOf(route.get("port")), String.valueOf(route.get("when"))));
        }
        return new RouterConfig(routes, c.getString("default"));
    }

    /** Every route and the default name a connected {@code out_*} port; every connected one is routed to. */
    @Override
    public void check(RecipeCheck check) {
        ConfigEntry routes = check.entry("routes").orElse(null);
        Set<String> connected = check.outputPorts();
        Set<String> routed = new LinkedHashSet<>();
        if (routes != null && routes.value() instanceof YamlNode.Sequence seq) {
            for (YamlNode item : seq.items()) {
                if (item instanceof YamlNode.Mapping m
                        && m.get("port") instanceof YamlNode.Scalar port
                        && !port.isNull()) {
                    checkRoutePort(check, port.text(), port.position(), connected, "route");
                    routed.add(port.text());
                }
            }
        }
        ConfigEntry def = check.entry("default").orElse(null);
        if (def != null && def.value() instanceof YamlNode.Scalar port && !port.isNull()) {
            checkRoutePort(check, port.text(), port.position(), connected, "default");
            routed.add(port.text());
        }
        if (routes == null || !(routes.value() instanceof YamlNode.Sequence)) {
            return; // already reported by the config check
        }
        for (String out : connected) {
            if (!PortName.isError(out) && !routed.contains(out)) {
                check.problem(
                        routes.keyPosition(),
                        "router '" + check.componentName() + "' has " + out + " connected, but no route sends to it",
                        "add a route {port: " + out + ", when: ...} or set default: " + out);
            }
        }
    }

    private static void checkRoutePort(
            RecipeCheck check, String port, Position at, Set<String> connected, String what) {
        if (!PortName.isOutput(port) || PortName.isError(port)) {
            check.problem(
                    at,
                    what + " port '" + port + "' is not an out_* port name",
                    "router outputs are named out_<name>, e.g. out_big");
        } else if (!connected.contains(port)) {
            List<String> outs =
                    connected.stream().filter(p -> !PortName.isError(p)).toList();
            String near = Suggestions.nearest(port, outs);
            check.problem(
                    at,
                    what + " port '" + port + "' of router '" + check.componentName() + "' is not connected",
                    near != null
                            ? "did you mean '" + near + "'?"
                            : "connect it: - {from: " + check.componentName() + "." + port
                                    + ", to: <component>.in_<name>}");
        }
    }
}
