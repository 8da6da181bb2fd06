package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Error envelopes: fields, and the payload cut to 64 KiB of UTF-8 without splitting a code point. */
class ErrorEnvelopeTest {

    private static final int MAX = ErrorEnvelope.MAX_PAYLOAD_BYTES;

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void limitIs64KiB() {
        assertThat(MAX).isEqualTo(65_536);
    }

    @Test
    void fieldsComeFromTheFailure() {
        ErrorEnvelope e = ErrorEnvelope.of("shop", "enrich", "in_orders", new IllegalStateException("boom"), "payload");
        assertThat(e.pipeline()).isEqualTo("shop");
        assertThat(e.component()).isEqualTo("enrich");
        assertThat(e.port()).isEqualTo("in_orders");
        assertThat(e.errorType()).isEqualTo("IllegalStateException");
        assertThat(e.message()).isEqualTo("boom");
        assertThat(e.payload()).isEqualTo("payload");
        assertThat(e.payloadTruncated()).isFalse();
        assertThat(e.toMap()).containsKeys("time", "pipeline", "component", "port", "error_type", "message",
                "payload", "payload_truncated").containsEntry("error_type", "IllegalStateException");
    }

    @Test
    void asciiPayloadIsCutAtExactly64KiB() {
        String payload = "x".repeat(MAX + 1000);
        ErrorEnvelope e = ErrorEnvelope.of("p", "c", "in_x", new RuntimeException(), payload);
        assertThat(e.payloadText()).hasSize(MAX);
        assertThat(payload).startsWith(e.payloadText());
        assertThat(e.payloadTruncated()).isTrue();
    }

    @Test
    void aPayloadOfExactly64KiBIsKept() {
        String payload = "é".repeat(MAX / 2); // 2 bytes each
        ErrorEnvelope e = ErrorEnvelope.of("p", "c", "in_x", new RuntimeException(), payload);
        assertThat(e.payloadText()).isEqualTo(payload);
        assertThat(e.payloadTruncated()).isFalse();
    }

    @Test
    void multiByteCharactersAreNeverSplit() {
        // 'a' then 4-byte code points: the limit falls inside a code point.
        String emoji = new String(Character.toChars(0x1F600));
        String payload = "a" + emoji.repeat(MAX / 4 + 10);
        ErrorEnvelope e = ErrorEnvelope.of("p", "c", "in_x", new RuntimeException(), payload);
        assertThat(utf8Length(e.payloadText())).isEqualTo(1 + 4 * ((MAX - 1) / 4));
        assertThat(payload).startsWith(e.payloadText());
        assertThat(e.payloadText()).doesNotContain("\uFFFD");
        assertThat(Character.isHighSurrogate(e.payloadText().charAt(e.payloadText().length() - 1))).isFalse();
        assertThat(e.payloadTruncated()).isTrue();

        // 3-byte characters: 65536 is not a multiple of 3, so the cut is at 65535 bytes.
        String euros = "€".repeat(30_000);
        ErrorEnvelope e3 = ErrorEnvelope.of("p", "c", "in_x", new RuntimeException(), euros);
        assertThat(utf8Length(e3.payloadText())).isEqualTo(65_535);
        assertThat(e3.payloadText()).isEqualTo("€".repeat(21_845));
    }

    @Test
    void nullPayloadAndNullMessageAreRendered() {
        ErrorEnvelope e = ErrorEnvelope.of("p", "c", "in_x", new RuntimeException(), null);
        assertThat(e.payload()).isNull();
        assertThat(e.payloadText()).isEqualTo("null");
        assertThat(e.message()).isEqualTo("null");
    }

    @Test
    void aJsonMessageIsKeptWithItsTypesAndItsId() {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("a", 1);
        body.put("b", java.util.List.of(true, 2.5));
        var message = new dev.portflow.message.JsonMessage("id-1", java.time.Instant.EPOCH,
                java.time.Instant.parse("2026-01-01T00:00:00Z"), body);
        ErrorEnvelope e = ErrorEnvelope.of("p", "c", "in_x", new RuntimeException("x"), message);
        assertThat(e.payload()).isSameAs(message);
        assertThat(e.payloadId()).isEqualTo("id-1");
        assertThat(e.toMap()).containsEntry("payload", body).containsEntry("payload_id", "id-1")
                .containsEntry("payload_event_time", "2026-01-01T00:00:00Z")
                .containsEntry("payload_truncated", false);
    }

    @Provide
    Arbitrary<String> mixedText() {
        // ASCII, 2-, 3- and 4-byte code points mixed.
        Arbitrary<String> codePoint = Arbitraries.oneOf(
                Arbitraries.chars().range('a', 'z').map(String::valueOf),
                Arbitraries.chars().range('\u00a0', '\u07ff').map(String::valueOf),
                Arbitraries.chars().range('\u0800', '\ud7ff').map(String::valueOf),
                Arbitraries.integers().between(0x10000, 0x10FFFF).map(cp -> new String(Character.toChars(cp))));
        return codePoint.list().ofMaxSize(400).map(parts -> String.join("", parts));
    }

    /** The cut is the longest whole-code-point prefix that fits. */
    @Property(tries = 500)
    void truncationKeepsTheLongestWholePrefix(@ForAll("mixedText") String text,
            @ForAll @IntRange(min = 0, max = 1_000) int maxBytes) {
        String cut = ErrorEnvelope.truncateUtf8(text, maxBytes);
        assertThat(text).startsWith(cut);
        assertThat(utf8Length(cut)).isLessThanOrEqualTo(maxBytes);
        if (cut.length() < text.length()) {
            assertThat(Character.isLowSurrogate(text.charAt(cut.length()))).as("split a surrogate pair").isFalse();
            int nextCodePoint = text.codePointAt(cut.length());
            String longer = cut + new String(Character.toChars(nextCodePoint));
            assertThat(utf8Length(longer)).as("one more code point would not fit").isGreaterThan(maxBytes);
        } else {
            assertThat(utf8Length(text)).isLessThanOrEqualTo(maxBytes);
        }
        assertThat(cut).doesNotContain("\uFFFD");
    }
}
