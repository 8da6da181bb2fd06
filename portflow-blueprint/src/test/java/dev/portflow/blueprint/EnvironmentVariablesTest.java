package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@code ${NAME}} in blueprint values, from the environment (a map in tests). */
class EnvironmentVariablesTest {

    private static final String BLUEPRINT = """
            name: env
            schemas:
              Order: {type: object, description: "costs $${AMOUNT} $5"}
            server:
              host: ${HOST:-127.0.0.1}
              port: ${PORT}
            components:
              - {name: api, recipe: api_endpoint, config: {path: "${ORDERS_PATH}", auth_token: "${API_TOKEN}"}}
              - {name: gen, recipe: generator, config: {rate: 10, template: {id: "o-${seq}", at: "${now}"}}}
              - {name: sink, recipe: log_sink, config: {logger: "${LOGGER:-orders.audit}"}}
              - {name: store, recipe: store, config: {url: "jdbc:postgresql://${DB_HOST}:5432/shop", password: "${DB_PASSWORD}"}}
            connections:
              - {from: api.out_requests, to: store.in_orders}
              - {from: gen.out_n, to: sink.in_n}
            """;

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "PORT",
            "0",
            "ORDERS_PATH",
            "/orders",
            "API_TOKEN",
            "s3cret",
            "DB_HOST",
            "db",
            "DB_PASSWORD",
            "pa$$w0rd ${NOT_AGAIN}",
            "LOGGER",
            "");

    @Test
    void valuesTakeTheVariablesAndGeneratorPlaceholdersStay() {
        Validation v = Blueprints.loader().withEnvironment(ENVIRONMENT).validate("env.yaml", BLUEPRINT);
        assertThat(v.problems()).isEmpty();
        Blueprint b = v.orThrow();
        assertThat(b.server().host()).as("the default").isEqualTo("127.0.0.1");
        assertThat(b.server().port())
                .as("typed after substitution: a plain value")
                .isEqualTo(0);
        ComponentSpec api = b.component("api").orElseThrow();
        assertThat(value(api, "path")).isEqualTo("/orders");
        assertThat(value(api, "auth_token")).isEqualTo("s3cret");
        assertThat(value(b.component("gen").orElseThrow(), "template"))
                .isEqualTo(Map.of("id", "o-${seq}", "at", "${now}"));
        assertThat(Objects.requireNonNull(b.schemas().get("Order"))
                        .json()
                        .get("description")
                        .asString())
                .as("$${ is a literal ${")
                .isEqualTo("costs ${AMOUNT} $5");
        assertThat(value(b.component("sink").orElseThrow(), "logger"))
                .as("set but empty: the default")
                .isEqualTo("orders.audit");
        ComponentSpec store = b.component("store").orElseThrow();
        assertThat(value(store, "url")).isEqualTo("jdbc:postgresql://db:5432/shop");
        assertThat(value(store, "password"))
                .as("a value is not substituted again")
                .isEqualTo("pa$$w0rd ${NOT_AGAIN}");
    }

    @Test
    void anUnsetVariableIsAProblemAtItsPositionAndNothingElse() {
        Validation v = Blueprints.loader()
                .withEnvironment(Map.of("ORDERS_PATH", "/orders"))
                .validate("env.yaml", BLUEPRINT);
        assertThat(v.report())
                .isEqualTo(String.join(
                        "\n",
                        "env.yaml:6:9: environment variable PORT is not set (hint: set it, or give a default:"
                                + " ${PORT:-value}; $${ is a literal ${)",
                        "env.yaml:8:85: environment variable API_TOKEN is not set (hint: set it, or give a default:"
                                + " ${API_TOKEN:-value}; $${ is a literal ${)",
                        "env.yaml:11:67: environment variable DB_HOST is not set (hint: set it, or give a default:"
                                + " ${DB_HOST:-value}; $${ is a literal ${)",
                        "env.yaml:11:101: environment variable DB_PASSWORD is not set (hint: set it, or give a default:"
                                + " ${DB_PASSWORD:-value}; $${ is a literal ${)"));
    }

    @Test
    void theProcessEnvironmentByDefault() {
        String path = System.getenv("PATH");
        Validation v = Blueprints.loader().validate("env.yaml", """
                name: env
                components:
                  - {name: sink, recipe: log_sink, config: {logger: "${PATH}"}}
                  - {name: gen, recipe: generator, config: {rate: 1}}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """);
        assertThat(v.problems()).isEmpty();
        assertThat(value(v.orThrow().component("sink").orElseThrow(), "logger")).isEqualTo(path);
    }

    /** The value of config key {@code key} of {@code component} as written, which must be there. */
    private static @Nullable Object value(ComponentSpec component, String key) {
        return Objects.requireNonNull(component.config().get(key), key).value().toJava();
    }
}
