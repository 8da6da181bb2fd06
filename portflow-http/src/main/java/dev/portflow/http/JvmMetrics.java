package dev.portflow.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer's standard JVM and process meters (memory, GC, threads, classes, CPU, uptime, open
 * files, JVM version) on the pipeline's registry (every member of a composite), so {@code /metrics} shows
 * the process next to its pipeline. {@link #close()} unregisters the GC listeners.
 */
final class JvmMetrics implements AutoCloseable {

    private final @Nullable JvmGcMetrics gc;

    private JvmMetrics(@Nullable JvmGcMetrics gc) {
        this.gc = gc;
    }

    /** Binds them all to {@code registry}, unless something already bound them (then nothing is done twice). */
    static JvmMetrics bindTo(MeterRegistry registry) {
        if (registry.find("jvm.memory.used").meter() != null) {
            return new JvmMetrics(null); // e.g. a second server on the same registry: GC events would count twice
        }
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // Their Prometheus names fail promtool's lint, which /metrics must pass: process_cpu_time_ns_total
        // (an abbreviated unit) and system_cpu_count (a gauge named like a histogram's count).
        for (String name : List.of("process.cpu.time", "system.cpu.count")) {
            Meter meter = registry.find(name).meter();
            if (meter != null) {
                registry.remove(meter);
            }
        }
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return new JvmMetrics(gc);
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
    }
}
