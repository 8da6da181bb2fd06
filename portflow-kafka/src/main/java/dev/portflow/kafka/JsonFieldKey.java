package dev.portflow.kafka;

import dev.portflow.json.StrictJson;
import dev.portflow.message.JsonMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record key read from one top-level field of a message that is a JSON object, so that records with
 * the same value there go to the same partition and keep their order (per-key order), whichever
 * process sends them. {@link MessageCodec#jsonMessages(String)} keys {@link JsonMessage}s with it; a
 * blueprint's {@code key:} on a Kafka connection does the same.
 *
 * <p>The key bytes: a string's characters as UTF-8 ({@code "c-42"} gives {@code c-42}); a number's or a
 * boolean's JSON text as the record's value has it ({@code 42}, {@code 4.5}, {@code true}). So
 * {@code 5} and {@code "5"} are one key, and {@code 5} and {@code 5.0} are two.
 *
 * <p>What the field is read from: a {@link JsonMessage}'s body; a {@link Map} or a {@link JsonNode} as
 * it is; any other object as Jackson renders it (a record's components, a bean's properties).
 *
 * <p><b>A message without a usable key is sent unkeyed</b> (a {@code null} key: the producer spreads such
 * records over the partitions): the field is missing, {@code null}, an object or an array, or the
 * message is not a JSON object. Such a record has no key whose order could be kept, which is what a
 * {@code null} key means in Kafka; failing its send instead would turn a field that is absent into a
 * message that cannot enter the pipeline at all (an ingress answering 503 to a request no retry can
 * fix, a generator that stops). It is not silent: the first such message is logged at WARNING with the
 * reason, then at most one warning a minute with the count ({@link #unkeyed()}). Where the blueprint
 * knows the message's shape (a JSON Schema on the connection's ports), validation refuses a key field
 * the schema does not have, so a misspelt field is found before anything runs.
 *
 * <p>Thread-safe: the senders of one edge may ask for keys from several threads.
 */
public final class JsonFieldKey {

    /** What a field name may be, in words, for messages that refuse one. */
    public static final String FIELD_NAME_RULE = "1 to 255 letters, digits, '_' and '-', starting with a letter or '_'";

    private static final System.Logger LOG = System.getLogger("dev.portflow.kafka");
    private static final Pattern FIELD_NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_-]{0,254}");
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final JsonMapper MAPPER = StrictJson.mapper();

    private final String field;
    private final String where;
    private final AtomicLong unkeyed = new AtomicLong();
    private final AtomicLong warnedAtCount = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();

    private JsonFieldKey(String field, String where) {
        this.field = field;
        this.where = where;
    }

    /**
     * The key read from top-level field {@code field}.
     *
     * @throws IllegalArgumentException if {@code field} is not a field name ({@link #FIELD_NAME_RULE})
     */
    public static JsonFieldKey of(String field) {
        return of(field, "Kafka records");
    }

    /**
     * The key read from top-level field {@code field}; {@code where} names the records in warnings
     * (e.g. {@code "kafka connection a.out_x -> b.in_x (topic orders)"}).
     *
     * @throws IllegalArgumentException if {@code field} is not a field name ({@link #FIELD_NAME_RULE})
     */
    public static JsonFieldKey of(String field, String where) {
        Objects.requireNonNull(where, "where");
        if (!isFieldName(field)) {
            throw new IllegalArgumentException("'" + field + "' is not a field name: " + FIELD_NAME_RULE);
        }
        return new JsonFieldKey(field, where);
    }

    /** Whether {@code name} is a field name a key can be read from ({@link #FIELD_NAME_RULE}). */
    public static boolean isFieldName(@Nullable String name) {
        return name != null && FIELD_NAME.matcher(name).matches();
    }

    /** The field the key is read from. */
    public String field() {
        return field;
    }

    /** Messages sent unkeyed so far because they had no usable value in the field. */
    public long unkeyed() {
        return unkeyed.get();
    }

    /**
     * The record key of {@code message}: its field's value as bytes (see the class comment), or
     * {@code null} when it has none that can be a key (counted, and logged at most once a minute).
     */
    public byte @Nullable [] keyOf(@Nullable Object message) {
        Object body = message instanceof JsonMessage json ? json.body() : message;
        Object value;
        if (body instanceof Map<?, ?> map) {
            if (!map.containsKey(field)) {
                return unkeyed(message, "has no field '" + field + "'");
            }
            value = map.get(field);
        } else if (body instanceof JsonNode node) {
            if (!node.isObject()) {
                return unkeyed(message, "is not a JSON object");
            }
            if (!node.has(field)) {
                return unkeyed(message, "has no field '" + field + "'");
            }
            value = node.get(field);
        } else if (body == null
                || body instanceof CharSequence
                || body instanceof Number
                || body instanceof Boolean
                || body instanceof Collection<?>
                || body.getClass().isArray()) {
            return unkeyed(message, "is not a JSON object");
        } else {
            return keyOf(MAPPER.valueToTree(body), message); // a record or bean: its JSON rendering
        }
        return keyOfValue(value, message);
    }

    /** {@link #keyOf(Object)} of a user object rendered as {@code tree}; warnings name {@code message}. */
    private byte @Nullable [] keyOf(JsonNode tree, @Nullable Object message) {
        if (!tree.isObject()) {
            return unkeyed(message, "is not a JSON object");
        }
        if (!tree.has(field)) {
            return unkeyed(message, "has no field '" + field + "'");
        }
        return keyOfValue(tree.get(field), message);
    }

    private byte @Nullable [] keyOfValue(@Nullable Object value, @Nullable Object message) {
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return MAPPER.writeValueAsBytes(value); // the JSON text the record's value has for it
        }
        JsonNode node = value == null || value instanceof JsonNode ? (JsonNode) value : MAPPER.valueToTree(value);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return unkeyed(message, "has null in '" + field + "'");
        }
        if (node.isString()) {
            return node.asString().getBytes(StandardCharsets.UTF_8);
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
        return unkeyed(message, "has an " + (node.isArray() ? "array" : "object") + " in '" + field + "'");
    }

    /** Counts an unkeyed message and warns about it at most once a minute; {@code null}, its key. */
    private byte @Nullable [] unkeyed(@Nullable Object message, String why) {
        long count = unkeyed.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        boolean first = count == 1;
        if ((first || now - last >= WARN_EVERY_NANOS) && lastWarning.compareAndSet(last, now)) {
            long before = warnedAtCount.getAndSet(count);
            String which = message instanceof JsonMessage json ? "message " + json.id() : "a message";
            LOG.log(
                    System.Logger.Level.WARNING,
                    where + " are keyed by field '" + field + "', but " + which + " " + why
                            + ": it is sent unkeyed (the producer spreads unkeyed records over the partitions;"
                            + " there is no key whose order to keep); "
                            + (first
                                    ? "the first such message"
                                    : (count - before) + " such messages since the last" + " warning, " + count
                                            + " in all"));
        }
        return null;
    }
}
