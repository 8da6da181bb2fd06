package dev.portflow.runtime;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Pipeline#drain(Duration)}.
 *
 * <p>When the drain completed, nothing is left. When it timed out, the components were interrupted
 * and the report says exactly what did not reach its end: per input port, the messages still
 * buffered plus the one its component was handling when it was stopped; each of them is in
 * {@link #unfinished()} so it can be written out and replayed.
 *
 * @param completed            whether every component finished within the timeout
 * @param leftovers            per input port ({@code component.port}): messages accepted into its
 *                             in-process buffers and not finished by its component; all 0 when completed
 * @param unfinished           those messages themselves, in topological order of their ports
 * @param droppedWhileStopping per output port ({@code component.port}): messages its component sent
 *                             after the next component had been stopped (counted {@code closed}),
 *                             e.g. a batch emitted during a forced stop; all 0 unless the drain timed out
 * @param errors               per component: messages that failed while the pipeline ran
 * @param took                 how long the drain took
 */
public record DrainReport(
        boolean completed,
        Map<String, Integer> leftovers,
        List<Leftover> unfinished,
        Map<String, Long> droppedWhileStopping,
        Map<String, Long> errors,
        Duration took) {

    /**
     * A message that did not reach its end.
     *
     * @param port        the input port ({@code component.port}) it was accepted by
     * @param message     the message
     * @param redelivered whether its transport keeps and redelivers it (a Kafka-bound port's
     *                    uncommitted record): not lost, and not to be replayed
     */
    public record Leftover(String port, Object message, boolean redelivered) {}

    public DrainReport {
        // ordered copies: reports print ports in topological order
        leftovers = Collections.unmodifiableMap(new LinkedHashMap<>(leftovers));
        unfinished = List.copyOf(unfinished);
        droppedWhileStopping = Collections.unmodifiableMap(new LinkedHashMap<>(droppedWhileStopping));
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    /** Total messages left in buffers or in handling. */
    public int totalLeftovers() {
        return leftovers.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Messages that will not reach their end unless replayed: unfinished ones no transport redelivers, plus those dropped while stopping. */
    public long lost() {
        return unfinished.stream().filter(l -> !l.redelivered()).count()
                + droppedWhileStopping.values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
    }

    /** Total messages that failed while the pipeline ran. */
    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
