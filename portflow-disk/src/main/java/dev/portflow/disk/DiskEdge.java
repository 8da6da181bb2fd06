package dev.portflow.disk;

import java.util.Objects;

/**
 * One pipeline connection whose buffer is a log on local disk: who sends, who receives, and how
 * much may wait in it before the sender's overflow policy applies. Both ends run in the process
 * that holds the data directory.
 *
 * @param pipeline      the pipeline's name
 * @param fromComponent the sending component
 * @param fromPort      its output port
 * @param toComponent   the receiving component
 * @param toPort        its input port
 * @param capacity      the records that may wait (the edge's buffer size): accepted and not yet done with
 * @param maxBytes      the bytes the log's files may take on disk
 */
public record DiskEdge(
        String pipeline,
        String fromComponent,
        String fromPort,
        String toComponent,
        String toPort,
        long capacity,
        long maxBytes) {

    /** The default of {@link #maxBytes}: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** The smallest {@link #maxBytes} allowed: 1 MiB (four segments of 256 KiB). */
    public static final long MIN_MAX_BYTES = 1L << 20;

    public DiskEdge {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(fromComponent, "fromComponent");
        Objects.requireNonNull(fromPort, "fromPort");
        Objects.requireNonNull(toComponent, "toComponent");
        Objects.requireNonNull(toPort, "toPort");
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "the records allowed on " + describe() + " must be >= 1, was " + capacity);
        }
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException(
                    "max_bytes of " + describe() + " must be at least " + MIN_MAX_BYTES + " (1 MiB), was " + maxBytes);
        }
    }

    /** An edge allowing {@code capacity} records in at most {@link #DEFAULT_MAX_BYTES}. */
    public static DiskEdge of(String pipeline, String from, String to, long capacity) {
        String[] f = split(from);
        String[] t = split(to);
        return new DiskEdge(pipeline, f[0], f[1], t[0], t[1], capacity, DEFAULT_MAX_BYTES);
    }

    private static String[] split(String endpoint) {
        int dot = endpoint.indexOf('.');
        if (dot <= 0 || dot == endpoint.length() - 1) {
            throw new IllegalArgumentException("'" + endpoint + "' is not component.port");
        }
        return new String[] {endpoint.substring(0, dot), endpoint.substring(dot + 1)};
    }

    /**
     * The directory of the edge's log under the data directory: {@code from.port-to.port}, with any
     * character other than letters, digits, {@code _} and {@code .} written as {@code %XX}.
     */
    public String directoryName() {
        return escape(fromComponent + "." + fromPort) + "-" + escape(toComponent + "." + toPort);
    }

    private static String escape(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.') {
                out.append(c);
            } else {
                out.append('%').append(String.format(java.util.Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** {@code disk:<directory>}, how the edge's buffer is named in graphs and messages. */
    public String target() {
        return "disk:" + directoryName();
    }

    /** {@code from.port -> to.port (disk)}. */
    public String describe() {
        return fromComponent + "." + fromPort + " -> " + toComponent + "." + toPort + " (disk)";
    }
}
