package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Once close has started, nothing that was accepted may be evicted: a message accepted before the
 * close is either received or was evicted to make room for a message that was accepted in its place.
 */
class EvictionAfterCloseTest {

    private static List<Integer> drain(BoundedChannel<Integer> channel) {
        List<Integer> out = new ArrayList<>();
        for (Integer e = channel.poll(); e != null; e = channel.poll()) {
            out.add(e);
        }
        return out;
    }

    /** The interleaving a DROP_OLDEST send hit: it saw FULL, the channel closed, then it evicted. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void evictOldestAfterCloseEvictsNothing() {
        BoundedChannel<Integer> c = new BoundedChannel<>(2, true, new ReceiverWakeup());
        assertThat(c.offer(1, 0, 0)).isEqualTo(BoundedChannel.OFFERED);
        assertThat(c.offer(2, 0, 0)).isEqualTo(BoundedChannel.OFFERED);
        assertThat(c.offer(3, 0, 0)).isEqualTo(BoundedChannel.FULL);

        c.close();

        assertThat(c.evictOldest()).isNull();
        assertThat(c.evictedCount()).isZero();
        assertThat(c.depth()).isEqualTo(2);
        assertThat(drain(c)).containsExactly(1, 2);
        assertThat(c.isDrained()).isTrue();
    }
}
