package dev.portflow.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.FakeTicker;
import dev.portflow.trace.RecentTraces.Stage;
import dev.portflow.trace.RecentTraces.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RecentTraces}' ring of span ends: stages noting from several threads at once, a reader grouping
 * while they note, and what is kept once the ring has turned.
 */
@Timeout(60)
class RecentTracesRingTest {

    private static final long ALL = Long.MAX_VALUE / 4; // a window that takes every note
    private final FakeTicker ticker = new FakeTicker();
    private final RecentTraces recent = new RecentTraces(new RecordingTracing(source -> true, Long.MAX_VALUE), ticker);

    /** Message {@code n}: an entry at n us, a wait of 100 ns and 200 ns of work at "map", then at "sink". */
    private void traceOne(long n) {
        long origin = n * 1_000;
        StageSpan entry = Objects.requireNonNull(recent.enter("gen", null, origin));
        entry.end(origin + 10, 0, null);
        StageSpan map = recent.stage(entry.context(), "map", "in_n", origin + 10, origin + 110);
        map.end(origin + 310, 0, null);
        StageSpan sink = recent.stage(map.context(), "sink", "in_n", origin + 310, origin + 410);
        sink.end(origin + 610, 0, null);
    }

    /** Whether {@code t} is one message's whole trace as {@link #traceOne} made it. */
    private static @Nullable String wrongIn(Trace t) {
        long origin = t.startNanos();
        List<Stage> expected = List.of(
                new Stage("map", "in_n", origin + 110, 100, 200, false),
                new Stage("sink", "in_n", origin + 410, 100, 200, false));
        if (origin % 1_000 != 0
                || t.entryNanos() != 10
                || t.totalNanos() != 610
                || !t.stages().equals(expected)) {
            return t.toString();
        }
        return null;
    }

    @Test
    void stagesNotingFromSeveralThreadsAreGroupedIntoWholeTracesWhileAReaderGroupsThem() throws Exception {
        int writers = 4;
        int perWriter = RecentTraces.NOTES / 3 / writers; // 3 notes a message: the ring does not turn
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<@Nullable String> readerSaw = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (writing.get() && readerSaw.get() == null) {
                for (Trace t : recent.slowest(Integer.MAX_VALUE, ALL)) {
                    // mid-flight a trace may lack its later stages, never hold another's or a wrong time
                    for (Stage s : t.stages()) {
                        long at = s.component().equals("map") ? 110 : 410; // after the message's origin
                        if (s.waitNanos() != 100
                                || s.handlingNanos() != 200
                                || s.receivedNanos() % 1_000 != at
                                || s.receivedNanos() / 1_000 != t.startNanos() / 1_000) {
                            readerSaw.compareAndSet(null, "stage " + s + " in " + t);
                        }
                    }
                }
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            long first = (long) w * perWriter;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long n = first; n < first + perWriter; n++) {
                    traceOne(n + 1);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        writing.set(false);
        reader.join();

        assertThat(readerSaw.get())
                .as("what the reader saw while the stages noted")
                .isNull();
        List<Trace> all = recent.slowest(Integer.MAX_VALUE, ALL);
        assertThat(all).hasSize(writers * perWriter);
        assertThat(all.stream().map(RecentTracesRingTest::wrongIn).filter(Objects::nonNull))
                .isEmpty();
        assertThat(all).extracting(Trace::traceId).doesNotHaveDuplicates();
    }

    @Test
    void onceTheRingHasTurnedItHoldsTheNewestSpanEnds() {
        int messages = RecentTraces.NOTES; // 3 notes each: the ring turns twice and more
        for (long n = 1; n <= messages; n++) {
            traceOne(n);
        }
        List<Trace> kept = recent.slowest(Integer.MAX_VALUE, ALL);
        Map<Boolean, List<Trace>> byWhole = kept.stream().collect(Collectors.partitioningBy(t -> wrongIn(t) == null));
        List<Trace> whole = Objects.requireNonNull(byWhole.get(true));
        List<Trace> cutOnes = Objects.requireNonNull(byWhole.get(false));
        assertThat(whole).hasSize(RecentTraces.NOTES / 3); // 1365 whole, then the edge's part
        assertThat(cutOnes).as("the one trace cut by the ring's edge").hasSize(1);
        assertThat(whole)
                .extracting(t -> t.startNanos() / 1_000)
                .as("the newest messages")
                .allMatch(n -> n > messages - RecentTraces.NOTES / 3);
        Trace cut = cutOnes.getFirst();
        assertThat(cut.stages()).extracting(Stage::component).containsExactly("sink");
        assertThat(cut.entryNanos())
                .as("its entry and map notes were overwritten")
                .isZero();
        assertThat(kept.stream()
                        .mapToInt(t -> t.stages().size() + (t.entryNanos() > 0 ? 1 : 0))
                        .sum())
                .as("notes held")
                .isEqualTo(RecentTraces.NOTES);
    }

    @Test
    void aTraceIsListedOnlyIfItsLatestSpanEndedInTheWindow() {
        traceOne(1);
        assertThat(recent.slowest(10, ALL)).hasSize(1);
        long now = ticker.read();
        long sinceLatestEnd = now - (1_000 + 610);
        assertThat(recent.slowest(10, sinceLatestEnd)).hasSize(1);
        assertThat(recent.slowest(10, sinceLatestEnd - 1)).isEmpty();
    }
}
