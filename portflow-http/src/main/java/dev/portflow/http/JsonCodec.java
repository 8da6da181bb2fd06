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

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(16 * 1024 * 1024)
                            .maxNumberLength(1000)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonCodec() {
    }
}
