package dev.portflow.recipes;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between JSON values as Jackson reads them ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}) and CEL's runtime values.
 *
 * <p>To CEL: every integral number becomes a CEL {@code int} ({@code Long}; a {@code BigInteger}
 * beyond 64 bits becomes a {@code double}), every other number a CEL {@code double}, JSON null CEL
 * {@code null}. Back to JSON: {@code int}/{@code double}/{@code string}/{@code bool}/{@code null},
 * lists and maps as they are (map keys as text), {@code uint} as a number, {@code bytes} as base64
 * text, {@code timestamp} as ISO-8601 text and {@code duration} as seconds text ({@code "1.5s"}), as
 * in the protobuf JSON mapping.
 */
final class CelValues {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private CelValues() {
    }

    /** A JSON value as a CEL runtime value. */
    static Object toCel(Object value) {
        return switch (value) {
            case null -> NullValue.NULL_VALUE;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigInteger big -> big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0
                    ? (Object) big.longValue() : (Object) big.doubleValue();
            case BigDecimal dec -> dec.doubleValue();
            case Number n -> n.doubleValue();
            case Map<?, ?> map -> {
                Map<String, Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
                map.forEach((k, v) -> copy.put(String.valueOf(k), toCel(v)));
                yield copy;
            }
            case Collection<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                list.forEach(v -> copy.add(toCel(v)));
                yield copy;
            }
            default -> value.toString();
        };
    }

    /** A CEL result as a JSON value (what Jackson would have read). */
    static Object toJson(Object value) {
        return switch (value) {
            case null -> null;
            case NullValue n -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> d;
            case UnsignedLong u -> u.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) <= 0
                    ? (Object) u.longValue() : (Object) u.bigIntegerValue();
            case Number n -> n;
            case CelByteString bytes -> Base64.getEncoder().encodeToString(bytes.toByteArray());
            case Instant instant -> instant.toString();
            case Duration duration -> durationText(duration);
            case Map<?, ?> map -> {
                Map<String, Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
                map.forEach((k, v) -> copy.put(String.valueOf(toJson(k)), toJson(v)));
                yield copy;
            }
            case Collection<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                list.forEach(v -> copy.add(toJson(v)));
                yield copy;
            }
            default -> value.toString();
        };
    }

    private static String durationText(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + "s";
    }
}
