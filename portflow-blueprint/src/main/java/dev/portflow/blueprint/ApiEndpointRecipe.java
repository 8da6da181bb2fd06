package dev.portflow.blueprint;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeCheck;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.blueprint.validate.IngressSends;
import dev.portflow.component.Component;
import dev.portflow.http.ApiEndpoint;
import dev.portflow.http.Ingress;
import dev.portflow.http.IngressSettings;
import dev.portflow.http.JsonSchemaDecoder;
import dev.portflow.runtime.ComponentKind;
import java.util.List;

/**
 * {@code recipe: api_endpoint}, the HTTP ingress ({@link ApiEndpoint}) with the fixed ports
 * {@code out_requests} and {@code err_requests}. Declared here rather than in
 * {@code portflow-recipes} because assembly serves it: its path is checked with every endpoint's at
 * once (validation's {@code ApiPaths}) and the pipeline's server routes to it.
 */
public final class ApiEndpointRecipe extends AbstractRecipe {

    /** The recipe's name. */
    public static final String NAME = IngressSends.API_ENDPOINT;

    public ApiEndpointRecipe() {
        super(
                NAME,
                ComponentKind.SOURCE,
                "HTTP ingress: POST <path> with a JSON body; 202 when queued, 503 + Retry-After under backpressure",
                PortRule.source().withFixedOutputs(ApiEndpoint.OUT_PORT, ApiEndpoint.ERR_PORT),
                List.of(
                        ConfigKey.required("path", ConfigType.STRING, "request path, e.g. /orders"),
                        ConfigKey.optional(
                                        "timeout_ms",
                                        ConfigType.DURATION_MS,
                                        2000L,
                                        "how long a request may wait for room in the buffer before a 503")
                                .range(1, 600_000),
                        ConfigKey.optional(
                                        "max_body_bytes",
                                        ConfigType.INTEGER,
                                        (long) IngressSettings.DEFAULT_MAX_BODY_BYTES,
                                        "larger bodies are answered 413")
                                .range(1, 64L * 1024 * 1024),
                        ConfigKey.optional(
                                "auth_token",
                                ConfigType.STRING,
                                null,
                                "when set, requests need Authorization: Bearer <token>")),
                ApiEndpoint.class);
    }

    @Override
    public void check(RecipeCheck check) {
        String token = check.config().getString("auth_token");
        if (token != null && token.isBlank()) {
            check.problem(
                    check.entry("auth_token").map(ConfigEntry::valuePosition).orElse(check.position("name")),
                    "auth_token must not be blank",
                    "leave it out to disable authentication");
        }
    }

    @Override
    public Component create(RecipeContext context) {
        RecipeConfig c = context.config();
        String path = c.getString("path");
        if (path == null) { // a required key: validation reports it missing, so a validated config has it
            throw new IllegalStateException(
                    "config key 'path' of component '" + context.componentName() + "' has no value");
        }
        IngressSettings settings = new IngressSettings(
                path, c.getDuration("timeout_ms"), c.getInt("max_body_bytes"), c.getString("auth_token"));
        JsonSchemaDecoder decoder = context.portSchema(ApiEndpoint.OUT_PORT)
                .map(JsonSchemaDecoder::of)
                .orElseGet(JsonSchemaDecoder::anyJson);
        return new ApiEndpoint<>(new Ingress<>(settings, decoder));
    }
}
