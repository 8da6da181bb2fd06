package dev.portflow.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The runtime's way to a port's {@link PortMeasurements}, which the port's public API does not expose
 * (it offers the read-only {@link dev.portflow.metrics.PortCounters}). Each port class hands its
 * accessor over when it is initialised, so a caller holding a port always finds it; keyed by class,
 * so this package does not depend on the port package (no package cycle). Not API: this package is
 * not exported. Not for a per-message path: the runner caches what it looked up.
 */
public final class PortInternals {

    private static final Map<Class<?>, Function<Object, PortMeasurements>> ACCESS = new ConcurrentHashMap<>();

    private PortInternals() {}

    /** Called once per port class ({@code InputPort}, {@code OutputPort}), by its static initialiser. */
    public static void access(Class<?> portClass, Function<Object, PortMeasurements> measurementsOf) {
        ACCESS.put(portClass, Objects.requireNonNull(measurementsOf));
    }

    /**
     * The measurements behind {@code port}, an {@code InputPort} or an {@code OutputPort}.
     *
     * @throws IllegalArgumentException for any other object
     */
    public static PortMeasurements measurements(Object port) {
        Function<Object, PortMeasurements> access = ACCESS.get(port.getClass());
        if (access == null) {
            throw new IllegalArgumentException("not a port: " + port.getClass().getName());
        }
        return access.apply(port);
    }
}
