package dev.portflow.runtime;

import dev.portflow.component.Component;
import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;

/** The role of a component, which fixes the ports it may have. */
public enum ComponentKind {
    /** No inputs; one or more {@code out_*} ports. */
    SOURCE,
    /** One {@code in_*} port, one {@code out_*} port. */
    TRANSFORMER,
    /** One {@code in_*} port, no {@code out_*} port. */
    SINK,
    /** One {@code in_*} port, one or more {@code out_*} ports. */
    ROUTER,
    /** One or more {@code in_*} ports, one {@code out_*} port. */
    MERGER;

    static ComponentKind of(Component component) {
        return switch (component) {
            case Source<?> s -> SOURCE;
            case Transformer<?, ?> t -> TRANSFORMER;
            case Sink<?> s -> SINK;
            case Router<?> r -> ROUTER;
            case Merger<?> m -> MERGER;
        };
    }
}
