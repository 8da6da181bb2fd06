package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Only valid Unicode text gets in: a lone UTF-16 surrogate written as a JSON escape, or bytes that
 * are not UTF-8, are refused with 400 {@code invalid_json} (issue 11, bug 1): such a string cannot
 * be written back out as UTF-8 and used to jam the file sink after a 202.
 */
@Timeout(60)
class IngressUnicodeTest {

    @Test
    void aLoneSurrogateEscapeIsRefusedWithItsPath() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            HttpResponse<String> value = http.postJson("{\"n\":2,\"s\":\"\\ud83d\"}");

            assertThat(value.statusCode()).isEqualTo(400);
            assertThat(value.body())
                    .isEqualTo("{\"error\":\"invalid_json\",\"message\":\"string at $.s holds an"
                            + " unpaired UTF-16 surrogate (\\\\ud83d): not valid Unicode text\"}");

            HttpResponse<String> key = http.postJson("{\"a\":{\"x\\udc00y\":1}}");
            assertThat(key.statusCode()).isEqualTo(400);
            assertThat(key.body())
                    .contains("unpaired UTF-16 surrogate in a key (not valid Unicode text) at line 1, column 15");

            HttpResponse<String> deep =
                    http.postJson("{\"items\":[{\"ok\":\"fine\"},{\"tags\":[\"a\",\"b\\ude00\"]}]}");
            assertThat(deep.statusCode()).isEqualTo(400);
            assertThat(deep.body())
                    .contains("string at $.items[1].tags[1] holds an unpaired UTF-16 surrogate (\\\\ude00)");

            HttpResponse<String> oddKey = http.postJson("{\"a b\":[\"\\ud800\"]}");
            assertThat(oddKey.body()).contains("string at $['a b'][0] holds");

            assertThat(http.postJson("\"\\udbff\"").statusCode())
                    .as("a top-level string")
                    .isEqualTo(400);
            assertThat(http.postJson("{\"s\":\"\\ude00\\ud83d\"}").statusCode())
                    .as("a reversed pair")
                    .isEqualTo(400);
            assertThat(http.postJson("{\"s\":\"\\ud83d\\u0041\"}").statusCode())
                    .as("high then not low")
                    .isEqualTo(400);
            assertThat(http.received).isEmpty();
        }
    }

    /** Issue 11, bug 18: 1e400 was read as Infinity and answered 202; no JSON writer can put it back. */
    @Test
    void aNumberBeyondTheRangeOfADoubleIsRefusedButHugeIntegersAreNot() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            HttpResponse<String> huge = http.postJson("{\"a\":{\"x\":[1, -1e400]}}");
            assertThat(huge.statusCode()).isEqualTo(400);
            assertThat(huge.body())
                    .isEqualTo("{\"error\":\"invalid_json\",\"message\":\"number at $.a.x[1] is beyond"
                            + " the range of a 64-bit floating-point number (at most about 1.8e308)\"}");
            assertThat(http.postJson("{\"a\":1.7e308,\"b\":1e-400}").statusCode())
                    .as("in range, or rounded to 0")
                    .isEqualTo(202);
            assertThat(http.postJson("{\"n\":123456789012345678901234567890}").statusCode())
                    .as("an integer is exact at any size")
                    .isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 2);
        }
    }

    @Test
    void pairedSurrogatesAndLiteralEmojiAreAccepted() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            assertThat(http.postJson("{\"s\":\"\\ud83d\\ude00\"}").statusCode()).isEqualTo(202);
            assertThat(http.postJson("{\"s\":\"\uD83D\uDE00 caf\u00e9\",\"\uD83D\uDE00\":1}")
                            .statusCode())
                    .isEqualTo(202);
            assertThat(http.postJson("{\"s\":\"\\uffff \\ufffe \\u0000\"}").statusCode())
                    .as("noncharacters and NUL are valid Unicode scalar values")
                    .isEqualTo(202);

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 3);
            assertThat(http.received.get(0).fields()).isEqualTo(Map.of("s", "\uD83D\uDE00"));
            assertThat(http.received.get(1).fields()).containsEntry("s", "\uD83D\uDE00 caf\u00e9");
        }
    }

    @Test
    void bytesThatAreNotUtf8AreA400NotA202WithReplacementCharacters() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            List<byte[]> bodies = List.of(
                    withInString(0xff), // never valid in UTF-8
                    withInString(0xe2, 0x82), // a truncated three-byte sequence
                    withInString(0xc0, 0xaf), // an overlong '/'
                    withInString(0xed, 0xa0, 0xbd), // a surrogate encoded as UTF-8 (CESU-8)
                    withInString(0xf4, 0x90, 0x80, 0x80), // above U+10FFFF
                    withInString(0x80)); // a lone continuation byte
            for (byte[] body : bodies) {
                HttpResponse<String> response = http.client.send(
                        HttpRequest.newBuilder(http.uri("/orders"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode())
                        .as("status for %s", HexFormat.ofDelimiter(" ").formatHex(body))
                        .isEqualTo(400);
                assertThat(response.body())
                        .startsWith("{\"error\":\"invalid_json\",\"message\":\"body is not valid UTF-8:")
                        .contains("at byte 7");
            }
            assertThat(http.received).isEmpty();
        }
    }

    /** <code>{"s":"a</code> + the bytes + <code>"}</code>: the bad bytes start at offset 7. */
    private static byte[] withInString(int... bytes) {
        byte[] prefix = "{\"s\":\"a".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + bytes.length + 2];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        for (int i = 0; i < bytes.length; i++) {
            body[prefix.length + i] = (byte) bytes[i];
        }
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        return body;
    }
}
