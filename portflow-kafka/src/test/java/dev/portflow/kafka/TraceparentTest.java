package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The W3C {@code traceparent} rules the Kafka receiver reads a record's header with. */
class TraceparentTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    private static @Nullable Traceparent parse(String value) {
        return Traceparent.parse(value.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aSampledOneIsTheContextItNamesAndWritesBackTheSame() {
        Traceparent parsed = parse("00-" + TRACE + "-" + SPAN + "-01");
        assertThat(parsed).isEqualTo(new Traceparent(TRACE, SPAN));
        assertThat(java.util.Objects.requireNonNull(parsed).traceparent())
                .isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
        assertThat(parse("00-" + TRACE + "-" + SPAN + "-03")).isEqualTo(new Traceparent(TRACE, SPAN));
        // a later version: the four fields it shares with 00, whatever follows them after a '-'
        assertThat(parse("01-" + TRACE + "-" + SPAN + "-01")).isEqualTo(new Traceparent(TRACE, SPAN));
        assertThat(parse("cc-" + TRACE + "-" + SPAN + "-01-later")).isEqualTo(new Traceparent(TRACE, SPAN));
    }

    @Test
    void anUnsampledOneIsNoContext() {
        assertThat(parse("00-" + TRACE + "-" + SPAN + "-00")).isNull();
        assertThat(parse("00-" + TRACE + "-" + SPAN + "-02")).isNull();
    }

    @Test
    void aMalformedOneIsRefusedSayingWhy() {
        String[][] cases = {
            {"", "too short for its version"},
            {"00", "not <version>"},
            {"00-" + TRACE + "-" + SPAN + "-0", "not <version>"},
            {"00-" + TRACE + "-" + SPAN + "-01-", "not <version>"}, // version 00 has exactly 55 characters
            {"01-" + TRACE + "-" + SPAN + "-01x", "not <version>"},
            {"ff-" + TRACE + "-" + SPAN + "-01", "version ff is invalid"},
            {"0g-" + TRACE + "-" + SPAN + "-01", "version"},
            {"00_" + TRACE + "-" + SPAN + "-01", "no '-' at 2"},
            {"00-" + TRACE + "_" + SPAN + "-01", "no '-' at 35"},
            {"00-" + TRACE + "-" + SPAN + "_01", "no '-' at 52"},
            {"00-" + TRACE.toUpperCase(java.util.Locale.ROOT) + "-" + SPAN + "-01", "trace id"},
            {"00-" + "0".repeat(32) + "-" + SPAN + "-01", "the trace id is all zeros"},
            {"00-" + TRACE + "-" + "0".repeat(16) + "-01", "the parent id is all zeros"},
            {"00-" + TRACE + "-" + SPAN + "-0x", "flags"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0]))
                    .as("'%s'", c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]);
        }
    }
}
