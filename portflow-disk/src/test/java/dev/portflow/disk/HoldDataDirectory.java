package dev.portflow.disk;

import java.nio.file.Path;

/** Holds a data directory in a JVM of its own until its stdin closes: the other process of the lock test. */
public final class HoldDataDirectory {

    private HoldDataDirectory() {}

    public static void main(String[] args) throws Exception {
        try (DiskTransport held = DiskTransport.open(DiskSettings.of(Path.of(args[0])))) {
            System.out.println("holding " + held.settings().dataDirectory());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our stdin
            }
        }
    }
}
