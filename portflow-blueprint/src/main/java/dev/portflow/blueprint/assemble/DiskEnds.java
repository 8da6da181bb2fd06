package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import dev.portflow.blueprint.validate.ConnectionDefaults;
import dev.portflow.blueprint.validate.Names;
import dev.portflow.disk.DiskCodec;
import dev.portflow.disk.DiskEdge;
import dev.portflow.disk.DiskReceiver;
import dev.portflow.disk.DiskSettings;
import dev.portflow.disk.DiskTransport;
import dev.portflow.disk.DiskTransportException;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fourth step of assembly: the ends of the disk connections that run in this process (validation
 * made sure a disk connection has both ends here or neither), over the process's one data directory:
 * the {@code --data-dir} override, else the blueprint's {@code data_dir} (relative to the working
 * directory), else {@code portflow-data/<pipeline>}. The directory is taken (locked) only for a
 * pipeline that can be built: with a disk connection and no problem found before; a directory another
 * process holds is a failure to start. Once the pipeline is built its receivers {@link #watch} it; the
 * directory is {@link #close}d (released) when assembly fails.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose assembler runs
 * the steps.
 */
public final class DiskEnds {

    /** The output port of a disk receiver, feeding the receiving component. */
    private static final String RECEIVER_PORT = "out_records";

    private final AssemblyState state;
    /** The process's data directory, or {@code null} when it has no disk connection (or it could not be taken). */
    private final @Nullable DiskTransport disk;

    private final List<DiskReceiver<?>> receivers = new ArrayList<>();

    private DiskEnds(AssemblyState state, @Nullable DiskTransport disk) {
        this.state = state;
        this.disk = disk;
    }

    /**
     * Sets up both ends of each of {@code diskEdges} (the disk connections with an end here), in order;
     * problems and failures to start go to {@code state}.
     *
     * @param override the data directory to use instead of the blueprint's ({@code --data-dir}); {@code null}: none
     */
    public static DiskEnds connect(AssemblyState state, List<Edge> diskEdges, @Nullable Path override) {
        if (diskEdges.isEmpty()
                || state.hasProblems()) { // the directory is taken only for a pipeline that can be built
            return new DiskEnds(state, null);
        }
        ConnectionSpec first = diskEdges.getFirst().spec();
        Path directory = dataDirectory(state.blueprint(), state.pipeline(), override);
        DiskTransport disk;
        try {
            disk = DiskTransport.open(DiskSettings.of(directory));
        } catch (DiskTransportException e) {
            // in use by another process, or not writable: the message names the directory (and the holder's pid)
            state.failure(first.position("transport"), ExceptionMessages.message(e), null, e);
            return new DiskEnds(state, null);
        }
        DiskEnds ends = new DiskEnds(state, disk);
        for (Edge e : diskEdges) {
            if (!ends.setUp(e, disk)) {
                break; // the directory cannot be written: the other logs would fail the same way
            }
        }
        return ends;
    }

    /**
     * The data directory of the pipeline's disk connections: {@code override}, else {@code data_dir}
     * (relative to the working directory), else {@code portflow-data/<pipeline>}; absolute.
     */
    public static Path dataDirectory(Blueprint blueprint, String pipeline, @Nullable Path override) {
        Path dir = override != null
                ? override
                : blueprint.dataDir() != null
                        ? Path.of(blueprint.dataDir())
                        : DiskSettings.defaultDataDirectory(pipeline);
        return dir.toAbsolutePath().normalize();
    }

    /** The process's data directory, or {@code null} when no disk connection runs here. */
    public @Nullable DiskTransport transport() {
        return disk;
    }

    /** Points each receiver at the pipeline it feeds: its log's position follows what the pipeline finished. */
    public void watch(Pipeline pipeline) {
        for (DiskReceiver<?> r : receivers) {
            r.watch(pipeline);
        }
    }

    /** Releases the data directory, if taken: assembly failed. */
    public void close() {
        if (disk != null) {
            disk.close();
        }
    }

    /**
     * Both ends of one disk connection: the sending link on the sender's output port, and a receiver
     * (a source named {@code disk_in_<component>_<port>}) feeding the receiving input port, which then
     * reports the records waiting in the log as its depth.
     *
     * @return {@code false} when the log could not be opened (a failure to start was added)
     */
    private boolean setUp(Edge e, DiskTransport disk) {
        PipelineBuilder builder = state.builder();
        ConnectionSpec c = e.spec();
        Endpoint from = e.fromEnd();
        Endpoint to = e.toEnd();
        try {
            DiskEdge edge = new DiskEdge(
                    state.pipeline(),
                    from.component(),
                    from.port(),
                    to.component(),
                    to.port(),
                    ConnectionDefaults.bufferSize(c),
                    ConnectionDefaults.maxBytes(c));
            DiskCodec<Object> codec = codec(e);
            if (state.runsHere(from.component())) {
                builder.connect(
                        from.toString(),
                        disk.sendingLink(edge, codec),
                        ConnectionDefaults.options(c, e.from().recipe()));
            }
            if (state.runsHere(to.component())) {
                int prefetch = DiskTransport.DEFAULT_PREFETCH;
                DiskReceiver<Object> receiver = disk.receiver(edge, codec, prefetch);
                String name = Names.diskReceiverName(to);
                builder.component(name, receiver);
                builder.connect(
                        name + "." + RECEIVER_PORT,
                        to.toString(),
                        ConnectionOptions.defaults().capacity(prefetch).overflow(OverflowPolicy.BLOCK));
                builder.bindRemote(to.toString(), receiver.backlog());
                receivers.add(receiver);
            }
            return true;
        } catch (DiskTransportException ex) {
            state.failure(
                    c.position("transport"),
                    "cannot set up disk connection " + c.describe() + ": " + ExceptionMessages.message(ex),
                    null,
                    ex);
            return false;
        } catch (RuntimeException ex) {
            state.problem(
                    c.position("transport"),
                    "cannot set up disk connection " + c.describe() + ": " + ExceptionMessages.message(ex),
                    null);
            return true;
        }
    }

    /**
     * How the messages of {@code edge} become records: {@link JsonMessage}s when a recipe is at either
     * end (other messages made into one, as the sinks do), else JSON of the type its ports carry
     * ({@link EdgeMessageTypes#messageType}).
     */
    @SuppressWarnings("unchecked")
    static DiskCodec<Object> codec(Edge edge) {
        Class<?> type = EdgeMessageTypes.messageType(edge);
        return type == JsonMessage.class ? new AsJsonMessages() : (DiskCodec<Object>) DiskCodec.json(type);
    }

    /** {@link DiskCodec#jsonMessages()} that also takes messages of other types (made into JsonMessages). */
    private static final class AsJsonMessages implements DiskCodec<Object> {

        private final DiskCodec<JsonMessage> inner = DiskCodec.jsonMessages();

        @Override
        public Class<Object> type() {
            return Object.class;
        }

        @Override
        public byte[] encode(Object message) {
            return inner.encode(EdgeMessageTypes.asJsonMessage(message));
        }

        @Override
        public Object decode(byte[] payload) {
            return inner.decode(payload);
        }
    }
}
