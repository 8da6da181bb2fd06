package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.bodies;
import static dev.portflow.recipes.TestSupport.dropped;
import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Source;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CelRouterTest {

    private final TestSupport.Capture<JsonMessage> big = new TestSupport.Capture<>();
    private final TestSupport.Capture<JsonMessage> eu = new TestSupport.Capture<>();
    private final TestSupport.Capture<JsonMessage> rest = new TestSupport.Capture<>();
    private final TestSupport.Capture<ErrorEnvelope> errors = new TestSupport.Capture<>();

    private static final List<RouterConfig.Route> ROUTES = List.of(
            new RouterConfig.Route("out_big", "amount >= 1000"), new RouterConfig.Route("out_eu", "region == 'eu'"));

    private Pipeline route(RouterConfig config, Source<JsonMessage> source) throws InterruptedException {
        PipelineBuilder b = Pipeline.builder("routing")
                .source("in", JsonMessage.class, source)
                .router("split", JsonMessage.class, new CelRouter(config))
                .sink("big", JsonMessage.class, big)
                .sink("eu", JsonMessage.class, eu)
                .sink("errors", ErrorEnvelope.class, errors)
                .connect("in.out_orders", "split.in_orders")
                .connect("split.out_big", "big.in_orders")
                .connect("split.out_eu", "eu.in_orders")
                .connect("split.err_orders", "errors.in_errors");
        if (config.defaultPort() != null) {
            b.sink("rest", JsonMessage.class, rest).connect("split." + config.defaultPort(), "rest.in_orders");
        }
        return run(b);
    }

    @Test
    void firstMatchingRouteWinsThenTheDefault() throws Exception {
        route(
                new RouterConfig(ROUTES, "out_rest"),
                bodies(
                        obj("n", 1, "amount", 5000, "region", "eu"),
                        obj("n", 2, "amount", 10, "region", "eu"),
                        obj("n", 3, "amount", 10.5, "region", "us"),
                        obj("n", 4, "amount", 1000.0, "region", "us")));
        assertThat(ns(big)).containsExactly(1, 4);
        assertThat(ns(eu)).containsExactly(2);
        assertThat(ns(rest)).containsExactly(3);
        assertThat(errors.received).isEmpty();
    }

    private static List<Object> ns(TestSupport.Capture<JsonMessage> capture) {
        return capture.received.stream().map(m -> m.fields().get("n")).toList();
    }

    @Test
    void withoutADefaultUnmatchedMessagesAreFiltered() throws Exception {
        Pipeline pipeline = route(
                new RouterConfig(ROUTES, null),
                bodies(obj("amount", 1, "region", "us"), obj("amount", 2, "region", "eu")));
        assertThat(eu.received).hasSize(1);
        assertThat(big.received).isEmpty();
        assertThat(dropped(pipeline, "split", "in_orders", "filtered")).isEqualTo(1);
    }

    @Test
    void aFailingConditionSendsTheMessageToTheErrorPort() throws Exception {
        route(new RouterConfig(ROUTES, "out_rest"), bodies(obj("region", "eu"), obj("amount", 1, "region", "eu")));
        assertThat(eu.received).hasSize(1);
        assertThat(rest.received).isEmpty();
        assertThat(errors.received).singleElement().satisfies(e -> {
            assertThat(e.errorType()).isEqualTo("ExpressionException");
            assertThat(e.message()).contains("'routes[out_big].when' (amount >= 1000) reads field 'amount'");
        });
    }

    @Test
    void badConfigurations() {
        assertThatThrownBy(() -> new RouterConfig(List.of(), null))
                .hasMessageStartingWith("router: 'routes' is required");
        assertThatThrownBy(() -> new RouterConfig.Route("big", "true"))
                .hasMessage(
                        "router: 'routes[].port' must be an output port name out_<name> (lower case letters, digits, '_'), was \"big\"");
        assertThatThrownBy(() -> new RouterConfig.Route("err_big", "true"))
                .hasMessageContaining("'routes[].port' must be an output port name out_<name>");
        assertThatThrownBy(() -> new RouterConfig(ROUTES, "rest"))
                .hasMessageContaining("router: 'default' must be an output port name out_<name>");
        assertThatThrownBy(() -> new RouterConfig.Route("out_x", "amount + 1"))
                .hasMessageContaining("router: 'routes[out_x].when' must be a CEL expression producing a boolean")
                .hasMessageContaining("produces int");
        RouterConfig ok = new RouterConfig(
                List.of(new RouterConfig.Route("out_a", "x > 1"), new RouterConfig.Route("out_b", "true")), "out_a");
        assertThat(ok.outputPorts()).containsExactly("out_a", "out_b");
    }

    // Bug 18.
    @Test
    void aNumberBeyondTheRangeOfADoubleFailsTheMessage() throws Exception {
        route(
                new RouterConfig(ROUTES, "out_rest"),
                bodies(obj("n", 1, "amount", new java.math.BigDecimal("1e400"), "region", "eu")));
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .containsExactly(
                        "'routes[out_big].when' (amount >= 1000): field 'amount' is 1E+400, beyond the range of a double");
    }
}
