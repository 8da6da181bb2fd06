package dev.portflow.blueprint.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} in blueprint values, replaced by environment variables:
 * <ul>
 *   <li>{@code ${NAME}}: the variable's value; a problem when it is not set;</li>
 *   <li>{@code ${NAME:-default}}: the default when the variable is not set or empty;</li>
 *   <li><code>$${</code>: a literal <code>${</code>.</li>
 * </ul>
 * Only upper-case names ({@code [A-Z_][A-Z0-9_]*}) are variables, so the generator's own
 * placeholders ({@code ${seq}}, {@code ${uuid}}, {@code ${now}}) pass through untouched. Values are
 * inserted as they are: a value holding {@code ${...}} is not substituted again.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose loader says where
 * the variables come from.
 */
public final class EnvironmentVariables {

    private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

    /** A variable that is not set, at {@code offset} (of its <code>${</code>) in the text. */
    record Unset(String name, int offset) {}

    /**
     * The text after substitution.
     *
     * @param text    the value, with every set variable replaced (unset ones left as written)
     * @param changed whether anything was replaced (or unescaped)
     * @param unset   the variables that are not set and have no default
     */
    record Result(String text, boolean changed, List<Unset> unset) {}

    private final Map<String, String> environment;

    public EnvironmentVariables(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    Result substitute(String text) {
        int start = text.indexOf('$');
        if (start < 0) {
            return new Result(text, false, List.of()); // nearly every value: no copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, start);
        List<Unset> unset = new ArrayList<>(0);
        boolean changed = false;
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
            } else if (text.startsWith("$${", i)) {
                out.append("${");
                changed = true;
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                String inside = close < 0 ? "" : text.substring(i + 2, close);
                int dash = inside.indexOf(":-");
                String name = dash < 0 ? inside : inside.substring(0, dash);
                if (close < 0 || !NAME.matcher(name).matches()) {
                    out.append(c); // not a variable (e.g. ${seq}): kept as written
                    i++;
                    continue;
                }
                String value = environment.get(name);
                if (dash >= 0 && (value == null || value.isEmpty())) {
                    value = inside.substring(dash + 2);
                }
                if (value == null) {
                    unset.add(new Unset(name, i));
                    out.append(text, i, close + 1);
                } else {
                    out.append(value);
                    changed = true;
                }
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Result(changed ? out.toString() : text, changed, List.copyOf(unset));
    }
}
