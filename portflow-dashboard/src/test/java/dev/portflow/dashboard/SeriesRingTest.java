package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeriesRingTest {

    @Test
    void keepsTheLastCapacityValuesOldestFirst() {
        SeriesRing ring = new SeriesRing(3);
        assertThat(ring.toArray()).isEmpty();
        ring.append(1);
        ring.append(2);
        assertThat(ring.toArray()).containsExactly(1, 2);
        ring.append(3);
        ring.append(4);
        ring.append(5);
        assertThat(ring.toArray()).containsExactly(3, 4, 5);
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void neverGrowsPastItsCapacity() {
        SeriesRing ring = new SeriesRing(300);
        for (int i = 0; i < 100_000; i++) {
            ring.append(i);
        }
        assertThat(ring.size()).isEqualTo(300);
        assertThat(ring.capacity()).isEqualTo(300);
        double[] values = ring.toArray();
        assertThat(values).hasSize(300);
        assertThat(values[0]).isEqualTo(100_000 - 300);
        assertThat(values[299]).isEqualTo(99_999);
    }

    @Test
    void rejectsAnEmptyRing() {
        assertThatThrownBy(() -> new SeriesRing(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
