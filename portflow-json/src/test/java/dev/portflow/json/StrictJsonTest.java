package dev.portflow.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class StrictJsonTest {

    private final JsonMapper mapper = StrictJson.mapper();

    @Test
    void readsAPlainDocument() {
        assertThat(mapper.readValue("{\"a\": [1, 2.5, \"x\", null]}", Object.class))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1, 2.5, "x", null)));
    }

    @Test
    void aDuplicateKeyIsAnError() {
        assertThatThrownBy(() -> mapper.readTree("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("Duplicate Object property \"a\"");
    }

    @Test
    void dataAfterTheFirstValueIsAnError() {
        assertThatThrownBy(() -> mapper.readTree("{\"a\": 1} {\"b\": 2}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> mapper.readValue("[1] 2", Object.class)).isInstanceOf(JacksonException.class);
    }

    @Test
    void nestingDeeperThanTheLimitIsAnError() {
        String ok = "[".repeat(StrictJson.MAX_NESTING_DEPTH) + "]".repeat(StrictJson.MAX_NESTING_DEPTH);
        String tooDeep = "[" + ok + "]";
        assertThat(mapper.readTree(ok).isArray()).isTrue();
        assertThatThrownBy(() -> mapper.readTree(tooDeep))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void aNumberLongerThanTheLimitIsAnError() {
        String ok = "1".repeat(StrictJson.MAX_NUMBER_LENGTH);
        assertThat(mapper.readTree(ok).isNumber()).isTrue();
        assertThatThrownBy(() -> mapper.readTree(ok + "1"))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("Number value length");
    }

    @Test
    void writingANonFiniteNumberIsAnErrorNamingTheField() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", 1.5);
        doc.put("a", Map.of("b", List.of(1.0, Double.NaN)));
        assertThatThrownBy(() -> mapper.writeValueAsString(doc))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("field 'a.b[1]' is NaN");
        assertThatThrownBy(() -> mapper.writeValueAsString(Float.POSITIVE_INFINITY))
                .hasMessageContaining("the value is Infinity");
        assertThat(mapper.writeValueAsString(List.of(1.5, 0.25f, -0.0))).isEqualTo("[1.5,0.25,-0.0]");
    }

    @Test
    void anUnpairedSurrogateIsEscapedWhenWrittenAsBytes() {
        String cut = "x\ud83d";
        String json = new String(mapper.writeValueAsBytes(cut), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("\"x\\uD83D\"");
        assertThat(mapper.readValue(json, String.class)).isEqualTo(cut);
    }

    @Test
    void aMapperBuiltOnTopKeepsTheStrictness() {
        JsonMapper snake = StrictJson.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build();
        assertThat(snake.writeValueAsString(new Sample(2))).isEqualTo("{\"queue_depth\":2}");
        assertThatThrownBy(() -> snake.readTree("{\"a\": 1, \"a\": 2}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> snake.writeValueAsString(List.of(Double.NEGATIVE_INFINITY)))
                .isInstanceOf(JacksonException.class);
    }

    record Sample(int queueDepth) {}
}
