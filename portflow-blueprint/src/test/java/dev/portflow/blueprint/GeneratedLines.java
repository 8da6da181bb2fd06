package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a {@code jsonl_sink} wrote in the edge blueprint tests, where a {@code generator} emits
 * {@code {n: "${seq}"}}: one JSON line per message with its {@code n} and {@code _id}.
 */
final class GeneratedLines {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GeneratedLines() {}

    /** The file's lines, none while it does not exist yet. */
    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /**
     * Every n of 0..count-1 (the generator's seq) exactly once, and nothing else, each with an id of
     * its own ({@code via}: what the ids were kept through, for the failure message).
     */
    static void assertEveryMessageOnce(Path file, int count, String via) throws IOException {
        List<String> lines = lines(file);
        List<Long> ns = lines.stream()
                .map(line -> JSON.readTree(line).get("n"))
                .map(JsonNode::asLong)
                .toList();
        Set<String> ids = lines.stream()
                .map(line -> JSON.readTree(line).get("_id").asString())
                .collect(Collectors.toSet());
        assertThat(ns).as("one line per message").hasSize(count);
        assertThat(new TreeSet<>(ns))
                .containsExactlyElementsOf(LongStream.range(0, count).boxed().toList());
        assertThat(ids).as("ids kept through " + via).hasSize(count);
    }
}
