package dev.portflow.port;

import java.util.regex.Pattern;

/** The port naming rule: {@code in_*} for inputs, {@code out_*} and {@code err_*} for outputs. */
public final class PortName {

    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9_]+");

    private PortName() {}

    /** Whether {@code name} is a valid input port name. */
    public static boolean isInput(String name) {
        return hasPrefix(name, "in_");
    }

    /** Whether {@code name} is a valid output port name ({@code out_*} or {@code err_*}). */
    public static boolean isOutput(String name) {
        return hasPrefix(name, "out_") || isError(name);
    }

    /** Whether {@code name} is a valid error port name. */
    public static boolean isError(String name) {
        return hasPrefix(name, "err_");
    }

    private static boolean hasPrefix(String name, String prefix) {
        return name != null
                && name.startsWith(prefix)
                && name.length() > prefix.length()
                && SUFFIX.matcher(name.substring(prefix.length())).matches();
    }

    static String requireInput(String name) {
        if (!isInput(name)) {
            throw new IllegalArgumentException("invalid input port name '" + name
                    + "': input ports are named in_<name> (lower case letters, digits, '_'), e.g. in_orders");
        }
        return name;
    }

    static String requireOutput(String name) {
        if (!isOutput(name)) {
            throw new IllegalArgumentException(
                    "invalid output port name '" + name
                            + "': output ports are named out_<name> or err_<name> (lower case letters, digits, '_'), e.g. out_orders");
        }
        return name;
    }
}
