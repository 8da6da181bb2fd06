package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for the model's position maps. */
final class Positions {

    private Positions() {}

    static Map<String, Position> copy(Map<String, Position> positions) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(positions));
    }

    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
