package dev.portflow.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SpanLog} under Lincheck's model checker: one thread appends records while another drains, and every
 * result must be one a sequential run gives: the drain returns the records appended before it, whole, oldest
 * first, each once. A record's fields are all derived from its number, so a drain that reads a slot before
 * its writer finished (the tail published before the fields) returns a record no sequential run has. The ring
 * holds more than a run appends: a full ring's drop is {@link SpanLogTest}'s. The checker explores
 * interleavings under sequential consistency; the release/acquire pairing that keeps the order on weaker
 * hardware is argued in {@link SpanLog}. {@code -Dportflow.checker.long=true} runs it longer.
 */
class SpanLogLincheckTest {

    private static final boolean LONG = Boolean.getBoolean("portflow.checker.long");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void appendsAndDrainsModelChecking() {
        new ModelCheckingOptions()
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .iterations(LONG ? 50 : 10)
                .invocationsPerIteration(LONG ? 1_000 : 200)
                .check(Log.class);
    }

    /** The operations the checker draws: appends on one thread, drains on the other. */
    public static final class Log {
        private final SpanLog log = new SpanLog(Thread.currentThread(), 16, () -> {});
        private int next;

        /** Appends record number {@code next}, every field derived from it. */
        @Operation(nonParallelGroup = "writer")
        public boolean append() {
            int n = ++next;
            return log.append(
                    n, n * 10L + 1, n * 10L + 2, n * 10L + 3, n * 10L + 4, null, n * 10L + 5, n * 10L + 6, n, null);
        }

        /** The numbers of the records drained, or what was wrong with one. */
        @Operation(nonParallelGroup = "reader")
        public String drain() {
            List<String> read = new ArrayList<>();
            log.drainTo((shape, high, low, span, parent, remote, start, end, blocked, failure) -> {
                long n = shape;
                boolean whole = high == n * 10 + 1
                        && low == n * 10 + 2
                        && span == n * 10 + 3
                        && parent == n * 10 + 4
                        && start == n * 10 + 5
                        && end == n * 10 + 6
                        && blocked == n
                        && remote == null
                        && failure == null;
                read.add(whole ? Long.toString(n) : "torn " + n);
            });
            return String.join(",", read);
        }
    }
}
