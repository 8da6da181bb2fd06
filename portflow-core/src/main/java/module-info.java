/**
 * Portflow's core: typed ports joined by bounded channels that measure themselves, components and
 * the pipeline runtime. The exported packages are the API (listed with their types in
 * {@code docs/api.md}); {@code dev.portflow.channel} (the ring buffers) and {@code dev.portflow.internal}
 * (the live measurements behind every port) are not, and no other module may use them.
 */
module dev.portflow.core {
    requires transitive micrometer.core;
    requires transitive org.jspecify;
    requires micrometer.registry.prometheus;
    requires io.prometheus.metrics.model;
    requires jakarta.validation;
    requires org.hibernate.validator;

    exports dev.portflow;
    exports dev.portflow.component;
    exports dev.portflow.message;
    exports dev.portflow.metrics;
    exports dev.portflow.port;
    exports dev.portflow.runtime;
    exports dev.portflow.time;
    exports dev.portflow.trace;
}
