package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.ConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM and process meters of Micrometer's standard binders are on {@code /metrics} unless switched off. */
@Timeout(60)
class JvmMetricsTest {

    @Test
    void jvmAndProcessMetricsAreServedByDefault() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            String metrics = http.get("/metrics").body();

            assertThat(metrics)
                    .contains(
                            "jvm_memory_used_bytes{", // JvmMemoryMetrics
                            "jvm_gc_", // JvmGcMetrics
                            "jvm_threads_live_threads ", // JvmThreadMetrics
                            "jvm_classes_loaded_classes ", // ClassLoaderMetrics
                            "process_cpu_usage ", // ProcessorMetrics
                            "system_cpu_usage ",
                            "process_uptime_seconds ", // UptimeMetrics
                            "process_files_open_files ", // FileDescriptorMetrics
                            "jvm_info{"); // JvmInfoMetrics
        }
    }

    @Test
    void theyCanBeSwitchedOff() throws Exception {
        try (HttpFixture http = new HttpFixture(
                IngressSettings.of("/orders"),
                null,
                ConnectionOptions.defaults(),
                m -> {},
                server -> server.jvmMetrics(false))) {
            String metrics = http.get("/metrics").body();

            assertThat(metrics)
                    .contains("portflow_ingress_requests_total")
                    .doesNotContain("jvm_memory_used_bytes", "process_cpu_usage", "jvm_info");
        }
    }
}
