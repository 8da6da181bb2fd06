package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ring buffer on its own: capacity, FIFO across wrap-around, exact counts, close, eviction, waiting. */
class BoundedChannelTest {

    private static BoundedChannel<Integer> channel(int capacity) {
        return new BoundedChannel<>(capacity, false, new ReceiverWakeup());
    }

    private static List<Integer> drain(BoundedChannel<Integer> channel) {
        List<Integer> out = new ArrayList<>();
        for (Integer e = channel.poll(); e != null; e = channel.poll()) {
            out.add(e);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void capacityBelowOneIsAClearError(int capacity) {
        assertThatThrownBy(() -> channel(capacity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be >= 1")
                .hasMessageContaining(String.valueOf(capacity));
    }

    @Test
    void capacityAboveTwoToTheThirtyIsRefused() {
        assertThatThrownBy(() -> channel((1 << 30) + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Capacities that are not a power of two are exact: the ring is larger, the channel is not. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 8, 10, 100})
    void holdsExactlyCapacityMessages(int capacity) {
        BoundedChannel<Integer> c = channel(capacity);
        for (int i = 0; i < capacity; i++) {
            assertThat(c.offer(i, 0, 0)).isEqualTo(BoundedChannel.OFFERED);
            assertThat(c.depth()).isEqualTo(i + 1);
        }
        assertThat(c.isFull()).isTrue();
        assertThat(c.offer(-1, 0, 0)).isEqualTo(BoundedChannel.FULL);
        assertThat(c.depth()).isEqualTo(capacity);
        assertThat(c.acceptedCount()).isEqualTo(capacity);
        assertThat(drain(c)).hasSize(capacity).doesNotContain(-1);
        assertThat(c.depth()).isZero();
    }

    @Test
    void staysFifoAcrossManyWrapArounds() {
        BoundedChannel<Integer> c = channel(3); // ring of 4 slots, capacity 3
        List<Integer> received = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 50; round++) {
            int burst = 1 + round % 3;
            for (int k = 0; k < burst; k++) {
                assertThat(c.offer(next++, 0, 0)).isEqualTo(BoundedChannel.OFFERED);
            }
            for (int k = 0; k < 1 + (round + 1) % 3 && c.depth() > 0; k++) {
                received.add(c.poll());
            }
            assertThat(c.depth()).isBetween(0, 3);
        }
        received.addAll(drain(c));
        assertThat(received).hasSize(next);
        for (int i = 0; i < next; i++) {
            assertThat(received.get(i)).isEqualTo(i);
        }
        assertThat(c.acceptedCount()).isEqualTo(next);
        assertThat(c.receivedCount()).isEqualTo(next);
    }

    @Test
    void anExactStampLosesOnlyItsLowestNanosecondToTheExactMark() {
        BoundedChannel<Integer> c = channel(2);
        c.offer(1, 111L, 11L);
        assertThat(c.poll()).isEqualTo(1);
        assertThat(BoundedChannel.isExact(c.polledEnqueuedAt())).isTrue();
        assertThat(BoundedChannel.stampNanos(c.polledEnqueuedAt())).isEqualTo(110L);
    }

    @Test
    void pollOnEmptyReturnsNullAndKeepsCountsAtZero() {
        BoundedChannel<Integer> c = channel(4);
        assertThat(c.poll()).isNull();
        assertThat(c.depth()).isZero();
        assertThat(c.receivedCount()).isZero();
        assertThat(c.headOriginAt()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void timestampsTravelWithTheirElement() {
        BoundedChannel<Integer> c = channel(2);
        c.offer(1, 112L, 11L);
        c.offer(2, 222L, 22L);
        assertThat(c.headOriginAt()).isEqualTo(11L);
        assertThat(c.poll()).isEqualTo(1);
        assertThat(c.polledEnqueuedAt()).isEqualTo(112L);
        assertThat(c.polledOriginAt()).isEqualTo(11L);
        assertThat(c.headOriginAt()).isEqualTo(22L);
        assertThat(c.poll()).isEqualTo(2);
        assertThat(c.polledEnqueuedAt()).isEqualTo(222L);
        assertThat(c.polledOriginAt()).isEqualTo(22L);
    }

    @Test
    void closeRefusesNewOffersButKeepsBufferedMessagesReceivable() {
        BoundedChannel<Integer> c = channel(4);
        c.offer(1, 0, 0);
        c.offer(2, 0, 0);
        c.close();
        c.close(); // idempotent
        assertThat(c.isClosed()).isTrue();
        assertThat(c.offer(3, 0, 0)).isEqualTo(BoundedChannel.CLOSED);
        assertThat(c.acceptedCount()).isEqualTo(2); // the close bit is not a count
        assertThat(c.depth()).isEqualTo(2);
        assertThat(c.isDrained()).isFalse();
        assertThat(drain(c)).containsExactly(1, 2);
        assertThat(c.isDrained()).isTrue();
        assertThat(c.depth()).isZero();
    }

    @Test
    void openEmptyChannelIsNotDrained() {
        BoundedChannel<Integer> c = channel(1);
        assertThat(c.isDrained()).isFalse();
        c.close();
        assertThat(c.isDrained()).isTrue();
    }

    @Test
    void evictionIsOnlyAllowedOnAMultiConsumerChannel() {
        assertThatThrownBy(() -> channel(2).evictOldest())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DROP_OLDEST");
    }

    @Test
    void evictOldestRemovesTheHeadAndCountsIt() {
        BoundedChannel<Integer> c = new BoundedChannel<>(3, true, new ReceiverWakeup());
        for (int i = 0; i < 3; i++) {
            c.offer(i, 0, 0);
        }
        assertThat(c.evictOldest()).isEqualTo(0);
        assertThat(c.offer(3, 0, 0)).isEqualTo(BoundedChannel.OFFERED);
        assertThat(c.evictOldest()).isEqualTo(1);
        assertThat(c.evictedCount()).isEqualTo(2);
        assertThat(c.depth()).isEqualTo(2);
        assertThat(c.poll()).isEqualTo(2);
        assertThat(c.poll()).isEqualTo(3);
        assertThat(c.poll()).isNull();
        assertThat(c.evictOldest()).isNull();
        assertThat(c.evictedCount()).isEqualTo(2);
        assertThat(c.acceptedCount()).isEqualTo(4);
        assertThat(c.receivedCount()).isEqualTo(2); // evicted messages were never handed to the receiver
    }

    @Test
    void awaitRoomGivesUpAtItsDeadline() throws InterruptedException {
        BoundedChannel<Integer> c = channel(1);
        c.offer(1, 0, 0);
        long start = System.nanoTime();
        boolean retry = c.awaitRoom(start + TimeUnit.MILLISECONDS.toNanos(60));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(retry).isFalse();
        assertThat(waitedMs).isGreaterThanOrEqualTo(60).isLessThan(2_000);
    }

    @Test
    void awaitRoomReturnsAtOnceWhenThereIsRoom() throws InterruptedException {
        BoundedChannel<Integer> c = channel(2);
        c.offer(1, 0, 0);
        assertThat(c.awaitRoom(System.nanoTime() - 1)).isTrue();
    }

    @Test
    void aPollWakesAProducerWaitingForRoom() throws Exception {
        BoundedChannel<Integer> c = channel(1);
        c.offer(1, 0, 0);
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try {
                waiter.complete(c.awaitRoom(Long.MAX_VALUE));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.WAITING);
        Thread.sleep(50);
        assertThat(waiter).isNotDone();
        assertThat(c.poll()).isEqualTo(1);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeWakesAProducerWaitingForRoom() throws Exception {
        BoundedChannel<Integer> c = channel(1);
        c.offer(1, 0, 0);
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try {
                waiter.complete(c.awaitRoom(Long.MAX_VALUE));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.WAITING);
        c.close();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(c.offer(2, 0, 0)).isEqualTo(BoundedChannel.CLOSED);
    }

    @Test
    void anOfferWakesAParkedReceiver() throws Exception {
        ReceiverWakeup wakeup = new ReceiverWakeup();
        BoundedChannel<Integer> c = new BoundedChannel<>(4, false, wakeup);
        CompletableFuture<Integer> received = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                wakeup.prepareToPark();
                Integer e = c.poll();
                if (e != null) {
                    wakeup.cancelPark();
                    received.complete(e);
                    return;
                }
                wakeup.park(0);
                wakeup.cancelPark();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.getState() == Thread.State.WAITING);
        assertThat(received).isNotDone();
        c.offer(42, 0, 0);
        assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void closeWakesAParkedReceiver() throws Exception {
        ReceiverWakeup wakeup = new ReceiverWakeup();
        BoundedChannel<Integer> c = new BoundedChannel<>(4, false, wakeup);
        CompletableFuture<Boolean> sawEnd = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                wakeup.prepareToPark();
                if (c.isDrained()) {
                    wakeup.cancelPark();
                    sawEnd.complete(true);
                    return;
                }
                wakeup.park(0);
                wakeup.cancelPark();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.getState() == Thread.State.WAITING);
        c.close();
        assertThat(sawEnd.get(5, TimeUnit.SECONDS)).isTrue();
    }
}
