package dev.portflow.trace;

import dev.portflow.time.Ticker;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RecentTraces}' ring under Lincheck's model checker: stages of two traces end on two threads while
 * a third lists the traces, and every result must be one a sequential run of the same operations gives.
 * A listing is checked for what it shows of each stage, not for which stages it holds ({@link Ring#list}):
 * a note the reader finds must carry its end. A stage publishing its note before writing its end fields
 * lets the reader list a stage that ended before it was taken, which no sequential run does. The checker
 * explores interleavings under sequential consistency; the release/acquire pairing that keeps the same
 * order on weaker hardware is argued in {@link RecentTraces}, not checked here.
 *
 * <p>Runs in the checker's own surefire execution with the channel's (portflow-core's pom), bounded as its;
 * {@code -Dportflow.checker.long=true} ({@code bench/run-checker}) runs it longer.
 */
class RecentTracesLincheckTest {

    private static final boolean LONG = Boolean.getBoolean("portflow.checker.long");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void noteEndsAndListingsModelChecking() {
        new ModelCheckingOptions()
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .iterations(LONG ? 50 : 3)
                .invocationsPerIteration(LONG ? 1_000 : 100)
                .check(Ring.class);
    }

    /** The operations the checker draws, on one {@link RecentTraces} in front of a tracer that makes plain spans. */
    public static final class Ring {
        private final RecentTraces traces = new RecentTraces(new PlainSpans(), new Stopped());

        /** A stage of trace {@code trace}, taken at 10 after waiting 10, ends after {@code handling} ns. */
        @Operation
        public void end(
                @Param(gen = IntGen.class, conf = "1:2") int trace,
                @Param(gen = IntGen.class, conf = "1:3") int handling) {
            StageSpan span = traces.stage(new Context(trace), "map", "in_n", 0L, 10L);
            span.end(10L + handling, 0L, null);
        }

        /**
         * What a listing shows that no stage did: "ok" when every stage listed waited 10 ns and was handled
         * for 1 to 3 ns, and every trace's total is its wait plus its longest handling. Which traces a
         * listing holds is not compared: a stage that took its place in the ring before another may publish
         * after it, so a listing can hold the later one alone (a listing is not linearizable, its notes are).
         */
        @Operation
        public String list() {
            for (RecentTraces.Trace t : traces.slowest(10, Long.MAX_VALUE / 4)) {
                long longest = 0;
                for (RecentTraces.Stage s : t.stages()) {
                    if (s.waitNanos() != 10 || s.handlingNanos() < 1 || s.handlingNanos() > 3) {
                        return "trace " + t.traceId() + " lists a stage that waited " + s.waitNanos()
                                + " ns and was handled for " + s.handlingNanos() + " ns";
                    }
                    longest = Math.max(longest, s.handlingNanos());
                }
                if (t.stages().isEmpty() || t.totalNanos() != 10 + longest) {
                    return "trace " + t.traceId() + " totals " + t.totalNanos() + " ns over " + t.stages();
                }
            }
            return "ok";
        }
    }

    /** A trace's context: trace {@code n}'s id, one span id for all its stages (they are siblings here). */
    private record Context(int n) implements TraceContext {
        @Override
        public String traceId() {
            return String.format("%032x", n);
        }

        @Override
        public String spanId() {
            return "00000000000000aa";
        }
    }

    /** The tracer behind the ring: spans that keep nothing, in their parent's trace. */
    private static final class PlainSpans implements MessageTracer {
        @Override
        public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
            return null;
        }

        @Override
        public StageSpan stage(
                TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
            return new StageSpan() {
                @Override
                public TraceContext context() {
                    return parent;
                }

                @Override
                public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {}
            };
        }

        @Override
        public @Nullable StageSpan late(
                String component, String port, long originNanos, long enqueuedNanos, long receivedNanos, String why) {
            return null;
        }

        @Override
        public long slowAfterNanos() {
            return Long.MAX_VALUE;
        }
    }

    /** A clock that stands still: every listing's window then holds every trace. */
    private static final class Stopped implements Ticker {
        @Override
        public long read() {
            return 1_000L;
        }

        @Override
        public long wallNanos() {
            return 1_000L;
        }
    }
}
