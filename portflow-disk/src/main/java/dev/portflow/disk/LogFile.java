package dev.portflow.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One file of a log: positional reads and writes, force, truncate. */
interface LogFile extends Closeable {

    /** The file's size in bytes. */
    long size() throws IOException;

    /** Reads into {@code dst} from {@code position}; the bytes read, or -1 at the end of the file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}, over what is there (may have written a part when it throws). */
    void write(ByteBuffer src, long position) throws IOException;

    /** Makes every byte written so far durable (the file's size included). */
    void force() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;
}
