package dev.portflow.tracing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of a pipeline's entry and wait spans, made once per component and port: a traced
 * message would otherwise build the same strings at every stage.
 */
final class SpanNames {

    private final Map<String, String> entries = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> waits = new ConcurrentHashMap<>();

    /** {@code enter <component>}: a message entering the pipeline at a source or the ingress. */
    String entryName(String component) {
        return entries.computeIfAbsent(component, c -> "enter " + c);
    }

    /** {@code wait <component>.<port>}: a message's time in the buffer in front of that input. */
    String waitName(String component, String port) {
        Map<String, String> byPort = waits.computeIfAbsent(component, c -> new ConcurrentHashMap<>());
        String name = byPort.get(port); // a get first: the lambda below captures, and would allocate per call
        return name != null ? name : byPort.computeIfAbsent(port, p -> "wait " + component + "." + p);
    }
}
