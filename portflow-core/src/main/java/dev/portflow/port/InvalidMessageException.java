package dev.portflow.port;

import java.util.List;
import java.util.stream.Collectors;

/** A message failed its port's schema. Counted as error type {@code InvalidMessageException}. */
public final class InvalidMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<SchemaViolation> violations;

    public InvalidMessageException(List<SchemaViolation> violations) {
        super(violations.stream()
                .map(v -> (v.field().isEmpty() ? "" : v.field() + ": ") + v.message())
                .collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<SchemaViolation> violations() {
        return violations;
    }
}
