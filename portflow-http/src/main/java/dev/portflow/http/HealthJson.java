package dev.portflow.http;

import dev.portflow.json.StrictJson;
import dev.portflow.runtime.PipelineHealth;
import dev.portflow.runtime.PipelineState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of the health endpoints: {@code {"status":"UP"}}, or
 * {@code {"status":"DEGRADED","problems":[{"component":"store","reason":"the last 10 messages failed (...)"}]}},
 * with the pipeline's state on the readiness probe.
 */
final class HealthJson {

    private HealthJson() {}

    static String render(PipelineHealth health, @Nullable PipelineState state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", health.status().name());
        if (state != null) {
            body.put("pipeline", state.name());
        }
        if (health.isDegraded()) {
            List<Map<String, String>> problems = health.problems().stream()
                    .map(p -> {
                        Map<String, String> problem = new LinkedHashMap<>(); // "component" first, always
                        problem.put("component", p.component());
                        problem.put("reason", p.reason());
                        return problem;
                    })
                    .toList();
            body.put("problems", problems);
        }
        return StrictJson.mapper().writeValueAsString(body);
    }
}
