package dev.portflow.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory held by another running process is refused at start, with its pid; free again once it exits. */
class DataDirectoryLockTest {

    @TempDir
    Path dataDir;

    @Test
    void aDirectoryHeldByAnotherProcessIsRefusedWithItsPid() throws Exception {
        Process other = holdInAnotherJvm();
        try {
            assertThatThrownBy(() -> DiskTransport.open(DiskSettings.of(dataDir)))
                    .isInstanceOf(DiskTransportException.class)
                    .hasMessage(
                            "data directory " + dataDir.toAbsolutePath()
                                    + " is in use by another running process (pid " + other.pid()
                                    + "): stop it, or give this one its own directory (data_dir: in the blueprint, --data-dir)");
        } finally {
            other.getOutputStream().close();
            if (!other.waitFor(10, TimeUnit.SECONDS)) {
                other.destroyForcibly();
            }
        }
        DiskTransport.open(DiskSettings.of(dataDir)).close();
    }

    @Test
    void aLockLeftByAKilledProcessDoesNotKeepTheDirectory() throws Exception {
        Process other = holdInAnotherJvm();
        other.destroyForcibly(); // kill -9: the .lock file stays, the OS lock goes with the process
        assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(dataDir.resolve(DiskTransport.LOCK_FILE)).exists();
        DiskTransport.open(DiskSettings.of(dataDir)).close();
    }

    /** A JVM of its own ({@link HoldDataDirectory}) holding the data directory, once it says so. */
    private Process holdInAnotherJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldDataDirectory.class.getName(),
                        dataDir.toString()))
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).startsWith("holding");
        return other;
    }
}
