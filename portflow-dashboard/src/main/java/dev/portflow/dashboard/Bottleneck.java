package dev.portflow.dashboard;

/**
 * The component holding the pipeline back, see {@link BottleneckFinder}.
 *
 * @param component the component
 * @param edge      its fullest input edge
 * @param reason    one sentence saying why, for people
 */
record Bottleneck(String component, String edge, String reason) {}
