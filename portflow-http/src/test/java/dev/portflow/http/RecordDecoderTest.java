package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.SchemaViolation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A body that cannot be mapped onto the record is a 422 on the offending field, in words a client
 * understands: never Jackson's (class and token names, feature switches), never a 5xx.
 */
class RecordDecoderTest {

    enum Kind {
        A,
        B
    }

    record Order(String id, double amount, List<String> tags, int qty, Kind kind, Instant at) {}

    private final RecordDecoder<Order> decoder = new RecordDecoder<>(Order.class);

    @Test
    void mappingProblemsAreDescribedPerFieldWithoutParserInternals() throws Exception {
        String complete = "\"id\":\"o\",\"amount\":1,\"qty\":1,";
        assertThat(violations("{\"id\":\"o\",\"amount\":1,\"qty\":99999999999}"))
                .containsExactly(new SchemaViolation("qty", "must be an integer from -2147483648 to 2147483647"));
        assertThat(violations("{\"id\":\"o\",\"qty\":1,\"amount\":\"x\"}"))
                .containsExactly(new SchemaViolation("amount", "must be a number"));
        assertThat(violations("{\"id\":{},\"amount\":1,\"qty\":1}"))
                .containsExactly(new SchemaViolation("id", "must be a string"));
        assertThat(violations("{" + complete + "\"tags\":\"x\"}"))
                .containsExactly(new SchemaViolation("tags", "must be an array"));
        assertThat(violations("{" + complete + "\"tags\":[{}]}"))
                .containsExactly(new SchemaViolation("tags[0]", "must be a string"));
        assertThat(violations("{" + complete + "\"kind\":\"C\"}"))
                .containsExactly(new SchemaViolation("kind", "must be one of A, B"));
        assertThat(violations("{" + complete + "\"at\":\"yesterday\"}"))
                .containsExactly(new SchemaViolation("at", "must be an ISO-8601 date-time"));
        assertThat(violations("{\"id\":\"o\",\"qty\":1}"))
                .containsExactly(new SchemaViolation("amount", "is required"));
        assertThat(violations("[1]")).containsExactly(new SchemaViolation("", "must be an object"));
        assertThat(violations("\"s\"")).containsExactly(new SchemaViolation("", "must be an object"));
        assertThat(violations("{" + complete + "\"tags\":[\"a\"]}")).isEmpty();
    }

    private List<SchemaViolation> violations(String body) throws Exception {
        return decoder.decode(
                        JsonBodyParser.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        "id",
                        Instant.now())
                .violations();
    }
}
