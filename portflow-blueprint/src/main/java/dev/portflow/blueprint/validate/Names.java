package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.Endpoint;
import java.util.regex.Pattern;

/**
 * Naming rules.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint.assemble}, which names
 * the Kafka receivers with {@link #receiverName} and the disk receivers with {@link #diskReceiverName}.
 */
public final class Names {

    /** Pipeline and component names (the runtime's rule). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private Names() {}

    /** The component that reads a Kafka connection into {@code to.port} in the receiving process. */
    public static String receiverName(Endpoint to) {
        return "kafka_in_" + to.component() + "_" + to.port();
    }

    /** The component that reads a disk connection's log into {@code to.port}. */
    public static String diskReceiverName(Endpoint to) {
        return "disk_in_" + to.component() + "_" + to.port();
    }
}
