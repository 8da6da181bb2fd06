package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that cannot listen where it is told to says so, throws, and starts nothing (issue 11,
 * bug 2): no stack trace from Helidon, no "running" on port -1.
 */
@Timeout(30)
class ServerStartTest {

    /** Records what Helidon logs at WARNING or above while a test runs. */
    private final List<LogRecord> helidonProblems = new CopyOnWriteArrayList<>();

    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                helidonProblems.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void recordHelidonLogs() {
        Logger.getLogger("io.helidon").addHandler(recorder);
    }

    @AfterEach
    void stopRecording() {
        Logger.getLogger("io.helidon").removeHandler(recorder);
    }

    @Test
    void aPortInUseIsAClearExceptionAndThePipelineDoesNotStart() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Pipeline pipeline = pipeline();
            PortflowServer server = PortflowServer.builder(pipeline)
                    .host("127.0.0.1")
                    .port(port)
                    .build();

            assertThatThrownBy(server::start)
                    .isInstanceOf(ServerStartException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is in use");

            assertThat(pipeline.state()).isEqualTo(PipelineState.NEW);
            assertThat(server.port()).isEqualTo(-1);
            assertThat(helidonProblems).extracting(LogRecord::getMessage).isEmpty();
            server.close(); // nothing to stop; must not throw
        }
    }

    @Test
    void aHostThatCannotBeResolvedIsAClearException() {
        Pipeline pipeline = pipeline();
        PortflowServer server = PortflowServer.builder(pipeline)
                .host("no-such-host.invalid")
                .port(0)
                .build();

        assertThatThrownBy(server::start)
                .isInstanceOf(ServerStartException.class)
                .hasMessage("host no-such-host.invalid cannot be resolved to an address");
        assertThat(pipeline.state()).isEqualTo(PipelineState.NEW);
        assertThat(helidonProblems).isEmpty();
    }

    @Test
    void anAddressNotOnThisMachineIsAClearException() {
        Pipeline pipeline = pipeline();
        // 198.51.100.0/24 is TEST-NET-2 (RFC 5737): never an address of this machine
        PortflowServer server =
                PortflowServer.builder(pipeline).host("198.51.100.7").port(0).build();

        assertThatThrownBy(server::start)
                .isInstanceOf(ServerStartException.class)
                .hasMessage("cannot listen on 198.51.100.7 port 0: the address is not one of this machine's");
        assertThat(pipeline.state()).isEqualTo(PipelineState.NEW);
        assertThat(helidonProblems).isEmpty();
    }

    private static Pipeline pipeline() {
        return Pipeline.builder("start_test")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source("api", JsonMessage.class, ApiEndpoint.json(IngressSettings.of("/orders")))
                .sink("sink", JsonMessage.class, m -> {})
                .connect("api.out_requests", "sink.in_requests")
                .build();
    }
}
