package dev.portflow.blueprint.validate;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code data_dir}, where the process keeps the logs of its {@code transport: disk} connections:
 * a directory's path (relative ones are resolved against the working directory when assembled).
 */
final class DataDirectory {

    private DataDirectory() {}

    /** {@code data_dir}, when written, is a path that is not blank. */
    @SuppressWarnings("ReturnValueIgnored") // Path.of: only whether the text is a path
    static void check(ValidationState state) {
        String dir = state.blueprint.dataDir();
        if (dir == null) {
            return; // left out, or not a string (a problem of the parser)
        }
        if (dir.isBlank()) {
            state.problem(
                    state.blueprint.position("data_dir"),
                    "data_dir must not be blank",
                    "the directory of the logs of transport: disk connections, e.g. data_dir: ./portflow-data/"
                            + (state.blueprint.name() != null ? state.blueprint.name() : "<pipeline>")
                            + "; leave it out for portflow-data/<pipeline>");
            return;
        }
        try {
            Path.of(dir);
        } catch (InvalidPathException e) {
            state.problem(
                    state.blueprint.position("data_dir"),
                    "data_dir '" + dir + "' is not a path: " + e.getReason(),
                    "the directory of the logs of transport: disk connections, e.g. data_dir: ./portflow-data/"
                            + (state.blueprint.name() != null ? state.blueprint.name() : "<pipeline>"));
        }
    }
}
