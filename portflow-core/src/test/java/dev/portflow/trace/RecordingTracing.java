package dev.portflow.trace;

import dev.portflow.time.Ticker;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A tracer for tests: keeps every span it is told about; samples the entries {@code sampled} picks and,
 * as a W3C implementation does, continues a well-formed sampled {@code traceparent} whatever that says.
 * The {@code traceparent} values {@code enter} was given are kept ({@link #traceparents()}).
 */
public final class RecordingTracing implements Tracing, MessageTracer {

    /** One recorded span; {@code end} is -1 while open. */
    public record Span(
            String traceId,
            String spanId,
            @Nullable String parentId,
            String name,
            String component,
            long start,
            long end,
            @Nullable Throwable error) {
        public long nanos() {
            return end - start;
        }
    }

    record Context(String traceId, String spanId) implements TraceContext {}

    private final Predicate<String> sampled;
    private final long slowAfterNanos;
    private final AtomicLong ids = new AtomicLong();
    private final Queue<Span> spans = new ConcurrentLinkedQueue<>();
    private final List<@Nullable String> traceparents = new CopyOnWriteArrayList<>();

    private static final Pattern SAMPLED_TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[13]");

    /**
     * @param sampled        whether an entering message (by its source's name) is traced
     * @param slowAfterNanos the late-tracing threshold, or Long.MAX_VALUE
     */
    public RecordingTracing(Predicate<String> sampled, long slowAfterNanos) {
        this.sampled = sampled;
        this.slowAfterNanos = slowAfterNanos;
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The first span named {@code name}; fails the test when there is none. */
    public Span named(String name) {
        return spans.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + spans));
    }

    /** Every span named {@code name}, in the order they ended. */
    public List<Span> allNamed(String name) {
        return spans.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The one span named {@code name} whose parent is {@code parent}; fails the test when there is not exactly one. */
    public Span childNamed(String name, Span parent) {
        List<Span> found = allNamed(name).stream()
                .filter(s -> parent.spanId().equals(s.parentId()))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(
                    name + " under " + parent + ": expected one, found " + found.size() + " in " + spans);
        }
        return found.getFirst();
    }

    /** The {@code traceparent} each {@code enter} was given (null: none), in order. */
    public List<@Nullable String> traceparents() {
        return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(traceparents)); // holds nulls
    }

    @Override
    public MessageTracer forPipeline(String pipeline, Ticker ticker) {
        return this;
    }

    private String id() {
        return String.format("%016x", ids.incrementAndGet());
    }

    @Override
    public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
        traceparents.add(traceparent);
        Matcher caller = traceparent == null ? null : SAMPLED_TRACEPARENT.matcher(traceparent);
        if (caller != null && caller.matches()) {
            return span(caller.group(1), caller.group(2), "enter " + component, component, originNanos);
        }
        if (!sampled.test(component)) {
            return null;
        }
        String trace = id() + id();
        return span(trace, null, "enter " + component, component, originNanos);
    }

    private StageSpan span(String trace, @Nullable String parentId, String name, String component, long start) {
        String spanId = id();
        Context mine = new Context(trace, spanId);
        return new StageSpan() {
            @Override
            public TraceContext context() {
                return mine;
            }

            @Override
            public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {
                spans.add(new Span(trace, spanId, parentId, name, component, start, endNanos, error));
            }
        };
    }

    @Override
    public StageSpan stage(TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
        spans.add(new Span(
                parent.traceId(),
                id(),
                parent.spanId(),
                "wait " + component + "." + port,
                component,
                enqueuedNanos,
                receivedNanos,
                null));
        return span(parent.traceId(), parent.spanId(), component, component, receivedNanos);
    }

    @Override
    public @Nullable StageSpan late(
            String component, String port, long originNanos, long enqueuedNanos, long receivedNanos, String why) {
        String trace = id() + id();
        Span before = new Span(
                trace,
                id(),
                null,
                "before " + component + " (" + why + ")",
                component,
                originNanos,
                enqueuedNanos,
                null);
        spans.add(before);
        return stage(new Context(trace, before.spanId()), component, port, enqueuedNanos, receivedNanos);
    }

    @Override
    public long slowAfterNanos() {
        return slowAfterNanos;
    }
}
