package dev.portflow.cli;

import dev.portflow.json.EventTime;
import dev.portflow.json.StrictJson;
import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.DrainReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the messages a timed-out drain left behind, one JSON object per line, so they can be
 * inspected and replayed: {@code {"port":"store.in_orders","id":"…","ingest_time":"…",
 * "event_time":"…","message":{…the original body…}}}. A message that is not JSON is written as
 * Jackson renders it, or as its text under {@code message_text} when Jackson cannot.
 *
 * <p>Messages a transport keeps and redelivers (a Kafka-bound port's uncommitted records) are not
 * written: replaying them would duplicate them.
 */
final class LeftoversFile {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    private LeftoversFile() {}

    /** Writes the report's lost messages to {@code file} (parent directories created); returns how many. */
    static int write(DrainReport report, Path file) throws IOException {
        List<DrainReport.Leftover> lost =
                report.unfinished().stream().filter(l -> !l.redelivered()).toList();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (DrainReport.Leftover leftover : lost) {
                out.write(line(leftover));
                out.write('\n');
            }
        }
        return lost.size();
    }

    static String line(DrainReport.Leftover leftover) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("port", leftover.port());
        Object message = leftover.message();
        if (message instanceof JsonMessage json) {
            line.put("id", json.id());
            line.put("ingest_time", json.ingestTime().toString());
            if (json.declaredEventTime() != null) {
                line.put(EventTime.FIELD, json.declaredEventTime().toString());
            }
            message = json.body();
        }
        line.put("message", message);
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JacksonException notJson) {
            line.remove("message");
            line.put("message_text", String.valueOf(message));
            return MAPPER.writeValueAsString(line);
        }
    }
}
