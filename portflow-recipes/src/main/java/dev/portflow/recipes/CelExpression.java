package dev.portflow.recipes;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelUnknownSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A CEL expression over a JSON message, compiled once and evaluated per message.
 *
 * <p>Variables: every top-level field of the message is a variable of type {@code dyn} (so
 * {@code amount > 100} reads the field {@code amount}), and {@code message} is the whole body (for
 * fields whose names are not CEL identifiers, {@code message["event-type"]}, and for presence
 * tests, {@code has(message.discount)}). A field named {@code message} is reachable only as
 * {@code message.message}. The identifiers an expression uses are found when it is compiled and
 * declared as {@code dyn}, so the type checker still rejects unknown functions and malformed
 * expressions at configuration time.
 *
 * <p>Numbers: a JSON integer is a CEL {@code int}, any other number a {@code double}. Comparisons
 * across the two work ({@code amount > 100} is true for 150 and for 150.5; {@code 2 == 2.0});
 * arithmetic does not mix them in CEL ({@code amount * 2} fails for 150.5: write
 * {@code double(amount) * 2.0}). A number CEL cannot hold unchanged fails the message with a
 * clear reason instead of being rounded or turned into text: an integer beyond 64 bits read by the
 * expression, a number beyond the range of a double ({@code 1e400}), and a result that is Infinity
 * or NaN ({@code 1.0 / 0.0}), which JSON cannot hold.
 *
 * <p>Safety: CEL has no loops beyond bounded comprehensions over the data, no I/O and no access to
 * Java; each comprehension is limited to {@value #MAX_COMPREHENSION_ITERATIONS} iterations. An
 * instance is immutable and thread-safe: CEL-Java's {@code CelRuntime.Program} is immutable and
 * gives each evaluation its own frame, and the variables are bound per call, so any number of
 * workers may evaluate one expression at once.
 */
public final class CelExpression {

    /** Upper bound on the iterations of one comprehension ({@code all}, {@code map}, ...). */
    public static final int MAX_COMPREHENSION_ITERATIONS = 100_000;

    /** The variable bound to the whole message body. */
    public static final String MESSAGE_VARIABLE = "message";

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
            .build();

    private static final CelCompiler PARSER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setOptions(OPTIONS)
            .build();

    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.legacyCelRuntimeBuilder().setOptions(OPTIONS).build();

    /** What a compiled expression must be able to produce. */
    enum Expect {
        ANY("a value"),
        BOOL("a boolean (true/false)"),
        LIST("a list");

        private final String description;

        Expect(String description) {
            this.description = description;
        }
    }

    private final String key;
    private final String source;
    private final CelRuntime.Program program;
    private final String[] fieldVariables; // identifiers bound from top-level fields
    private final Set<String> localVariables; // comprehension variables: never fields
    private final boolean usesMessage;

    private CelExpression(
            String key,
            String source,
            CelRuntime.Program program,
            String[] fieldVariables,
            Set<String> localVariables,
            boolean usesMessage) {
        this.key = key;
        this.source = source;
        this.program = program;
        this.fieldVariables = fieldVariables;
        this.localVariables = localVariables;
        this.usesMessage = usesMessage;
    }

    /**
     * Compiles {@code source}.
     *
     * @param key    the configuration key it came from, used in error messages (e.g. {@code condition})
     * @param source the CEL expression
     * @throws IllegalArgumentException naming the key, the expression and CEL's diagnostics
     */
    public static CelExpression compile(String key, @Nullable String source) {
        return compile(key, source, Expect.ANY);
    }

    /** Compiles an expression that must produce a boolean (a {@code filter} condition, a route). */
    public static CelExpression compileCondition(String key, @Nullable String source) {
        return compile(key, source, Expect.BOOL);
    }

    static CelExpression compile(String key, @Nullable String source, Expect expect) {
        Objects.requireNonNull(key, "key");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must be a CEL expression producing " + expect.description
                    + ", but it is " + (source == null ? "missing" : "empty"));
        }
        CelValidationResult parsed = PARSER.parse(source, key);
        if (parsed.hasError()) {
            throw invalid(key, source, parsed.getErrorString());
        }
        CelAbstractSyntaxTree parsedAst;
        try {
            parsedAst = parsed.getAst();
        } catch (CelValidationException e) {
            throw invalid(key, source, e.getMessage());
        }
        Set<String> identifiers = new TreeSet<>();
        Set<String> locals = new TreeSet<>();
        CelNavigableAst.fromAst(parsedAst).getRoot().allNodes().forEach(node -> {
            CelExpr expr = node.expr();
            if (node.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                identifiers.add(expr.ident().name());
            } else if (node.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
                CelExpr.CelComprehension c = expr.comprehension();
                locals.add(c.iterVar());
                locals.add(c.iterVar2());
                locals.add(c.accuVar());
            }
        });
        locals.remove("");
        CelCompilerBuilder checker = PARSER.toCompilerBuilder().addVar(MESSAGE_VARIABLE, SimpleType.DYN);
        List<String> fields = new ArrayList<>();
        for (String id : identifiers) {
            if (id.equals(MESSAGE_VARIABLE) || id.startsWith("@")) {
                continue;
            }
            checker.addVar(id, SimpleType.DYN);
            fields.add(id);
        }
        CelValidationResult checked = checker.build().check(parsedAst);
        if (checked.hasError()) {
            throw invalid(key, source, checked.getErrorString());
        }
        try {
            CelAbstractSyntaxTree ast = checked.getAst();
            requireType(key, source, ast.getResultType(), expect);
            CelRuntime.Program program = RUNTIME.createProgram(ast);
            return new CelExpression(
                    key,
                    source,
                    program,
                    fields.toArray(String[]::new),
                    Set.copyOf(locals),
                    identifiers.contains(MESSAGE_VARIABLE));
        } catch (CelValidationException | dev.cel.runtime.CelEvaluationException e) {
            throw invalid(key, source, e.getMessage());
        }
    }

    private static void requireType(String key, String source, CelType type, Expect expect) {
        CelKind kind = type.kind();
        if (expect == Expect.ANY || kind == CelKind.DYN || kind == CelKind.ANY) {
            return;
        }
        boolean ok = switch (expect) {
            case BOOL -> kind == CelKind.BOOL;
            case LIST -> kind == CelKind.LIST;
            case ANY -> true;
        };
        if (!ok) {
            throw new IllegalArgumentException("'" + key + "' must be a CEL expression producing " + expect.description
                    + ", but \"" + source + "\" produces " + type.name());
        }
    }

    private static IllegalArgumentException invalid(String key, String source, @Nullable String diagnostics) {
        return new IllegalArgumentException(
                "'" + key + "' is not a valid CEL expression: \"" + source + "\"\n" + diagnostics);
    }

    /** The configuration key this expression came from. */
    public String key() {
        return key;
    }

    /** The expression's text. */
    public String source() {
        return source;
    }

    /** The top-level message fields the expression may read as variables (besides {@code message}). */
    public Set<String> fieldVariables() {
        return Set.of(fieldVariables);
    }

    /**
     * Whether the result depends on the message: the expression reads a field or {@code message}
     * (comprehension variables do not count).
     */
    boolean readsTheMessage() {
        if (usesMessage) {
            return true;
        }
        for (String field : fieldVariables) {
            if (!localVariables.contains(field)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates the expression against a message body.
     *
     * @param body a JSON value as Jackson reads it; its fields are variables when it is an object
     * @return the result as a JSON value ({@code Map}, {@code List}, {@code String}, {@code Long},
     *     {@code Double}, {@code Boolean} or {@code null})
     * @throws ExpressionException when evaluation fails, reads a field the message does not have or a
     *     number CEL cannot hold, or produces a number JSON cannot hold (Infinity, NaN)
     */
    public @Nullable Object evaluate(@Nullable Object body) {
        return evaluateField(body, "");
    }

    /**
     * Evaluates the expression for the output field {@code field}: as {@link #evaluate(Object)}, with
     * the field's name in the message when the result cannot be JSON (e.g. {@code field 'ratio' is
     * Infinity, which JSON cannot hold}).
     */
    @Nullable
    Object evaluateField(@Nullable Object body, String field) {
        Object result = evaluateRaw(body);
        try {
            return CelValues.toJson(result);
        } catch (CelValues.Unrepresentable e) {
            throw new ExpressionException(context() + e.describe(field));
        }
    }

    /**
     * Evaluates a condition.
     *
     * @throws ExpressionException when evaluation fails or the result is not a boolean
     */
    public boolean test(@Nullable Object body) {
        Object result = evaluateRaw(body);
        if (result instanceof Boolean b) {
            return b;
        }
        throw new ExpressionException(
                "'" + key + "' (" + source + ") must produce a boolean, but produced " + describe(result));
    }

    /** Evaluates an expression that must produce a list; the elements as JSON values. */
    List<Object> evaluateList(@Nullable Object body) {
        Object result = evaluateRaw(body);
        if (result instanceof List<?> list) {
            List<Object> json = new ArrayList<>(list.size());
            for (Object element : list) {
                try {
                    json.add(CelValues.toJson(element));
                } catch (CelValues.Unrepresentable e) {
                    throw new ExpressionException(context() + "element " + json.size() + ": " + e.describe(""));
                }
            }
            return json;
        }
        throw new ExpressionException(
                "'" + key + "' (" + source + ") must produce a list, but produced " + describe(result));
    }

    private Object evaluateRaw(@Nullable Object body) {
        Map<?, ?> fields = body instanceof Map<?, ?> map ? map : Map.of();
        Map<String, Object> variables = new HashMap<>();
        for (String name : fieldVariables) {
            if (fields.containsKey(name)) {
                try {
                    variables.put(name, CelValues.toCel(fields.get(name)));
                } catch (CelValues.Unrepresentable e) {
                    throw new ExpressionException(context() + e.describe(name));
                }
            }
        }
        if (usesMessage) {
            try {
                variables.put(MESSAGE_VARIABLE, CelValues.toCel(body));
            } catch (CelValues.Unrepresentable e) {
                // The whole body is converted, so a value the expression never reads can fail it too.
                throw new ExpressionException(context() + e.describe(""));
            }
        }
        Object result;
        try {
            result = program.eval(variables);
        } catch (CelEvaluationException e) {
            throw new ExpressionException("'" + key + "' (" + source + ") failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ExpressionException("'" + key + "' (" + source + ") failed: " + e, e);
        }
        if (result instanceof CelUnknownSet) {
            List<String> missing = new ArrayList<>();
            for (String name : fieldVariables) {
                if (!fields.containsKey(name) && !localVariables.contains(name)) {
                    missing.add(name);
                }
            }
            throw new ExpressionException("'" + key + "' (" + source + ") reads "
                    + (missing.size() == 1
                            ? "field '" + missing.get(0) + "', which the message does not have"
                            : "fields " + missing + ", which the message does not have")
                    + "; test for it with has(message." + (missing.isEmpty() ? "<field>" : missing.get(0)) + ")");
        }
        return result;
    }

    /** {@code 'condition' (amount > 100): }, the start of an evaluation error's message. */
    private String context() {
        return "'" + key + "' (" + source + "): ";
    }

    private static String describe(Object celValue) {
        Object json;
        try {
            json = CelValues.toJson(celValue);
        } catch (CelValues.Unrepresentable e) {
            json = celValue; // Infinity or NaN: its own text says it
        }
        return json == null ? "null" : json.getClass().getSimpleName() + " " + json;
    }

    @Override
    public String toString() {
        return key + ": " + source;
    }
}
