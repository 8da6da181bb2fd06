package dev.portflow.runtime;

/**
 * One reading of a stage's cumulative counters, taken by the autoscaler once per interval. The
 * policy works on differences between consecutive samples.
 *
 * @param nanoTime           when it was read ({@code System.nanoTime()} scale, or a test clock)
 * @param workers            workers running when it was read
 * @param busyNanos          worker-nanoseconds spent handling messages, since start
 * @param idleNanos          worker-nanoseconds spent waiting for a message, since start
 * @param backpressuredNanos worker-nanoseconds spent waiting on a full output buffer, since start
 * @param finished           messages the stage has finished handling, since start
 * @param arrived            messages accepted into the stage's input buffers, since start
 * @param depth              messages waiting in its input buffers now
 * @param capacity           the input buffers' capacity
 */
record StageSample(
        long nanoTime,
        int workers,
        long busyNanos,
        long idleNanos,
        long backpressuredNanos,
        long finished,
        long arrived,
        int depth,
        int capacity) {}
