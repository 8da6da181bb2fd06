package dev.portflow.recipes;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the {@code generator} recipe.
 *
 * @param rate     messages per second, &gt; 0 (fractions allowed: 0.5 is one message every 2 s)
 * @param count    how many messages to emit before ending the stream; {@code null} for no end
 * @param template the JSON object each message's body is made from: string values may contain
 *                 {@code ${seq}} (0, 1, 2, ...), {@code ${uuid}} (a random UUID) and {@code ${now}}
 *                 (the current instant, ISO-8601); a string that is exactly {@code "${seq}"} becomes
 *                 the number itself. Default {@code {"seq": "${seq}"}}.
 */
public record GeneratorConfig(double rate, @Nullable Long count, Map<String, Object> template) {

    static final String RECIPE = "generator";
    static final Map<String, Object> DEFAULT_TEMPLATE = Map.of("seq", "${seq}");

    /** A {@code null} template is the default one. */
    public GeneratorConfig(double rate, @Nullable Long count, @Nullable Map<String, Object> template) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw ConfigProblems.problem(RECIPE, "rate", "a number of messages per second > 0", rate);
        }
        if (count != null && count < 0) {
            throw ConfigProblems.problem(RECIPE, "count", "a whole number >= 0 (or absent for no end)", count);
        }
        Map<String, Object> frozen = template == null ? DEFAULT_TEMPLATE : asTemplate(template);
        Template.compile(frozen); // rejects unknown placeholders and a malformed event_time
        this.rate = rate;
        this.count = count;
        this.template = frozen;
    }

    /** A generator whose template is given as JSON text ({@code null}: the default template). */
    public GeneratorConfig(double rate, @Nullable Long count, @Nullable String templateJson) {
        this(rate, count, parseTemplate(templateJson));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asTemplate(Map<String, Object> template) {
        return (Map<String, Object>) Json.freeze(template);
    }

    private static @Nullable Map<String, Object> parseTemplate(@Nullable String json) {
        if (json == null) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    RECIPE + ": 'template' must be a JSON object, but the text is not valid JSON: " + e.getMessage(),
                    e);
        }
        if (parsed instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) map;
            return m;
        }
        throw ConfigProblems.problem(RECIPE, "template", "a JSON object", json);
    }
}
