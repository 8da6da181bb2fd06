package dev.portflow.dashboard;

/**
 * An autoscaled component that would be the bottleneck but can still get more workers: the runtime
 * is widening it, so it is not (yet) what holds the pipeline back. See {@link BottleneckFinder}.
 *
 * @param component  the component
 * @param edge       its fullest input edge
 * @param workers    workers it runs on now
 * @param workersMax the most it may get
 * @param reason     one sentence saying so, for people
 */
record Scaling(String component, String edge, int workers, int workersMax, String reason) {}
