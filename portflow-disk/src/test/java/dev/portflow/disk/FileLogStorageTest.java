package dev.portflow.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogStorageTest {

    @TempDir
    Path dir;

    @Test
    void anInterruptDuringAnOperationClosesNothingForGood() throws Exception {
        FileLogStorage storage = new FileLogStorage(dir);
        try (LogFile file = storage.open("a.log", true)) {
            file.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), 0);
            Thread.currentThread().interrupt(); // as a drain does to a source's thread
            ByteBuffer read = ByteBuffer.allocate(5);
            assertThat(file.read(read, 0)).isEqualTo(5);
            assertThat(Thread.interrupted())
                    .as("the interrupt is kept for the caller")
                    .isTrue();
            assertThat(new String(read.array(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            Thread.currentThread().interrupt();
            file.write(ByteBuffer.wrap(" world".getBytes(StandardCharsets.US_ASCII)), 5);
            file.force();
            assertThat(Thread.interrupted()).isTrue();
            assertThat(file.size()).isEqualTo(11);
        }
    }

    @Test
    void aLogOnRealFilesComesBackAfterAReopen() throws Exception {
        DiskLog.Limits limits = new DiskLog.Limits(1000, 1 << 20, 4096, 0, TimeUnit.MILLISECONDS.toNanos(1));
        try (DiskLog log = DiskLog.open(new FileLogStorage(dir), limits)) {
            for (int i = 0; i < 200; i++) {
                assertThat(log.append(("record-" + i).getBytes(StandardCharsets.UTF_8), i, i))
                        .isEqualTo(DiskLog.Append.ACCEPTED);
            }
            var frames = DiskLogTest.readAll(log.cursor());
            log.release(100);
            log.commit(frames.get(99).seq() + 1);
        }
        try (DiskLog log = DiskLog.open(new FileLogStorage(dir), limits)) {
            assertThat(log.recordsRecovered()).isEqualTo(100);
            var frames = DiskLogTest.readAll(log.cursor());
            assertThat(frames).extracting(DiskLogTest::text).first().isEqualTo("record-100");
            assertThat(frames).hasSize(100);
            assertThat(frames.getFirst().originEpochNanos()).isEqualTo(100);
        }
    }
}
