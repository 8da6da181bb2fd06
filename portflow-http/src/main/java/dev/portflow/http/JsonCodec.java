package dev.portflow.http;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration of the HTTP module: strict about input (duplicate keys and trailing
 * data are errors, nesting and sizes are bounded), so ambiguous or hostile bodies are refused
 * with a 400 instead of being half-understood.
 */
final class JsonCodec {

    /** Deeper nesting than this is refused (Jackson's parser would otherwise recurse on it). */
    static final int MAX_NESTING_DEPTH = 200;
    /** Longer numbers are refused (parsing huge numbers is slow). */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Far above any body the ingress reads; a bound for JSON parsed elsewhere (schemas). */
    static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonCodec() {}
}
