package dev.portflow.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeTest {

    @Test
    void aDateTimeWithAnOffsetIsThatInstant() {
        assertThat(EventTime.parse("2026-01-31T12:00:00Z")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(EventTime.parse("2026-01-31T13:00:00.250+01:00"))
                .isEqualTo(Instant.parse("2026-01-31T12:00:00.250Z"));
    }

    @Test
    void aDateTimeWithoutAnOffsetIsUtc() {
        assertThat(EventTime.parse("2026-01-31T12:00:00")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
    }

    @Test
    void blanksAroundTheValueAreIgnored() {
        assertThat(EventTime.parse(" 2026-01-31T12:00:00Z\n")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
    }

    @Test
    void anythingElseIsNotAnEventTime() {
        assertThat(EventTime.parse("")).isNull();
        assertThat(EventTime.parse("2026-01-31")).isNull();
        assertThat(EventTime.parse("1769860800000")).isNull();
        assertThat(EventTime.parse("2026-02-30T12:00:00Z")).isNull();
        assertThat(EventTime.parse("yesterday")).isNull();
    }
}
