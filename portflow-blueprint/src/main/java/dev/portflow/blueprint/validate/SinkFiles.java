package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.parse.ProblemReporter;
import dev.portflow.blueprint.spi.ConfigEntry;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * No two {@code jsonl_sink}s write one file: two writers appending to the same file interleave
 * partial lines. Paths are compared as the recipe gets them: resolved against the blueprint's
 * directory and normalised ({@code ./out.jsonl}, {@code out.jsonl} and {@code a/../out.jsonl} are one
 * file). Links are not followed: the file need not exist yet.
 */
final class SinkFiles {

    static final String JSONL_SINK = "jsonl_sink";

    private SinkFiles() {}

    /** The sink that writes a file first, and its {@code path:} entry. */
    private record Claim(ComponentSpec component, ConfigEntry path) {}

    static void check(Collection<BlueprintValidator.Resolved> components, ProblemReporter reporter) {
        Map<Path, Claim> writers = new HashMap<>();
        for (BlueprintValidator.Resolved r : components) {
            if (r.recipe() == null || !JSONL_SINK.equals(r.recipe().name()) || !r.configOk()) {
                continue;
            }
            Path file = r.config().getPath("path");
            ConfigEntry entry = r.spec().config().get("path");
            if (file == null || entry == null) {
                continue;
            }
            Claim first = writers.putIfAbsent(file, new Claim(r.spec(), entry));
            if (first != null) {
                reporter.problem(
                        entry.valuePosition(),
                        "jsonl_sink '" + r.spec().name() + "' writes to the same file as"
                                + " jsonl_sink '" + first.component().name() + "' (line "
                                + first.path().valuePosition().line()
                                + "): " + file,
                        "two sinks appending to one file interleave their lines; give each sink its own path, or send"
                                + " both streams to one jsonl_sink");
            }
        }
    }
}
