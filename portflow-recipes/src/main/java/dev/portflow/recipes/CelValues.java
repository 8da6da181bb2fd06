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
import org.jspecify.annotations.Nullable;

/**
 * Converts between JSON values as Jackson reads them ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}) and CEL's runtime values.
 *
 * <p>To CEL: every integral number becomes a CEL {@code int} ({@code Long}), every other number a
 * CEL {@code double}, JSON null CEL {@code null}. A number CEL cannot hold faithfully is refused
 * ({@link Unrepresentable}) instead of being changed: an integer beyond 64 bits (rounding it to a
 * double would change it, and CEL has no wider integer), a number beyond the range of a double
 * (a parser reads {@code 1e400} as Infinity), NaN.
 *
 * <p>Back to JSON: {@code int}/{@code double}/{@code string}/{@code bool}/{@code null}, lists and
 * maps as they are (map keys as text), {@code uint} as a number, {@code bytes} as base64 text,
 * {@code timestamp} as ISO-8601 text and {@code duration} as seconds text ({@code "1.5s"}), as in the
 * protobuf JSON mapping. A double that is Infinity or NaN ({@code 1.0 / 0.0}) is refused: JSON
 * cannot hold it.
 */
final class CelValues {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private CelValues() {}

    /**
     * A value that cannot cross between JSON and CEL unchanged. It records where it was found as it
     * propagates out of the nested maps and lists ({@link #path()}), so the message can name the
     * field; no stack trace, as it is an expected outcome for some messages.
     */
    static final class Unrepresentable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final String value;
        private final String reason;
        private String path = ""; // e.g. "a.b[2]", built from the inside out

        Unrepresentable(String value, String reason) {
            super(null, null, false, false);
            this.value = value;
            this.reason = reason;
        }

        /** Where the value sits below the converted value ({@code ""}: the value itself). */
        String path() {
            return path;
        }

        Unrepresentable inKey(Object key) {
            path = path.isEmpty() || path.startsWith("[") ? key + path : key + "." + path;
            return this;
        }

        Unrepresentable inIndex(int index) {
            path = "[" + index + "]" + (path.isEmpty() || path.startsWith("[") ? "" : ".") + path;
            return this;
        }

        /**
         * The problem in words, e.g. {@code field 'ratio.parts[1]' is Infinity, which JSON cannot hold}.
         *
         * @param root the field name of the converted value ({@code "ratio"}), or {@code ""} when the path
         *             alone names it (the converted value was the whole body)
         */
        String describe(String root) {
            String full = root.isEmpty()
                    ? path
                    : path.isEmpty() ? root : path.startsWith("[") ? root + path : root + "." + path;
            return (full.isEmpty() ? "the value" : "field '" + full + "'") + " is " + value + reason;
        }

        @Override
        public String getMessage() {
            return describe("");
        }
    }

    /**
     * A JSON value as a CEL runtime value.
     *
     * @throws Unrepresentable for a number CEL cannot hold unchanged
     */
    static Object toCel(@Nullable Object value) {
        return switch (value) {
            case null -> NullValue.NULL_VALUE;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> finiteInput(d, d.toString());
            case Float f -> finiteInput(f.doubleValue(), f.toString());
            case BigInteger big -> {
                if (big.compareTo(LONG_MIN) < 0 || big.compareTo(LONG_MAX) > 0) {
                    throw new Unrepresentable(
                            big.toString(), ": integers beyond 64 bits are not supported by CEL expressions");
                }
                yield big.longValue();
            }
            case BigDecimal dec -> finiteInput(dec.doubleValue(), dec.toString());
            case Number n -> finiteInput(n.doubleValue(), n.toString());
            case Map<?, ?> map -> {
                Map<String, Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
                map.forEach((k, v) -> {
                    try {
                        copy.put(String.valueOf(k), toCel(v));
                    } catch (Unrepresentable e) {
                        throw e.inKey(k);
                    }
                });
                yield copy;
            }
            case Collection<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                for (Object v : list) {
                    try {
                        copy.add(toCel(v));
                    } catch (Unrepresentable e) {
                        throw e.inIndex(copy.size());
                    }
                }
                yield copy;
            }
            default -> value.toString();
        };
    }

    private static double finiteInput(double d, String text) {
        if (Double.isNaN(d)) {
            throw new Unrepresentable(text, ", which JSON cannot hold");
        }
        if (Double.isInfinite(d)) {
            // A JSON number such as 1e400 is read as Infinity by Jackson, or overflows here from a BigDecimal.
            throw new Unrepresentable(text, ", beyond the range of a double");
        }
        return d;
    }

    /**
     * A CEL result as a JSON value (what Jackson would have read).
     *
     * @throws Unrepresentable for a double that is Infinity or NaN, anywhere in the result
     */
    static @Nullable Object toJson(@Nullable Object value) {
        return switch (value) {
            case null -> null;
            case NullValue n -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> {
                if (!Double.isFinite(d)) {
                    throw new Unrepresentable(d.toString(), ", which JSON cannot hold");
                }
                yield d;
            }
            case UnsignedLong u ->
                u.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) <= 0
                        ? (Object) u.longValue()
                        : (Object) u.bigIntegerValue();
            case Number n -> n;
            case CelByteString bytes -> Base64.getEncoder().encodeToString(bytes.toByteArray());
            case Instant instant -> instant.toString();
            case Duration duration -> durationText(duration);
            case Map<?, ?> map -> {
                Map<String, Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
                map.forEach((k, v) -> {
                    String key = String.valueOf(toJson(k));
                    try {
                        copy.put(key, toJson(v));
                    } catch (Unrepresentable e) {
                        throw e.inKey(key);
                    }
                });
                yield copy;
            }
            case Collection<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                for (Object v : list) {
                    try {
                        copy.add(toJson(v));
                    } catch (Unrepresentable e) {
                        throw e.inIndex(copy.size());
                    }
                }
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
