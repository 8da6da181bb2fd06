package dev.portflow.metrics;

import java.util.Objects;

/** {@link PortCounters#absent}: a port in another process, which counted nothing here. */
record AbsentPortCounters(String portName, Direction direction) implements PortCounters {

    AbsentPortCounters {
        Objects.requireNonNull(portName, "portName");
        Objects.requireNonNull(direction, "direction");
    }

    @Override
    public String component() {
        return "";
    }

    @Override
    public String transport() {
        return "remote";
    }

    @Override
    public long messagesIn() {
        return 0;
    }

    @Override
    public long messagesOut() {
        return 0;
    }

    @Override
    public long removedFromBuffers() {
        return 0;
    }

    @Override
    public long dropped(DropReason reason) {
        return 0;
    }

    @Override
    public long droppedTotal() {
        return 0;
    }

    @Override
    public long errorsTotal() {
        return 0;
    }

    @Override
    public int depth() {
        return 0;
    }

    @Override
    public int capacity() {
        return 0;
    }

    @Override
    public double utilization() {
        return 0;
    }

    @Override
    public long oldestMessageAgeNanos(long nowNanos) {
        return 0;
    }

    @Override
    public HistogramSnapshot messageAges() {
        return HistogramSnapshot.EMPTY;
    }

    @Override
    public double blockedNanos() {
        return 0;
    }
}
