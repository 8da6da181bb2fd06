package dev.portflow.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The one Jackson configuration of Portflow: every module that reads or writes JSON (the ingress,
 * the metrics and dashboard endpoints, Kafka codecs, recipes, blueprints, the CLI's files) uses
 * {@link #mapper()} or a mapper built from {@link #builder()}, so a body is judged the same way
 * wherever it enters.
 *
 * <p>Strict where Jackson is lenient, so that an ambiguous or hostile document is refused instead
 * of being half-understood:
 *
 * <ul>
 *   <li>a duplicate key in an object is an error (Jackson would keep the last one);
 *   <li>data after the first value is an error ({@code {"a":1} {"b":2}} is not one document);
 *   <li>nesting deeper than {@value #MAX_NESTING_DEPTH} levels, a number longer than
 *       {@value #MAX_NUMBER_LENGTH} characters and a string longer than {@value #MAX_STRING_LENGTH}
 *       characters are errors (each would cost time or memory out of proportion);
 *   <li>writing a non-finite {@code double} or {@code float} (Infinity, NaN) is an error naming the
 *       field, instead of Jackson's {@code "NaN"} string, which would change the value's type.
 * </ul>
 */
public final class StrictJson {

    /** Deeper nesting than this is refused (Jackson's parser would otherwise recurse on it). */
    public static final int MAX_NESTING_DEPTH = 200;
    /** Longer numbers are refused (parsing huge numbers is slow). */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Far above any body the ingress reads (it bounds bodies itself); a bound for everything else. */
    public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

    private static final JsonMapper MAPPER = builder().build();

    private StrictJson() {}

    /** The shared strict mapper (immutable and thread-safe, as every Jackson 3 mapper). */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * A builder with the strict configuration, for a module that needs one more setting on top (the
     * dashboard's snake_case property names); {@link #mapper()} otherwise.
     */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxNestingDepth(MAX_NESTING_DEPTH)
                                .maxNumberLength(MAX_NUMBER_LENGTH)
                                .maxStringLength(MAX_STRING_LENGTH)
                                .build())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(new SimpleModule("portflow-finite-numbers")
                        .addSerializer(Double.class, FiniteNumberSerializer.INSTANCE)
                        .addSerializer(double.class, FiniteNumberSerializer.INSTANCE)
                        .addSerializer(Float.class, FiniteNumberSerializer.INSTANCE)
                        .addSerializer(float.class, FiniteNumberSerializer.INSTANCE));
    }
}
