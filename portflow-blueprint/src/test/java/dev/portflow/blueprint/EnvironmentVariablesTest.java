package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import java.util.Map;
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
        Blueprint b = v.blueprint();
        assertThat(b.server().host()).as("the default").isEqualTo("127.0.0.1");
        assertThat(b.server().port())
                .as("typed after substitution: a plain value")
                .isEqualTo(0);
        ComponentSpec api = b.component("api").orElseThrow();
        assertThat(api.config().get("path").value().toJava()).isEqualTo("/orders");
        assertThat(api.config().get("auth_token").value().toJava()).isEqualTo("s3cret");
        assertThat(b.component("gen")
                        .orElseThrow()
                        .config()
                        .get("template")
                        .value()
                        .toJava())
                .isEqualTo(Map.of("id", "o-${seq}", "at", "${now}"));
        assertThat(b.schemas().get("Order").json().get("description").asString())
                .as("$${ is a literal ${")
                .isEqualTo("costs ${AMOUNT} $5");
        assertThat(b.component("sink")
                        .orElseThrow()
                        .config()
                        .get("logger")
                        .value()
                        .toJava())
                .as("set but empty: the default")
                .isEqualTo("orders.audit");
        ComponentSpec store = b.component("store").orElseThrow();
        assertThat(store.config().get("url").value().toJava()).isEqualTo("jdbc:postgresql://db:5432/shop");
        assertThat(store.config().get("password").value().toJava())
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
        assertThat(v.blueprint()
                        .component("sink")
                        .orElseThrow()
                        .config()
                        .get("logger")
                        .value()
                        .toJava())
                .isEqualTo(path);
    }
}
