package dev.portflow.disk;

import java.io.IOException;
import java.util.List;

/**
 * The directory one connection's log lives in, as the log uses it: files to create, list and
 * delete. It is the seam for the tests' simulated power loss and faults; {@link FileLogStorage} is
 * the real one.
 *
 * <p>Durability rules the log relies on (and the simulation enforces): file data survives a power
 * loss only once {@link LogFile#force() forced}; a created or deleted name only once
 * {@link #syncDirectory() the directory is synced}.
 */
interface LogStorage {

    /** Where the files are, for people. */
    String describe();

    /** The names of the files in the directory. */
    List<String> list() throws IOException;

    /** Opens {@code name} for reading and writing, creating it (empty) if {@code create}. */
    LogFile open(String name, boolean create) throws IOException;

    /** Deletes {@code name} if it exists (durable after {@link #syncDirectory()}). */
    void delete(String name) throws IOException;

    /** Makes the directory's entries (creations, deletions, renames) durable. */
    void syncDirectory() throws IOException;
}
