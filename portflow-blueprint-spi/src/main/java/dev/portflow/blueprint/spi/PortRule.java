package dev.portflow.blueprint.spi;

import dev.portflow.runtime.ComponentKind;
import java.util.List;

/**
 * Which ports a component may have. Counts are of data ports: {@code in_*} ports, and
 * {@code out_*} ports; besides those, a component may have one {@code err_*} port. Ports are named
 * by the connections unless the rule fixes the names (as {@code api_endpoint} does:
 * {@code out_requests}, {@code err_requests}).
 *
 * @param minInputs    fewest {@code in_*} ports
 * @param maxInputs    most {@code in_*} ports
 * @param minOutputs   fewest {@code out_*} ports
 * @param maxOutputs   most {@code out_*} ports
 * @param fixedInputs  the only input port names allowed (empty: any {@code in_*} name)
 * @param fixedOutputs the only output port names allowed, {@code err_*} included (empty: any)
 */
public record PortRule(
        int minInputs,
        int maxInputs,
        int minOutputs,
        int maxOutputs,
        List<String> fixedInputs,
        List<String> fixedOutputs) {

    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public PortRule {
        fixedInputs = List.copyOf(fixedInputs);
        fixedOutputs = List.copyOf(fixedOutputs);
        if (minInputs < 0 || maxInputs < minInputs || minOutputs < 0 || maxOutputs < minOutputs) {
            throw new IllegalArgumentException(
                    "bad port counts " + minInputs + ".." + maxInputs + " / " + minOutputs + ".." + maxOutputs);
        }
    }

    /** No inputs, one or more outputs. */
    public static PortRule source() {
        return new PortRule(0, 0, 1, UNBOUNDED, List.of(), List.of());
    }

    /** Exactly one {@code in_*} and one {@code out_*}, named by the connections. */
    public static PortRule oneInOneOut() {
        return new PortRule(1, 1, 1, 1, List.of(), List.of());
    }

    /** Exactly one {@code in_*} (fed by any number of connections), no {@code out_*}. */
    public static PortRule sink() {
        return new PortRule(1, 1, 0, 0, List.of(), List.of());
    }

    /** One {@code in_*}, one or more {@code out_*}. */
    public static PortRule router() {
        return new PortRule(1, 1, 1, UNBOUNDED, List.of(), List.of());
    }

    /** One or more {@code in_*}, one {@code out_*}. */
    public static PortRule merger() {
        return new PortRule(1, UNBOUNDED, 1, 1, List.of(), List.of());
    }

    /** The runtime's rule for a component of {@code kind}. */
    public static PortRule forKind(ComponentKind kind) {
        return switch (kind) {
            case SOURCE -> source();
            case TRANSFORMER -> oneInOneOut();
            case SINK -> sink();
            case ROUTER -> router();
            case MERGER -> merger();
        };
    }

    /** This rule with only these output names allowed ({@code out_*} and {@code err_*}). */
    public PortRule withFixedOutputs(String... names) {
        return new PortRule(minInputs, maxInputs, minOutputs, maxOutputs, fixedInputs, List.of(names));
    }

    /** This rule with only these input names allowed. */
    public PortRule withFixedInputs(String... names) {
        return new PortRule(minInputs, maxInputs, minOutputs, maxOutputs, List.of(names), fixedOutputs);
    }

    /** E.g. "1 in_* port, 1 out_* port" or "no input ports, out_requests, err_requests". */
    public String describe() {
        String in = fixedInputs.isEmpty() ? count(minInputs, maxInputs, "in_*") : String.join(", ", fixedInputs);
        String out = fixedOutputs.isEmpty() ? count(minOutputs, maxOutputs, "out_*") : String.join(", ", fixedOutputs);
        return in + "; " + out + (fixedOutputs.isEmpty() ? " (and at most one err_* port)" : "");
    }

    private static String count(int min, int max, String what) {
        if (max == 0) {
            return "no " + what + " ports";
        }
        if (min == max) {
            return min + " " + what + " port" + (min == 1 ? "" : "s");
        }
        if (max == UNBOUNDED) {
            return min + " or more " + what + " ports";
        }
        return min + " to " + max + " " + what + " ports";
    }
}
