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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random bytes, headers, encodings and nested JSON thrown at the ingress: never a 5xx, never an
 * exception, never a hang, and every id answered 202 reaches the sink exactly once.
 */
class IngressFuzzTest {

    private static final Set<Integer> ALLOWED = Set.of(202, 400, 401, 405, 413, 415, 422);

    private final List<JsonMessage> received = new CopyOnWriteArrayList<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private Pipeline pipeline;
    private Ingress<JsonMessage> ingress;

    @BeforeProperty
    void startPipeline() {
        IngressSettings settings = IngressSettings.of("/fuzz").maxBodyBytes(4096).authToken("tok");
        ApiEndpoint<JsonMessage> api = ApiEndpoint.json(settings, HttpFixture.ORDER_SCHEMA);
        ingress = api.ingress();
        pipeline = Pipeline.builder("fuzz")
                .meterRegistry(new SimpleMeterRegistry())
                .source("api", JsonMessage.class, api)
                .sink("sink", JsonMessage.class, received::add)
                .connect("api.out_requests", "sink.in_requests", ConnectionOptions.defaults().capacity(100_000))
                .build()
                .start();
        // The endpoint answers 503 not_ready until its source runs; wait for the first 202.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            IngressResponse first = ingress.handle(
                    request("POST", "application/json", "{\"id\":\"warm\",\"amount\":1}".getBytes(), true));
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

    @AfterProperty
    void everyAcceptedIdArrivesOnce() {
        DrainReport report = pipeline.drain(Duration.ofSeconds(20));
        assertThat(report.completed()).isTrue();
        Map<String, Integer> arrivals = new HashMap<>();
        for (JsonMessage m : received) {
            arrivals.merge(m.id(), 1, Integer::sum);
        }
        assertThat(arrivals.values()).containsOnly(1);
        assertThat(arrivals.keySet()).isEqualTo(accepted);
        for (JsonMessage m : received) {
            assertThat(holdsAnUnpairedSurrogate(m.fields())).as("accepted %s", m.fields()).isFalse();
        }
    }

    /** Whether any key or string in a decoded JSON value is not valid Unicode text. */
    private static boolean holdsAnUnpairedSurrogate(Object value) {
        if (value instanceof String text) {
            return JsonBodyParser.unpairedSurrogate(text) >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> holdsAnUnpairedSurrogate(e.getKey())
                    || holdsAnUnpairedSurrogate(e.getValue()));
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(IngressFuzzTest::holdsAnUnpairedSurrogate);
        }
        return false;
    }

    @Property(tries = 2000)
    void neverA5xxAndNothingAcceptedIsLost(@ForAll("requests") IngressRequest request) {
        IngressResponse response = ingress.handle(request);
        assertThat(response.status()).isIn(ALLOWED);
        assertThat(response.body()).startsWith("{").endsWith("}");
        if (response.status() == 202) {
            accepted.add(idOf(response));
        }
    }

    @Provide
    Arbitrary<IngressRequest> requests() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.just("POST")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("GET", "PUT", "DELETE", "post", "PATCH", "")));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("application/json; charset=utf-8", "application/vnd.x+json",
                        "Application/JSON", "application/json;charset=\"UTF-8\"", "application/json; charset=latin1")),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(40)));
        Arbitrary<byte[]> body = Arbitraries.oneOf(
                validOrders(), partialObjects(), nestedJson(), randomJsonText(), Arbitraries.bytes().array(byte[].class).ofMaxSize(6000),
                unicodeIn(Arbitraries.of(StandardCharsets.UTF_16, StandardCharsets.ISO_8859_1, StandardCharsets.UTF_8)),
                escapedUtf16());
        Arbitrary<Boolean> authorized = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(true)), net.jqwik.api.Tuple.of(2, Arbitraries.just(false)));
        return Combinators.combine(method, contentType, body, authorized).as(IngressFuzzTest::request);
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

    private static Arbitrary<byte[]> validOrders() {
        return Combinators.combine(Arbitraries.strings().ofMaxLength(30), Arbitraries.doubles().between(0, 1e9))
                .as((id, amount) -> ("{\"id\":" + quote(id) + ",\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** JSON objects with any subset of the schema's fields, of any JSON type, plus stray fields. */
    private static Arbitrary<byte[]> partialObjects() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(10).map(IngressFuzzTest::quote),
                Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[1,\"a\"]", "{\"x\":{}}",
                        "\"2026-01-31T12:00:00\"", "\"not a time\"", "12"));
        Arbitrary<String> field = Arbitraries.of("id", "amount", "event_time", "extra", "");
        return Combinators.combine(field, value).as((f, v) -> quote(f) + ":" + v).list().ofMaxSize(5)
                .map(fields -> ("{" + String.join(",", fields) + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<byte[]> nestedJson() {
        return Arbitraries.integers().between(1, 400).map(depth ->
                ("{\"id\":\"n\",\"amount\":1,\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<byte[]> randomJsonText() {
        return Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+ tfnrulasidmo\\u").ofMaxLength(200)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<byte[]> unicodeIn(Arbitrary<Charset> charsets) {
        return Combinators.combine(Arbitraries.strings().all().ofMaxLength(100), charsets)
                .as((text, charset) -> ("{\"id\":" + quote(text) + ",\"amount\":3}").getBytes(charset));
    }

    /** Valid orders whose id spells random UTF-16 units, surrogates included, as JSON escapes. */
    private static Arbitrary<byte[]> escapedUtf16() {
        Arbitrary<Character> unit = Arbitraries.oneOf(Arbitraries.chars().range('\uD800', '\uDFFF'),
                Arbitraries.chars().range('\u0020', '\u007E'), Arbitraries.chars().all());
        return unit.list().ofMaxSize(6).map(units -> {
            StringBuilder id = new StringBuilder();
            units.forEach(c -> id.append(String.format("\\u%04x", (int) c)));
            return ("{\"id\":\"" + id + "\",\"amount\":1}").getBytes(StandardCharsets.UTF_8);
        });
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
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
