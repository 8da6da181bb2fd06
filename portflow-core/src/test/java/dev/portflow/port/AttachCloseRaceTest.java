package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connecting an output port races reading its connections and closing it. */
class AttachCloseRaceTest {

    private static final int CLOSE_TRIALS = 2_000;
    private static final int TRIALS = 5_000;

    /**
     * A port connected while it is closed is either refused or closed with the others: a connection
     * must never stay open on a closed port (its receiver would never see end of stream).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aConnectionAttachedWhileThePortClosesIsClosedToo() throws Exception {
        int open = 0;
        int connected = 0;
        try (Partner partner = new Partner()) {
            for (int trial = 0; trial < CLOSE_TRIALS; trial++) {
                OutputPort<Integer> out = new OutputPort<>("out_race", Integer.class);
                InputPort<Integer> in = new InputPort<>("in_race", Integer.class);
                AtomicReference<Connection<Integer>> connection = new AtomicReference<>();
                partner.run(
                        () -> {
                            try {
                                connection.set(Ports.connect(out, in, 4, OverflowPolicy.BLOCK));
                            } catch (IllegalStateException refused) {
                                // closed first: refused, fine
                            }
                        },
                        trial % 64,
                        out::close);
                if (connection.get() != null) {
                    connected++;
                    if (!connection.get().statistics().closed() || !in.isEndOfStream()) {
                        open++;
                    }
                }
            }
        }
        assertThat(open)
                .as("connections left open on a closed port, of %d connected in %d trials", connected, CLOSE_TRIALS)
                .isZero();
    }

    /** A reader of a port's connections never sees the connection array before its element. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void attachRemotePublishesTheConnectionWithTheArray() throws Exception {
        int torn = 0;
        try (Partner partner = new Partner()) {
            for (int trial = 0; trial < TRIALS; trial++) {
                OutputPort<String> out = new OutputPort<>("out_remote", String.class);
                RemoteLinkTest.FakeLink link = new RemoteLinkTest.FakeLink(4);
                int[] seen = {0};
                partner.run(
                        () -> out.attachRemote(
                                link, ConnectionOptions.defaults().overflow(OverflowPolicy.DROP_NEWEST)),
                        0,
                        () -> {
                            for (int spin = 0; spin < 100_000; spin++) {
                                try {
                                    if (!out.connections().isEmpty()) {
                                        return;
                                    }
                                } catch (NullPointerException nullElement) {
                                    seen[0]++;
                                    return;
                                }
                            }
                        });
                torn += seen[0];
            }
        }
        assertThat(torn)
                .as("reads that found the array without its connection, of %d trials", TRIALS)
                .isZero();
    }

    /** A second thread that runs a task at the same moment as the test thread runs its own. */
    private static final class Partner implements AutoCloseable {
        private final AtomicLong started = new AtomicLong();
        private final AtomicLong ready = new AtomicLong();
        private final AtomicLong go = new AtomicLong();
        private final AtomicLong finished = new AtomicLong();
        private final AtomicReference<Throwable> problem = new AtomicReference<>();
        private volatile @Nullable Runnable task; // set by run() before it starts a round

        Partner() {
            Thread.ofPlatform().daemon().start(() -> {
                long seen = 0;
                while (true) {
                    long s;
                    for (int spin = 0; (s = started.get()) == seen; spin++) {
                        pause(spin);
                    }
                    if (s < 0) {
                        return;
                    }
                    seen = s;
                    ready.set(s);
                    while (go.get() != s) {
                        Thread.onSpinWait(); // both threads are running now: start together
                    }
                    try {
                        Objects.requireNonNull(task).run();
                    } catch (Throwable t) {
                        problem.compareAndSet(null, t);
                    }
                    finished.set(s);
                }
            });
        }

        /** Runs {@code theirs} on the partner and, after {@code delay} spins, {@code ours} here; waits for both. */
        void run(Runnable theirs, int delay, Runnable ours) {
            task = theirs;
            long round = started.get() + 1;
            started.set(round);
            for (int spin = 0; ready.get() != round; spin++) {
                pause(spin);
            }
            go.set(round);
            for (int i = 0; i < delay; i++) {
                Thread.onSpinWait();
            }
            ours.run();
            for (int spin = 0; finished.get() != round; spin++) {
                pause(spin);
            }
            assertThat(problem.get()).isNull();
        }

        @Override
        public void close() {
            started.set(-1);
        }

        /** Spins, then yields: the machine running the tests may have fewer cores than busy threads. */
        private static void pause(int spin) {
            if (spin < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
