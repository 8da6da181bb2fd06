package dev.portflow.port;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Checks messages against their Java type's Jakarta Bean Validation constraints (records included).
 * A type without constraints gets {@link #NONE}, which costs nothing per message.
 */
public abstract sealed class MessageValidator permits MessageValidator.None, MessageValidator.BeanValidation {

    /** Only the two kinds below. */
    private MessageValidator() {}

    /** Accepts everything. */
    @SuppressWarnings("ClassInitializationDeadlock") // None is private and only ever created here, so its
    // initialization always starts from this class's, on the thread already initializing it
    public static final MessageValidator NONE = new None();

    /** The validator for {@code type}: {@link #NONE} unless the type declares constraints. */
    public static MessageValidator forType(Class<?> type) {
        if (type == Object.class || type.isPrimitive() || type.getName().startsWith("java.")) {
            return NONE;
        }
        Validator validator = Factory.INSTANCE.getValidator();
        if (!validator.getConstraintsForClass(type).isBeanConstrained()) {
            return NONE;
        }
        return new BeanValidation(validator);
    }

    /** The violations of {@code message}; empty when it is valid. */
    public abstract List<SchemaViolation> validate(Object message);

    /** Whether this validator can ever reject a message. */
    public abstract boolean isActive();

    private static final class None extends MessageValidator {
        @Override
        public List<SchemaViolation> validate(Object message) {
            return List.of();
        }

        @Override
        public boolean isActive() {
            return false;
        }
    }

    static final class BeanValidation extends MessageValidator {
        private final Validator validator;

        BeanValidation(Validator validator) {
            this.validator = validator;
        }

        @Override
        public List<SchemaViolation> validate(Object message) {
            Set<ConstraintViolation<Object>> violations = validator.validate(message);
            if (violations.isEmpty()) {
                return List.of();
            }
            return violations.stream()
                    .map(v -> new SchemaViolation(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(SchemaViolation::field).thenComparing(SchemaViolation::message))
                    .toList();
        }

        @Override
        public boolean isActive() {
            return true;
        }
    }

    /** One factory per JVM: building it scans annotations and is far too slow to repeat. */
    private static final class Factory {
        static final ValidatorFactory INSTANCE = Validation.byProvider(HibernateValidator.class)
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
    }
}
