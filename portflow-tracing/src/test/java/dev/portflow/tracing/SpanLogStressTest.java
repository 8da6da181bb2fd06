package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link SpanLog} written by one thread while another drains it, as fast as both can: every record the
 * reader gets must be whole (each field derived from its number), in order, each once, and the records read
 * plus those dropped must be all the writer appended. A small ring, so the writer often finds it full.
 */
class SpanLogStressTest {

    private static final int RECORDS = 2_000_000;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aReaderGetsEveryRecordWholeInOrderOrItIsCountedDropped() throws Exception {
        AtomicReference<@Nullable SpanLog> made = new AtomicReference<>();
        AtomicBoolean written = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            SpanLog log = new SpanLog(Thread.currentThread(), 64, () -> {});
            made.set(log);
            for (long n = 1; n <= RECORDS; n++) {
                log.append(
                        (int) n,
                        n * 8 + 1,
                        n * 8 + 2,
                        n * 8 + 3,
                        n * 8 + 4,
                        null,
                        n * 8 + 5,
                        n * 8 + 6,
                        n * 8 + 7,
                        n % 1000 == 0 ? new IllegalStateException(Long.toString(n)) : null);
            }
            written.set(true);
        });
        writer.start();
        SpanLog log;
        while ((log = made.get()) == null) {
            Thread.onSpinWait();
        }
        Checker checker = new Checker();
        while (!written.get()) {
            log.drainTo(checker);
        }
        writer.join();
        log.drainTo(checker);

        assertThat(checker.problem).isNull();
        assertThat(checker.read + log.dropped()).isEqualTo(RECORDS);
        assertThat(checker.read).isPositive();
    }

    /** Checks each record as it is read. */
    private static final class Checker implements SpanLog.Reader {
        long read;
        long last;

        @Nullable
        String problem;

        @Override
        public void read(
                int shapeId,
                long traceIdHigh,
                long traceIdLow,
                long spanId,
                long parentSpanId,
                io.opentelemetry.api.trace.@Nullable SpanContext remote,
                long startEpochNanos,
                long endEpochNanos,
                long blockedNanos,
                @Nullable Throwable failure) {
            long n = shapeId;
            long[] fields = {traceIdHigh, traceIdLow, spanId, parentSpanId, startEpochNanos, endEpochNanos, blockedNanos
            };
            for (int i = 0; i < fields.length; i++) {
                if (fields[i] != n * 8 + i + 1 && problem == null) {
                    problem = "record " + n + " field " + (i + 1) + " was " + fields[i];
                }
            }
            boolean shouldFail = n % 1000 == 0;
            if (problem == null
                    && (shouldFail != (failure != null)
                            || (failure != null && !Long.toString(n).equals(failure.getMessage())))) {
                problem = "record " + n + " ended with " + failure;
            }
            if (n <= last && problem == null) {
                problem = "record " + n + " read after record " + last;
            }
            last = n;
            read++;
        }
    }
}
