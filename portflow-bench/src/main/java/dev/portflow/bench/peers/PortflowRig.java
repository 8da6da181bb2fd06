package dev.portflow.bench.peers;

import dev.portflow.component.Emitter;
import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.internal.PortMeasurements;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.SendOutcome;
import dev.portflow.runtime.ComponentInfo;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import dev.portflow.trace.Tracing;
import dev.portflow.tracing.OpenTelemetryTracing;
import dev.portflow.tracing.TracingSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Portflow side of the race: the pipeline runtime ({@code Pipeline.builder(...)}) with the core
 * component API, every component on its own virtual thread (what a user gets), every connection
 * {@code ConnectionOptions.defaults().capacity(1024)} ({@code BLOCK}).
 *
 * <ul>
 *   <li>{@code map}: {@code Source} &rarr; {@code Transformer} (table look-up, no allocation) &rarr;
 *       {@code Sink}; 2 connections.
 *   <li>{@code router_merge}: {@code Source} &rarr; {@code Router} ({@code out_0..out_3}, chosen by
 *       {@code message % 4}) &rarr; 4 connections &rarr; {@code Merger.fair()} ({@code in_0..in_3},
 *       round-robin over its inputs) &rarr; {@code Sink}; 6 connections.
 *   <li>{@code batch}: {@code Source} &rarr; {@link Batcher} ({@code Transformer<Integer, List<Integer>>},
 *       100 per batch, the partial batch emitted at end of stream) &rarr; {@code Sink} counting the
 *       messages in each batch; the second connection holds up to 1024 batches.
 * </ul>
 *
 * <p>{@code metrics = true} ({@code portflow_metrics}): connections {@code timed(true)} (the default)
 * and the pipeline's meters on a {@code PrometheusMeterRegistry}: full SPEC metrics, every port's
 * queue wait, message age and process time histograms. {@code false} ({@code portflow_nometrics}):
 * connections {@code timed(false)} and the builder's default registry (a {@code SimpleMeterRegistry});
 * the ports then read no clock and record no histogram, and counts, drops and depth stay exact.
 * {@code timed} is a property of the connections only: the runtime's {@code HandlerRunner} still reads
 * the clock around every message it handles (twice per message when its input is untimed, since it
 * then has no receive time to reuse) and records {@code process.duration} and the component's
 * busy/idle time, so {@code portflow_nometrics} is "no port timing", not "no timing at all".
 *
 * <p>A {@link Pipeline} runs once ({@code start()} refuses a second call), so {@link #prepare()}
 * builds a fresh one (and a fresh registry) before every run, outside the measured time;
 * {@link #run()} is {@code start()} (setting up components, starting their virtual threads) plus
 * the whole stream plus {@code awaitTermination()} (end of stream reached the sink and every
 * component finished).
 *
 * <p>Threads: virtual threads are scheduled on the JDK's default scheduler, a {@code ForkJoinPool}
 * with one carrier thread per available processor (2 on the 2-core benchmark machine; unless
 * {@code -Djdk.virtualThreadScheduler.parallelism} says otherwise), so the 3 or 4 components share 2
 * carriers, and a component whose buffer is empty or full unmounts rather than holding a carrier.
 */
final class PortflowRig implements PeerRig {

    private final Shape shape;
    private final int messages;
    private final boolean metrics;
    private final @Nullable Tracing tracing; // the portflow_traced variants only
    private final long expectedSum;
    private final PeerMessages.Tally tally = new PeerMessages.Tally();
    private final ConnectionOptions options;
    // Set by prepare(), always called before run(); a null check in run() would be in the measured path.
    @SuppressWarnings("NullAway.Init")
    private Pipeline pipeline;

    private @Nullable PrometheusMeterRegistry registry; // the current pipeline's, only with metrics
    private @Nullable OtlpSink otlpSink; // portflow_traced_otlp only
    private int runs;
    private String last = "no run";

    PortflowRig(Shape shape, int messages, boolean metrics) {
        this(shape, messages, metrics, null);
    }

    private PortflowRig(Shape shape, int messages, boolean metrics, @Nullable Tracing tracing) {
        this.shape = shape;
        this.messages = messages;
        this.metrics = metrics;
        this.tracing = tracing;
        this.expectedSum = shape.expectedSum(messages);
        this.options = ConnectionOptions.defaults()
                .capacity(CAPACITY)
                .overflow(OverflowPolicy.BLOCK)
                .timed(metrics);
    }

    /**
     * {@code portflow_traced}: full metrics, and OpenTelemetry tracing sampling {@code ratio} of the messages
     * at the source, as {@code portflow run} traces: Portflow records the spans and hands them to the SDK's
     * batch span processor ({@code OpenTelemetryTracing.exporting}), here into an exporter that drops them: the
     * cost measured is Portflow's and the SDK's, not a network's.
     */
    static PortflowRig traced(Shape shape, int messages, double ratio) {
        TracingSettings settings = TracingSettings.defaults().withSampleRatio(ratio);
        return new PortflowRig(
                shape,
                messages,
                true,
                OpenTelemetryTracing.exporting(SpanExporter.composite(), Resource.getDefault(), settings));
    }

    /**
     * {@code portflow_traced_noexport}: as {@link #traced}, with {@code OTEL_TRACES_EXPORTER=none} (here the
     * system property, which autoconfiguration reads; this JMH fork runs this variant only): the spans are
     * recorded and handed to no processor, so against {@code portflow_traced} it shows the batch processor's
     * and its thread's cost.
     */
    static PortflowRig tracedNoExport(Shape shape, int messages, double ratio) {
        return new PortflowRig(shape, messages, true, fromEnvironmentWith("otel.traces.exporter", "none", ratio));
    }

    /**
     * {@code portflow_traced_otlp}: as {@link #traced}, with the spans exported over OTLP (http/protobuf,
     * the SDK's exporter, configured through the {@code otel.*} system properties as {@code portflow run}
     * reads them) to an {@link OtlpSink} in this process: what exporting for real adds to {@code
     * portflow_traced}, the sink's own work included (this JMH fork runs this variant only).
     */
    static PortflowRig tracedOverOtlp(Shape shape, int messages, double ratio) {
        OtlpSink sink = new OtlpSink();
        PortflowRig rig = new PortflowRig(
                shape,
                messages,
                true,
                fromEnvironmentWith("otel.exporter.otlp.traces.endpoint", sink.tracesEndpoint(), ratio));
        rig.otlpSink = sink;
        return rig;
    }

    /**
     * {@code OpenTelemetryTracing.fromEnvironment} sampling {@code ratio}, with the system property {@code
     * property} (an {@code otel.*} setting, which autoconfiguration reads) set while it reads them.
     */
    private static OpenTelemetryTracing fromEnvironmentWith(String property, String value, double ratio) {
        System.setProperty(property, value);
        try {
            return OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(ratio));
        } finally {
            System.clearProperty(property);
        }
    }

    /** {@code portflow_traced_hollow}: see {@link HollowTracing}. */
    static PortflowRig tracedHollow(Shape shape, int messages, double ratio) {
        return new PortflowRig(shape, messages, true, new HollowTracing(ratio));
    }

    /**
     * {@code portflow_traced_sdk}: as {@link #traced}, through an OpenTelemetry SDK the application gives
     * ({@code OpenTelemetryTracing.create}): the SDK's tracer builds every span, its batch span processor
     * takes them, into the same dropping exporter.
     */
    static PortflowRig tracedThroughSdk(Shape shape, int messages, double ratio) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(
                        BatchSpanProcessor.builder(SpanExporter.composite()).build())
                .build();
        OpenTelemetrySdk sdk =
                OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        TracingSettings settings = TracingSettings.defaults().withSampleRatio(ratio);
        return new PortflowRig(shape, messages, true, OpenTelemetryTracing.create(sdk, settings));
    }

    @Override
    public void prepare() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        tally.reset();
        PipelineBuilder b = Pipeline.builder("peers-" + shape.name().toLowerCase(Locale.ROOT));
        if (tracing != null) {
            b.tracing(tracing);
        }
        if (metrics) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            b.meterRegistry(registry);
        }
        int n = messages;
        Source<Integer> source = ctx -> {
            for (int i = 0; i < n; i++) {
                SendOutcome outcome = ctx.emit(PeerMessages.message(i));
                if (outcome != SendOutcome.ACCEPTED) {
                    throw new IllegalStateException("BLOCK connection returned " + outcome);
                }
            }
        };
        b.source("source", Integer.class, source);
        switch (shape) {
            case MAP ->
                b.transformer("map", Integer.class, Integer.class, (m, out) -> out.emit(PeerMessages.mapped(m)))
                        .sink("sink", Integer.class, tally::add)
                        .connect("source.out_numbers", "map.in_numbers", options)
                        .connect("map.out_mapped", "sink.in_mapped", options);
            case ROUTER_MERGE -> {
                String[] lanes = {"out_0", "out_1", "out_2", "out_3"};
                Router<Integer> router = m -> lanes[PeerMessages.lane(m)];
                b.router("router", Integer.class, router)
                        .merger("merge", Integer.class, Merger.fair())
                        .sink("sink", Integer.class, tally::add)
                        .connect("source.out_numbers", "router.in_numbers", options);
                for (int i = 0; i < 4; i++) {
                    b.connect("router.out_" + i, "merge.in_" + i, options);
                }
                b.connect("merge.out_merged", "sink.in_merged", options);
            }
            case BATCH -> {
                @SuppressWarnings({"unchecked", "rawtypes"})
                Class<List<Integer>> listType = (Class) List.class;
                Sink<List<Integer>> sink = tally::addBatch;
                b.transformer("batch", Integer.class, listType, new Batcher(BATCH))
                        .sink("sink", listType, sink)
                        .connect("source.out_numbers", "batch.in_numbers", options)
                        .connect("batch.out_batches", "sink.in_batches", options);
            }
        }
        pipeline = b.build();
    }

    @Override
    public long run() throws Exception {
        Pipeline p = pipeline;
        p.start();
        if (!p.awaitTermination(Duration.ofSeconds(RUN_TIMEOUT_SECONDS))) {
            DrainReport report = p.drain(Duration.ofSeconds(5));
            throw new IllegalStateException("portflow " + shape + ": run did not finish within " + RUN_TIMEOUT_SECONDS
                    + " s (suspected hang); sink saw " + tally.count + " messages; leftovers " + report.leftovers());
        }
        tally.verify("portflow " + shape, messages, expectedSum, shape.batchSize());
        return tally.count;
    }

    @Override
    public void afterRun() {
        runs++;
        String sinkPort = switch (shape) {
            case MAP -> "in_mapped";
            case ROUTER_MERGE -> "in_merged";
            case BATCH -> "in_batches";
        };
        long expectedAtSink = shape == Shape.BATCH ? tally.batches : tally.count;
        PortMeasurements sinkIn = pipeline.inputPort("sink", sinkPort).measurements();
        check(
                sinkIn.messagesIn() == expectedAtSink,
                "sink messages.in " + sinkIn.messagesIn() + " != " + expectedAtSink);
        PortMeasurements firstIn = pipeline.inputPort(
                        shape == Shape.MAP ? "map" : shape == Shape.BATCH ? "batch" : "router", "in_numbers")
                .measurements();
        check(firstIn.messagesIn() == messages, "first stage messages.in " + firstIn.messagesIn());
        for (String component : new String[] {"source", "sink"}) {
            check(pipeline.errorsFreeOf(component), component + " counted errors");
        }
        last = String.format(
                Locale.ROOT,
                "portflow(%s, metrics=%s, traced=%s) run %d: sink saw %d messages; sends that found"
                        + " the buffer full, per 1000 messages: %s",
                shape,
                metrics,
                tracing != null,
                runs,
                tally.count,
                blockedSends());
        if (metrics) {
            // Full metrics really ran: one age and one queue-wait sample per message received, and the
            // scrape agrees (the scrape itself is not measured).
            check(sinkIn.messageAge.count() == expectedAtSink, "sink message.age count " + sinkIn.messageAge.count());
            check(firstIn.queueWait.count() == messages, "first stage queue.wait count " + firstIn.queueWait.count());
            PrometheusMeterRegistry registry =
                    Objects.requireNonNull(this.registry, "metrics, so prepare() created a registry");
            double scraped = scraped(registry.scrape(), "portflow_port_message_age_seconds_count", "sink");
            check(scraped == expectedAtSink, "scraped sink message_age count " + scraped);
            last += String.format(
                    Locale.ROOT,
                    ", end-to-end age mean %.1f us max %.1f us, scrape ok",
                    sinkIn.messageAge.sumNanos() / 1e3 / Math.max(1, sinkIn.messageAge.count()),
                    sinkIn.messageAge.maxNanos() / 1e3);
        } else {
            check(sinkIn.messageAge.count() == 0, "untimed connection recorded message ages");
        }
    }

    /** Per sending component: how many of its sends found the buffer full and waited, per 1000 messages of the run. */
    private String blockedSends() {
        StringBuilder b = new StringBuilder();
        for (ComponentInfo c : pipeline.components()) {
            long blocked = 0;
            for (String port : c.outputs()) {
                blocked += pipeline.outputPort(c.name(), port)
                        .measurements()
                        .blocked
                        .count();
            }
            if (!c.outputs().isEmpty()) {
                b.append(b.isEmpty() ? "" : ", ")
                        .append(c.name())
                        .append(' ')
                        .append(String.format(Locale.ROOT, "%.1f", 1000.0 * blocked / messages));
            }
        }
        return b.toString();
    }

    private static double scraped(String exposition, String name, String component) {
        for (String line : exposition.lines().toList()) {
            if (line.startsWith(name + "{") && line.contains("component=\"" + component + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no " + name + " of component " + component + " in the scrape");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("portflow verification failed: " + what);
        }
    }

    @Override
    public String describe() {
        return otlpSink == null ? last : last + "; the sink took " + otlpSink.describe();
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.drain(Duration.ofSeconds(5));
        }
        if (registry != null) {
            registry.close();
        }
        if (tracing instanceof OpenTelemetryTracing openTelemetry) {
            openTelemetry.close(); // exports the spans still in the batch, before the sink closes
        }
        if (otlpSink != null) {
            otlpSink.close();
        }
    }

    /**
     * Collects {@code size} messages into a list and emits it; the partial batch at end of stream is
     * emitted from {@link #cleanup()} (the runtime closes the output only after cleanup). Messages
     * that do not complete a batch emit nothing, which the runtime counts as {@code filtered} on the
     * input port: 99 of 100 messages here.
     */
    static final class Batcher implements Transformer<Integer, List<Integer>> {
        private final int size;
        private List<Integer> pending;
        /** The emitter of the last {@link #transform}, for the partial batch at cleanup; null if no message came. */
        private @Nullable Emitter<List<Integer>> emitter;

        Batcher(int size) {
            this.size = size;
            this.pending = new ArrayList<>(size);
        }

        @Override
        public void transform(Integer message, Emitter<List<Integer>> out) throws InterruptedException {
            emitter = out;
            List<Integer> batch = pending;
            batch.add(message);
            if (batch.size() == size) {
                pending = new ArrayList<>(size);
                out.emit(batch);
            }
        }

        @Override
        public void cleanup() throws InterruptedException {
            if (!pending.isEmpty() && emitter != null) {
                List<Integer> batch = pending;
                pending = new ArrayList<>(size);
                emitter.emit(batch);
            }
        }
    }
}
