package dev.portflow.recipes;

import dev.portflow.message.JsonMessage;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The key a component's messages are ordered by: a blueprint's {@code ordering: key} with
 * {@code key: <expression>}, given to {@code PipelineBuilder.orderedByKey}. Messages with the same
 * key are handled one at a time, in the order they arrived.
 *
 * <p>The key is a CEL expression with the recipes' convention (see {@link CelExpression}): each
 * top-level field of the message is a variable and {@code message} is the whole body. So a plain
 * field name is that field ({@code key: customer_id}), and anything else is an expression
 * ({@code key: customer.id}, {@code key: message["customer-id"]}, {@code key: region + "/" + customer_id}).
 * A plain field name is read directly, without evaluating CEL, to the same value CEL would give.
 *
 * <p>What the key is read from: a {@link JsonMessage}'s body; a {@link Map} as it is; any other
 * object as Jackson renders it as JSON (a record's components, a bean's properties), so for a user
 * class's own message types a field name is the record component or property of that name
 * ({@code key: customerId}).
 *
 * <p>Keys are JSON values and compare with {@code equals}: integers are {@code Long}s (a field read
 * as an {@code Integer} and one read as a {@code Long} are one key), other numbers {@code Double}s,
 * so {@code 5} and {@code 5.0} are different keys, and so are {@code 5} and {@code "5"}.
 *
 * <p>A message whose key cannot be read (the field is missing, the expression fails on it, a number
 * CEL cannot hold) gets the key {@code null}: no message fails because of its key, and such messages
 * are ordered among themselves. The first one is logged at WARNING, once per key.
 *
 * <p>Thread-safe: the runtime may ask for keys from several threads.
 */
public final class MessageKey implements Function<Object, Object> {

    private static final System.Logger LOG = System.getLogger(MessageKey.class.getName());

    private final CelExpression expression;
    /** The field a plain field name reads directly, or {@code null} to evaluate the expression. */
    private final @Nullable String field;

    private final @Nullable String owner;
    private final AtomicBoolean warned = new AtomicBoolean();

    private MessageKey(CelExpression expression, @Nullable String field, @Nullable String owner) {
        this.expression = expression;
        this.field = field;
        this.owner = owner;
    }

    /**
     * Compiles a key.
     *
     * @param expression a top-level field name or a CEL expression over the message
     * @throws IllegalArgumentException when it is not a valid CEL expression (with CEL's diagnostics),
     *     or reads nothing of the message (every message would have the same key: one at a time)
     */
    public static MessageKey of(String expression) {
        return of(expression, null);
    }

    /**
     * Compiles the key of component {@code component} (named when a key cannot be read); see
     * {@link #of(String)}.
     */
    public static MessageKey of(String expression, @Nullable String component) {
        CelExpression compiled = CelExpression.compile("key", expression);
        if (!compiled.readsTheMessage()) {
            throw new IllegalArgumentException("'key' \"" + expression + "\" reads nothing of the message, so every"
                    + " message would have the same key and they would be handled one at a time; name a field"
                    + " (customer_id) or an expression over the message (customer.id)");
        }
        Set<String> fields = compiled.fieldVariables();
        String trimmed = expression.strip();
        String field = fields.size() == 1 && fields.contains(trimmed) ? trimmed : null;
        return new MessageKey(compiled, field, component);
    }

    /** The key as written. */
    public String expression() {
        return expression.source();
    }

    /** The key of {@code message}, or {@code null} when it cannot be read (see the class comment). */
    @Override
    public @Nullable Object apply(@Nullable Object message) {
        Object body = bodyOf(message);
        if (field == null) {
            try {
                return expression.evaluate(body);
            } catch (ExpressionException e) {
                return unreadable(e.getMessage());
            }
        }
        if (!(body instanceof Map<?, ?> fields) || !fields.containsKey(field)) {
            return unreadable("the message has no field '" + field + "'");
        }
        try {
            // through CEL's values and back, so the key is what the expression would give (an Integer becomes a Long)
            return CelValues.toJson(CelValues.toCel(fields.get(field)));
        } catch (CelValues.Unrepresentable e) {
            return unreadable(e.describe(field));
        }
    }

    private static @Nullable Object bodyOf(@Nullable Object message) {
        return switch (message) {
            case null -> null;
            case JsonMessage json -> json.body();
            case Map<?, ?> map -> map;
            default -> Json.MAPPER.convertValue(message, Object.class);
        };
    }

    private @Nullable Object unreadable(@Nullable String reason) {
        if (warned.compareAndSet(false, true)) {
            LOG.log(
                    Level.WARNING,
                    (owner == null ? "" : "component '" + owner + "': ") + "key (" + expression.source()
                            + ") cannot be read from a message, so it counts under the key null (such messages are handled"
                            + " one at a time, in order): " + reason + "; later messages like it are not logged");
        }
        return null;
    }

    @Override
    public String toString() {
        return "key " + expression.source();
    }
}
