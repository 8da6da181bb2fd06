package dev.portflow.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link LogStorage} on a real directory with {@link FileChannel}s. {@link LogFile#force()} is
 * {@code fdatasync} ({@code force(false)}): it writes the data and the metadata needed to read it
 * back (the file's size), not the modification time. The directory is synced by forcing a channel
 * opened on it, which Linux (and the JDK on it) supports.
 */
final class FileLogStorage implements LogStorage {

    private final Path directory;

    FileLogStorage(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    @Override
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Override
    public LogFile open(String name, boolean create) throws IOException {
        return new ChannelFile(directory.resolve(name), create);
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(directory.resolve(name));
    }

    @Override
    public void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * A file of the directory. A {@link FileChannel} is closed when a thread is interrupted during
     * an operation on it ({@link ClosedByInterruptException}); a pipeline's drain interrupts its
     * sources once to wake them, and the receiving side reads and commits on a source's thread. So
     * an operation that meets that closes nothing for good: the file is opened again, the
     * operation is retried without the interrupt, and the interrupt is set again for the caller to
     * see. Each handle has one user (the writer, the reader, the position), so the reopening never
     * pulls a channel from under another thread.
     */
    private static final class ChannelFile implements LogFile {
        private final Path path;
        private FileChannel channel;
        private boolean closed;

        ChannelFile(Path path, boolean create) throws IOException {
            this.path = path;
            this.channel = create
                    ? FileChannel.open(
                            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        /** One operation on the channel. */
        private interface Operation<R> {
            R on(FileChannel channel) throws IOException;
        }

        private synchronized <R> R io(Operation<R> operation) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            try {
                return operation.on(channel);
            } catch (ClosedByInterruptException e) {
                Thread.interrupted(); // cleared for the retry, set again below
                try {
                    channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    return operation.on(channel);
                } finally {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public long size() throws IOException {
            return io(FileChannel::size);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return io(c -> c.read(dst, position));
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            long at = position;
            while (src.hasRemaining()) {
                long from = at;
                at += io(c -> c.write(src, from));
            }
        }

        @Override
        public void force() throws IOException {
            io(c -> {
                c.force(false);
                return Boolean.TRUE;
            });
        }

        @Override
        public void truncate(long size) throws IOException {
            io(c -> c.truncate(size));
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            channel.close();
        }
    }
}
