package dev.portflow.runtime;

/**
 * A change of a stage's worker count by the autoscaler, with the reason it gives (logged, counted,
 * shown on the dashboard).
 *
 * @param component the stage
 * @param from      workers before
 * @param to        workers after
 * @param reason    one sentence with the figures that led to it, e.g. "busy 98 % of worker time, backlog
 *                  grew by 312 in 1 s, outputs not backpressured (2 %): widening"
 * @param epochMillis when it was taken (wall clock)
 */
public record ScalingDecision(String component, int from, int to, String reason, long epochMillis) {}
