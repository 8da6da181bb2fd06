package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
        assertThat(e.toMap())
                .containsKeys(
                        "time",
                        "pipeline",
                        "component",
                        "port",
                        "error_type",
                        "message",
                        "payload",
                        "payload_truncated")
                .containsEntry("error_type", "IllegalStateException");
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
        assertThat(Character.isHighSurrogate(
                        e.payloadText().charAt(e.payloadText().length() - 1)))
                .isFalse();
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
        var message = new dev.portflow.message.JsonMessage(
                "id-1", java.time.Instant.EPOCH, java.time.Instant.parse("2026-01-01T00:00:00Z"), body);
        ErrorEnvelope e = ErrorEnvelope.of("p", "c", "in_x", new RuntimeException("x"), message);
        assertThat(e.payload()).isSameAs(message);
        assertThat(e.payloadId()).isEqualTo("id-1");
        assertThat(e.toMap())
                .containsEntry("payload", body)
                .containsEntry("payload_id", "id-1")
                .containsEntry("payload_event_time", "2026-01-01T00:00:00Z")
                .containsEntry("payload_truncated", false);
    }

    /** Up to 400 code points: ASCII, 2-, 3- and 4-byte code points mixed. */
    private static String mixedText(SplittableRandom random) {
        int codePoints = random.nextInt(401);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt('a', 'z' + 1);
                case 1 -> random.nextInt(0x00a0, 0x07ff + 1);
                case 2 -> random.nextInt(0x0800, 0xd7ff + 1);
                default -> random.nextInt(0x10000, 0x10FFFF + 1);
            };
            text.appendCodePoint(cp);
        }
        return text.toString();
    }

    private record Case(String text, int maxBytes) {
        @Override
        public String toString() {
            return "text of " + text.length() + " chars / " + utf8Length(text) + " bytes"
                    + (text.length() <= 40 ? " '" + text + "'" : "") + ", maxBytes " + maxBytes;
        }
    }

    /**
     * The cut is the longest whole-code-point prefix that fits. Fixed edge cases (empty text, a limit
     * of 0, limits falling inside each width of code point, the 64 KiB limit) then 500 seeded random
     * texts (as many as the former property had tries) with limits in [0, 1000], every tenth limit
     * placed within a few bytes of the text's own length.
     */
    @Test
    void truncationKeepsTheLongestWholePrefix() {
        long seed = Long.getLong("portflow.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        List<Case> cases = new ArrayList<>();
        String emoji = new String(Character.toChars(0x1F600));
        for (String text :
                List.of("", "a", "é", "€", emoji, "aé€" + emoji, emoji + "€éa", "é€" + emoji + emoji + "a")) {
            for (int maxBytes = 0; maxBytes <= utf8Length(text) + 1; maxBytes++) {
                cases.add(new Case(text, maxBytes));
            }
            cases.add(new Case(text, 1_000));
        }
        for (String text : List.of(
                "x".repeat(MAX),
                "x".repeat(MAX + 1),
                "é".repeat(MAX / 2),
                "é".repeat(MAX / 2) + "x",
                "a" + emoji.repeat(MAX / 4 + 10),
                "€".repeat(21_846))) {
            cases.add(new Case(text, MAX));
            cases.add(new Case(text, MAX - 1));
            cases.add(new Case(text, MAX + 1));
        }
        for (int i = 0; i < 500; i++) {
            String text = mixedText(random);
            int maxBytes = i % 10 == 9
                    ? Math.clamp(utf8Length(text) - random.nextInt(-1, 5), 0, 1_000)
                    : random.nextInt(1_001);
            cases.add(new Case(text, maxBytes));
        }
        for (Case c : cases) {
            String text = c.text();
            int maxBytes = c.maxBytes();
            String context = "seed %d (rerun with -Dportflow.seed=%d), %s";
            String cut = ErrorEnvelope.truncateUtf8(text, maxBytes);
            assertThat(text).as(context, seed, seed, c).startsWith(cut);
            assertThat(utf8Length(cut)).as(context, seed, seed, c).isLessThanOrEqualTo(maxBytes);
            if (cut.length() < text.length()) {
                assertThat(Character.isLowSurrogate(text.charAt(cut.length())))
                        .as(context + ": split a surrogate pair", seed, seed, c)
                        .isFalse();
                int nextCodePoint = text.codePointAt(cut.length());
                String longer = cut + new String(Character.toChars(nextCodePoint));
                assertThat(utf8Length(longer))
                        .as(context + ": one more code point would not fit", seed, seed, c)
                        .isGreaterThan(maxBytes);
            } else {
                assertThat(utf8Length(text)).as(context, seed, seed, c).isLessThanOrEqualTo(maxBytes);
            }
            assertThat(cut).as(context, seed, seed, c).doesNotContain("\uFFFD");
        }
    }
}
