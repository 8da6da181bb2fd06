package dev.portflow.bench.peers;

/**
 * One framework's implementation of one pipeline shape, run once per JMH invocation.
 *
 * <p>Life cycle, driven by {@link PeerBenchmark}: created once per trial (schedulers, actor system,
 * graph blueprints: whatever can be reused between runs); {@link #prepare()} before each run, outside
 * the measured time; {@link #run()} moves all {@code messages} from the source to the sink and
 * returns only when the sink has seen the end of the stream, then verifies the sink's count and sum
 * (throws if a message was lost or duplicated); {@link #afterRun()} outside the measured time
 * (extra checks, e.g. that the metrics counted every message); {@link #close()} at the end of the
 * trial.
 */
interface PeerRig {

    /** Longest a single run may take before it is called a hang. */
    long RUN_TIMEOUT_SECONDS = 120;

    /** Capacity of every buffer between two stages, in every framework. */
    int CAPACITY = 1024;

    /** Messages per batch in shape {@code batch}. */
    int BATCH = 100;

    /** Prepares the next run (not measured). */
    default void prepare() throws Exception {}

    /** One whole run of the shape; returns the number of messages the sink saw (verified). */
    long run() throws Exception;

    /** Checks after a run (not measured). */
    default void afterRun() throws Exception {}

    /** One line describing the last run, printed at the end of the trial. */
    String describe();

    /** Releases the trial's resources (threads, actor system). */
    void close() throws Exception;

    /** The rig for {@code shape} ({@code map}, {@code router_merge}, {@code batch}) and {@code variant}. */
    static PeerRig create(String shape, String variant, int messages) {
        Shape s = Shape.of(shape);
        return switch (variant) {
            case "portflow_metrics" -> new PortflowRig(s, messages, true);
            case "portflow_nometrics" -> new PortflowRig(s, messages, false);
            case "portflow_traced" -> PortflowRig.traced(s, messages, 0.01);
            case "portflow_traced_none" -> PortflowRig.traced(s, messages, 0.0); // tracing on, nothing sampled
            case "portflow_traced_tenth" -> PortflowRig.traced(s, messages, 0.001); // 0.1 % sampled
            // 10 %: a traced message's own cost stands well above the run-to-run noise
            case "portflow_traced_ten" -> PortflowRig.traced(s, messages, 0.1);
            case "portflow_traced_hollow_ten" -> PortflowRig.tracedHollow(s, messages, 0.1);
            case "portflow_traced_hollow" -> PortflowRig.tracedHollow(s, messages, 0.01); // 1 %, no spans
            case "portflow_traced_noexport" -> PortflowRig.tracedNoExport(s, messages, 0.01); // spans to no processor
            case "portflow_traced_sdk" -> PortflowRig.tracedThroughSdk(s, messages, 0.01); // the SDK's spans
            case "portflow_traced_otlp" -> PortflowRig.tracedOverOtlp(s, messages, 0.01); // exported over OTLP
            case "portflow_traced_otlp_tenth" -> PortflowRig.tracedOverOtlp(s, messages, 0.001); // 0.1 %, over OTLP
            case "reactor" -> new ReactorRig(s, messages);
            case "pekko" -> new PekkoRig(s, messages);
            default ->
                throw new IllegalArgumentException(
                        "variant: portflow_metrics, portflow_nometrics, portflow_traced, portflow_traced_none,"
                                + " portflow_traced_tenth, portflow_traced_ten, portflow_traced_hollow,"
                                + " portflow_traced_hollow_ten, portflow_traced_noexport, portflow_traced_sdk,"
                                + " reactor or pekko, not "
                                + variant);
        };
    }

    /** The three pipeline shapes. */
    enum Shape {
        /** source -> map -> sink. */
        MAP,
        /** source -> router (4 ways, by message % 4) -> merge (4 inputs) -> sink. */
        ROUTER_MERGE,
        /** source -> batch of 100 -> sink (which counts the messages in the batches). */
        BATCH;

        static Shape of(String name) {
            return switch (name) {
                case "map" -> MAP;
                case "router_merge" -> ROUTER_MERGE;
                case "batch" -> BATCH;
                default -> throw new IllegalArgumentException("shape: map, router_merge or batch, not " + name);
            };
        }

        /** Sum of the values the sink must see for a run of {@code n}. */
        long expectedSum(int n) {
            return PeerMessages.expectedSum(n, this == MAP);
        }

        int batchSize() {
            return this == BATCH ? PeerRig.BATCH : 0;
        }
    }
}
