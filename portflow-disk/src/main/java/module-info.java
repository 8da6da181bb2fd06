/**
 * Disk-bound connections: a connection whose buffer is an fsynced, segmented log in a local data
 * directory, measured with the same port metrics as an in-memory one ({@link dev.portflow.disk.DiskTransport}
 * makes the sending end, a {@link dev.portflow.port.RemoteLink}, and the receiving end, a
 * {@link dev.portflow.disk.DiskReceiver}). It exports its one package; the log, its file layer and the
 * sending link are package-private.
 */
module dev.portflow.disk {
    // DiskReceiver is a Source; RemoteLink, RemoteBuffer, Pipeline, JsonMessage and @Nullable in the API
    requires transitive dev.portflow.core;
    requires transitive org.jspecify;
    requires dev.portflow.json;
    requires tools.jackson.databind;
    requires tools.jackson.core;

    exports dev.portflow.disk;
}
