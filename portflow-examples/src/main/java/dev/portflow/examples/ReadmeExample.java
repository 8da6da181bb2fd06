package dev.portflow.examples;

import dev.portflow.EventTimed;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.Ports;
import java.time.Instant;

/** The README's ten-line example, kept compiling and tested. */
public final class ReadmeExample {

    record Reading(String sensor, double celsius, Instant eventTime) implements EventTimed {}

    public static void main(String[] args) throws Exception {
        var out = new OutputPort<>("out_readings", Reading.class);
        var in = new InputPort<>("in_readings", Reading.class);
        Ports.connect(out, in, 1024, OverflowPolicy.BLOCK);

        out.send(new Reading("boiler", 71.5, Instant.now().minusMillis(120)));
        out.send(new Reading("boiler", 71.9, Instant.now().minusMillis(40)));
        System.out.printf("utilization %.4f%n", in.metrics().bufferUtilization());
        in.receive();
        in.receive();

        PortMetrics m = in.metrics();
        System.out.printf("avg age %.1f ms, max age %.1f ms%n", m.avgMessageAgeMs(), m.maxMessageAgeMs());
    }
}
