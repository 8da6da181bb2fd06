package dev.portflow.dashboard;

import java.util.Arrays;

/**
 * The last {@code capacity} values of one series, oldest overwritten first. The array is allocated
 * once, so a series costs {@code 8 * capacity} bytes however long the pipeline runs. {@code NaN}
 * stands for "no value" (rendered as {@code null}). Not thread-safe: {@link History} guards it.
 */
final class SeriesRing {

    private final double[] values;
    private int next; // index the next value goes to
    private int size;

    SeriesRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.values = new double[capacity];
    }

    void append(double value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    int size() {
        return size;
    }

    int capacity() {
        return values.length;
    }

    /** The values held, oldest first. */
    double[] toArray() {
        double[] out = new double[size];
        int start = (next - size + values.length) % values.length;
        int firstPart = Math.min(size, values.length - start);
        System.arraycopy(values, start, out, 0, firstPart);
        System.arraycopy(values, 0, out, firstPart, size - firstPart);
        return out;
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
