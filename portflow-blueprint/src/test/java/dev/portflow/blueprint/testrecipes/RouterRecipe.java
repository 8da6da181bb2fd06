package dev.portflow.blueprint.testrecipes;

import dev.portflow.component.Router;
import java.util.List;
import java.util.Map;

/** A stand-in made from a record with a list of nested records; "when" is "even" or "odd". */
public class RouterRecipe implements Router<Map<String, Object>> {

    /** One route. */
    public record Route(String port, String when) {}

    /** Bound from {@code routes} and {@code default}. */
    public record Config(List<Route> routes) {}

    private final List<Route> routes;

    public RouterRecipe(Config config) {
        this.routes = config.routes();
    }

    @Override
    public String route(Map<String, Object> message) {
        long seq = ((Number) message.get("seq")).longValue();
        for (Route r : routes) {
            if (r.when().equals(seq % 2 == 0 ? "even" : "odd")) {
                return r.port();
            }
        }
        return null;
    }
}
