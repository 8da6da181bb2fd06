package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.parse.ProblemReporter;
import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.dashboard.Dashboard;
import dev.portflow.http.PortflowServer;
import dev.portflow.http.ServerExtension;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The paths of {@code api_endpoint} components: each a URL path the server can route a request to,
 * not one the runtime's server keeps for itself, and no two alike. Whatever the server would refuse
 * when the pipeline starts is a problem here, at the path.
 */
final class ApiPaths {

    /**
     * The characters of a URL path (RFC 3986 pchar and '/'), less '%' and '*' (see
     * {@link #check(String, YamlNode.Scalar, ProblemReporter)}).
     */
    private static final String ALLOWED = "-._~!$&'()+,;=:@/";

    /** The dashboard the assembler adds to every server: it says itself which paths it claims. */
    private static final ServerExtension DASHBOARD = new Dashboard();

    private ApiPaths() {}

    /** The endpoint that took a path first, and its {@code path:} entry. */
    private record Claim(ComponentSpec component, ConfigEntry path) {}

    /**
     * Whether the runtime's server keeps {@code path} for itself ({@link PortflowServer#isReservedPath})
     * or the dashboard claims it ({@code /dashboard} and below): what the server would refuse at start.
     */
    static boolean reserved(String path) {
        return PortflowServer.isReservedPath(path) || DASHBOARD.claims(path);
    }

    /** Checks every api_endpoint's path; duplicates point at the later one and name the first. */
    static void check(Collection<BlueprintValidator.Resolved> components, ProblemReporter reporter) {
        Map<String, Claim> seen = new HashMap<>();
        for (BlueprintValidator.Resolved r : components) {
            ConfigEntry entry = r.spec().config().get("path");
            String path = r.configOk() ? r.config().getString("path") : null;
            if (r.recipe() == null
                    || !IngressSends.API_ENDPOINT.equals(r.recipe().name())
                    || entry == null
                    || path == null) {
                continue;
            }
            YamlNode.Scalar value = entry.value() instanceof YamlNode.Scalar s
                    ? s
                    : new YamlNode.Scalar(path, YamlNode.Scalar.Kind.STRING, false, entry.valuePosition());
            if (!check(path, value, reporter)) {
                continue;
            }
            Claim first = seen.putIfAbsent(path, new Claim(r.spec(), entry));
            if (first != null) {
                reporter.problem(
                        value.position(),
                        "path " + path + " is already used by api_endpoint '"
                                + first.component().name() + "'",
                        "line " + first.path().valuePosition().line() + "; each endpoint needs its own path");
            }
        }
    }

    /** Whether {@code path} is a path the server can route to; else a problem, at the character at fault. */
    private static boolean check(String path, YamlNode.Scalar value, ProblemReporter reporter) {
        if (!path.startsWith("/")) {
            reporter.problem(
                    value.position(),
                    "path must start with '/', was '" + path + "'",
                    path.contains("://")
                            ? "the path only, without scheme and host, e.g. path: /orders"
                            : "e.g. path: /" + path);
            return false;
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            reporter.problem(
                    value.positionAt(query),
                    "path must not hold a query string ('?'): requests to " + path + " never reach it",
                    "the path is matched without the query; put parameters in the body");
            return false;
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            reporter.problem(
                    value.positionAt(fragment),
                    "path must not hold a fragment ('#')",
                    "browsers never send the fragment, so no request would match");
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*') {
                reporter.problem(
                        value.positionAt(i), "path holds '*', which the server would read as a wildcard", null);
                return false;
            }
            if (c == '%') {
                reporter.problem(
                        value.positionAt(i),
                        "path holds '%': write it without percent-encoding",
                        "the server matches the decoded path; only letters, digits and " + ALLOWED + " are allowed");
                return false;
            }
            if (!(c < 0x80 && (Character.isLetterOrDigit(c) || ALLOWED.indexOf(c) >= 0))) {
                reporter.problem(
                        value.positionAt(i),
                        "path holds '" + c + "', which a URL path cannot hold",
                        "use letters, digits and " + ALLOWED);
                return false;
            }
        }
        int empty = path.indexOf("//");
        if (empty >= 0) {
            reporter.problem(value.positionAt(empty), "path holds an empty segment ('//')", "remove the extra '/'");
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                reporter.problem(
                        value.position(),
                        "path holds a '" + segment + "' segment",
                        "clients resolve it away before sending, so no request would match; write the path out");
                return false;
            }
        }
        if (reserved(path)) {
            reporter.problem(
                    value.position(),
                    "path " + path + " is served by the runtime itself",
                    "the server keeps /, /metrics, /metrics.json, /health*, /dashboard and /dashboard/* for itself;"
                            + " choose another path");
            return false;
        }
        return true;
    }
}
