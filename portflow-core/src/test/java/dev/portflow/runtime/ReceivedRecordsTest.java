package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Transformer;
import dev.portflow.port.Connection;
import dev.portflow.port.InputPort;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReceivedRecordsTest {

    /** A pipeline whose component {@code a} has finished {@code finished[0]} messages (scripted). */
    private static void withFinished(long[] finished, java.util.function.Consumer<CompletionWatermark> body) {
        try (Pipeline p = Pipeline.builder("r")
                .source("feed", Integer.class, context -> {})
                .transformer("a", Integer.class, Integer.class, Transformer.map(x -> x))
                .sink("b", Integer.class, x -> {})
                .connect("feed.out_x", "a.in_x")
                .connect("a.out_x", "b.in_x")
                .build()) {
            InputPort<?> aIn = p.inputPort("a", "in_x");
            body.accept(p.completionWatermark("a", "in_x", new CompletionWatermark.Counts() {
                @Override
                public long finished(InputPort<?> port) {
                    return port == aIn ? finished[0] : Long.MAX_VALUE / 2; // b has finished everything
                }

                @Override
                public long accepted(Connection<?> c) {
                    return finished[0];
                }

                @Override
                public long received(Connection<?> c) {
                    return finished[0];
                }

                @Override
                public long evicted(Connection<?> c) {
                    return 0;
                }
            }));
        }
    }

    @Test
    void onlyAPrefixIsDoneAndASkippedRecordWaitsForTheGivenOnesBeforeIt() {
        long[] finished = {7}; // finished in an earlier run: not ours
        withFinished(finished, watermark -> {
            ReceivedRecords<String> records = new ReceivedRecords<>(watermark);
            records.skipped("s0");
            records.given("g1");
            records.skipped("s2");
            records.given("g3");
            records.given("g4");
            assertThat(records.done()).as("a skipped head is done at once").containsExactly("s0");

            finished[0] = 8;
            assertThat(records.done()).containsExactly("s0", "g1", "s2");
            records.removeDone(2);
            assertThat(records.done()).as("g1 was counted when removed").containsExactly("s2");
            records.removeDone(1);

            finished[0] = 10;
            assertThat(records.done()).containsExactly("g3", "g4");
            records.removeDone(2);
            assertThat(records.isEmpty()).isTrue();
            records.given("g5");
            assertThat(records.done()).isEmpty();
        });
    }

    @Test
    void settlingAllStopsWhenEverythingIsDoneOrWhenNothingMovesAfterARefusal() throws Exception {
        long[] finished = {0};
        withFinished(finished, watermark -> {
            ReceivedRecords<Integer> records = new ReceivedRecords<>(watermark);
            for (int i = 0; i < 5; i++) {
                records.given(i);
            }
            Runnable settle = () -> records.removeDone(records.done().size());
            try {
                // the component finishes one message per settle: all 5 get done
                int left = records.settleAll(Duration.ofSeconds(10), false, Duration.ofMillis(1), () -> {
                    finished[0] = Math.min(5, finished[0] + 1);
                    settle.run();
                });
                assertThat(left).isZero();

                records.given(5);
                long start = System.nanoTime();
                left = records.settleAll(Duration.ofSeconds(10), true, Duration.ofMillis(100), settle);
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(left)
                        .as("after a refusal, the unfinished one is left")
                        .isEqualTo(1);
                assertThat(tookMillis)
                        .as("it waits for progress, not the whole timeout")
                        .isLessThan(5_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }
}
