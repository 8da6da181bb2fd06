package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random bytes, headers, encodings and nested JSON thrown at the ingress: never a 5xx, never an
 * exception, never a hang, and every id answered 202 reaches the sink exactly once.
 *
 * <p>Fixed edge cases (empty and boundary-sized bodies, an order of exactly the 4096-byte limit and
 * one byte more, the deepest nesting, odd methods and content types) then 2000 seeded random requests
 * (as many as the former property had tries); rerun one with {@code -Dportflow.seed=N}.
 */
class IngressFuzzTest {

    private static final Set<Integer> ALLOWED = Set.of(202, 400, 401, 405, 413, 415, 422);

    private final List<JsonMessage> received = new CopyOnWriteArrayList<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private Pipeline pipeline;
    private Ingress<JsonMessage> ingress;

    @BeforeEach
    void startPipeline() {
        IngressSettings settings =
                IngressSettings.of("/fuzz").maxBodyBytes(4096).authToken("tok");
        ApiEndpoint<JsonMessage> api = ApiEndpoint.json(settings, HttpFixture.ORDER_SCHEMA);
        ingress = api.ingress();
        pipeline = Pipeline.builder("fuzz")
                .meterRegistry(new SimpleMeterRegistry())
                .source("api", JsonMessage.class, api)
                .sink("sink", JsonMessage.class, received::add)
                .connect(
                        "api.out_requests",
                        "sink.in_requests",
                        ConnectionOptions.defaults().capacity(100_000))
                .build()
                .start();
        // The endpoint answers 503 not_ready until its source runs; wait for the first 202.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            IngressResponse first = ingress.handle(request(
                    "POST",
                    "application/json",
                    "{\"id\":\"warm\",\"amount\":1}".getBytes(StandardCharsets.UTF_8),
                    true));
            if (first.status() != 202) {
                return false;
            }
            accepted.add(idOf(first));
            return true;
        });
    }

    private static String idOf(IngressResponse response) {
        return response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private void everyAcceptedIdArrivesOnce(long seed) {
        String context = "seed %d (rerun with -Dportflow.seed=%d)";
        DrainReport report = pipeline.drain(Duration.ofSeconds(20));
        assertThat(report.completed()).as(context + ": drained", seed, seed).isTrue();
        Map<String, Integer> arrivals = new HashMap<>();
        for (JsonMessage m : received) {
            arrivals.merge(m.id(), 1, Integer::sum);
        }
        assertThat(arrivals.values())
                .as(context + ": arrivals per id", seed, seed)
                .containsOnly(1);
        assertThat(arrivals.keySet())
                .as(context + ": ids received = ids answered 202", seed, seed)
                .isEqualTo(accepted);
        for (JsonMessage m : received) {
            assertThat(holdsAnUnpairedSurrogate(m.fields()))
                    .as(context + ": accepted %s", seed, seed, m.fields())
                    .isFalse();
        }
    }

    /** Whether any key or string in a decoded JSON value is not valid Unicode text. */
    private static boolean holdsAnUnpairedSurrogate(Object value) {
        if (value instanceof String text) {
            return JsonBodyParser.unpairedSurrogate(text) >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .anyMatch(e -> holdsAnUnpairedSurrogate(e.getKey()) || holdsAnUnpairedSurrogate(e.getValue()));
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(IngressFuzzTest::holdsAnUnpairedSurrogate);
        }
        return false;
    }

    @Test
    void neverA5xxAndNothingAcceptedIsLost() {
        long seed = Long.getLong("portflow.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        try {
            List<IngressRequest> cases = new java.util.ArrayList<>(fixedCases());
            for (int i = 0; i < 2000; i++) {
                cases.add(randomRequest(random));
            }
            for (int i = 0; i < cases.size(); i++) {
                IngressRequest request = cases.get(i);
                IngressResponse response = ingress.handle(request);
                String context = "seed %d (rerun with -Dportflow.seed=%d), case %d: %s %s, %d body bytes, status %d";
                Object[] args = {
                    seed,
                    seed,
                    i,
                    request.method(),
                    request.headers().get("Content-Type"),
                    request.body().length,
                    response.status()
                };
                assertThat(response.status()).as(context, args).isIn(ALLOWED);
                assertThat(response.body()).as(context, args).startsWith("{").endsWith("}");
                if (response.status() == 202) {
                    accepted.add(idOf(response));
                }
            }
        } finally {
            everyAcceptedIdArrivesOnce(seed);
        }
    }

    /** Fixed boundary cases: empty values, the body limit, the deepest nesting. */
    private static List<IngressRequest> fixedCases() {
        List<IngressRequest> cases = new java.util.ArrayList<>();
        byte[] order = "{\"id\":\"fixed\",\"amount\":1}".getBytes(StandardCharsets.UTF_8);
        for (String method : List.of("POST", "GET", "PUT", "DELETE", "post", "PATCH", "")) {
            cases.add(request(method, "application/json", order, true));
        }
        for (String contentType : List.of(
                "",
                "application/json",
                "application/json; charset=utf-8",
                "application/vnd.x+json",
                "Application/JSON",
                "application/json;charset=\"UTF-8\"",
                "application/json; charset=latin1",
                "text/plain")) {
            cases.add(request("POST", contentType, order, true));
        }
        cases.add(request("POST", "application/json", order, false));
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 6000}) {
            cases.add(request("POST", "application/json", new byte[size], true));
            cases.add(request("POST", "application/json", "{".repeat(size).getBytes(StandardCharsets.UTF_8), true));
        }
        // A valid order of exactly the limit and one byte over it.
        for (int size : new int[] {4095, 4096, 4097}) {
            String shell = "{\"id\":\"\",\"amount\":1}";
            String body = "{\"id\":\"" + "p".repeat(size - shell.length()) + "\",\"amount\":1}";
            cases.add(request("POST", "application/json", body.getBytes(StandardCharsets.UTF_8), true));
        }
        for (String body : List.of(
                "{}",
                "[]",
                "null",
                "\"\"",
                "{\"id\":\"\",\"amount\":0}",
                "{\"\":1}",
                "{\"id\":\"edge-max\",\"amount\":1.0E9}",
                "{\"id\":\"edge-neg\",\"amount\":-0.0}",
                "{\"id\":\"\\ud800\",\"amount\":1}",
                "{\"id\":\"\\udfff\\ud800\",\"amount\":1}",
                "{\"id\":\"\\ud83d\\ude00\",\"amount\":1}")) {
            cases.add(request("POST", "application/json", body.getBytes(StandardCharsets.UTF_8), true));
        }
        for (int depth : new int[] {1, 2, 399, 400}) {
            cases.add(request("POST", "application/json", nested(depth), true));
        }
        for (Charset charset : List.of(StandardCharsets.UTF_16, StandardCharsets.ISO_8859_1, StandardCharsets.UTF_8)) {
            cases.add(request(
                    "POST", "application/json", "{\"id\":\"é€\uD83D\uDE00\",\"amount\":3}".getBytes(charset), true));
        }
        return cases;
    }

    private static <T> T pick(SplittableRandom random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static IngressRequest randomRequest(SplittableRandom random) {
        String method =
                random.nextInt(10) < 9 ? "POST" : pick(random, List.of("GET", "PUT", "DELETE", "post", "PATCH", ""));
        int c = random.nextInt(10);
        String contentType = c < 6
                ? "application/json"
                : c < 8
                        ? pick(
                                random,
                                List.of(
                                        "application/json; charset=utf-8",
                                        "application/vnd.x+json",
                                        "Application/JSON",
                                        "application/json;charset=\"UTF-8\"",
                                        "application/json; charset=latin1"))
                        : randomString(random, 40, false);
        List<Function<SplittableRandom, byte[]>> bodies = List.of(
                IngressFuzzTest::validOrder,
                IngressFuzzTest::partialObject,
                r -> nested(r.nextInt(1, 401)),
                IngressFuzzTest::randomJsonText,
                IngressFuzzTest::randomBytes,
                r -> unicodeIn(
                        r,
                        pick(r, List.of(StandardCharsets.UTF_16, StandardCharsets.ISO_8859_1, StandardCharsets.UTF_8))),
                IngressFuzzTest::escapedUtf16);
        byte[] body = pick(random, bodies).apply(random);
        boolean authorized = random.nextInt(10) < 8;
        return request(method, contentType, body, authorized);
    }

    private static IngressRequest request(String method, String contentType, byte[] body, boolean authorized) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of(contentType));
        headers.put("X-Random", List.of(new String(body, 0, Math.min(body.length, 20), StandardCharsets.ISO_8859_1)));
        if (authorized) {
            headers.put("authorization", List.of("Bearer tok"));
        }
        return new IngressRequest(method, headers, body, body.length);
    }

    /**
     * Up to {@code maxLength} chars, empty included: ASCII, control characters, any BMP char and
     * supplementary pairs; with {@code all}, unpaired surrogates and noncharacters too.
     */
    private static String randomString(SplittableRandom random, int maxLength, boolean all) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            switch (random.nextInt(all ? 6 : 5)) {
                case 0, 1 -> text.append((char) random.nextInt(0x20, 0x7F));
                case 2 -> text.append((char) random.nextInt(0x20));
                case 3 -> {
                    char ch = (char) random.nextInt(0x80, 0x10000);
                    if (all
                            || !(Character.isSurrogate(ch)
                                    || (ch >= 0xFDD0 && ch <= 0xFDEF)
                                    || ch >= 0xFFFE
                                    || Character.getType(ch) == Character.PRIVATE_USE)) {
                        text.append(ch);
                    }
                }
                case 4 -> text.appendCodePoint(random.nextInt(0x10000, 0x110000));
                default -> text.append((char) random.nextInt(0xD800, 0xE000)); // a lone surrogate
            }
        }
        return text.toString();
    }

    private static byte[] validOrder(SplittableRandom random) {
        String id = randomString(random, 30, false);
        double amount = random.nextDouble(0, 1e9);
        return ("{\"id\":" + quote(id) + ",\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** JSON objects with any subset of the schema's fields, of any JSON type, plus stray fields. */
    private static byte[] partialObject(SplittableRandom random) {
        int count = random.nextInt(6);
        List<String> fields = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = switch (random.nextInt(3)) {
                case 0 -> quote(randomString(random, 10, false));
                case 1 -> String.valueOf(random.nextDouble(-1e6, 1e6));
                default ->
                    pick(
                            random,
                            List.of(
                                    "true",
                                    "false",
                                    "null",
                                    "[]",
                                    "{}",
                                    "[1,\"a\"]",
                                    "{\"x\":{}}",
                                    "\"2026-01-31T12:00:00\"",
                                    "\"not a time\"",
                                    "12"));
            };
            fields.add(quote(pick(random, List.of("id", "amount", "event_time", "extra", ""))) + ":" + value);
        }
        return ("{" + String.join(",", fields) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] nested(int depth) {
        return ("{\"id\":\"n\",\"amount\":1,\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomJsonText(SplittableRandom random) {
        String chars = "{}[]\":,0123456789.eE-+ tfnrulasidmo\\u";
        int length = random.nextInt(201);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(6001)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] unicodeIn(SplittableRandom random, Charset charset) {
        return ("{\"id\":" + quote(randomString(random, 100, true)) + ",\"amount\":3}").getBytes(charset);
    }

    /** Valid orders whose id spells random UTF-16 units, surrogates included, as JSON escapes. */
    private static byte[] escapedUtf16(SplittableRandom random) {
        int count = random.nextInt(7);
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int unit = switch (random.nextInt(3)) {
                case 0 -> random.nextInt(0xD800, 0xE000);
                case 1 -> random.nextInt(0x20, 0x7F);
                default -> random.nextInt(0x10000);
            };
            id.append(String.format("\\u%04x", unit));
        }
        return ("{\"id\":\"" + id + "\",\"amount\":1}").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
