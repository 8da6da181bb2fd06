package dev.portflow.recipes;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.api.Trigger;

/** An H2 row trigger that counts how many writes run inside the database at once (and lingers a little in each). */
public final class ConcurrentWritesTrigger implements Trigger {

    static final AtomicInteger NOW = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
        int n = NOW.incrementAndGet();
        MOST.accumulateAndGet(n, Math::max);
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            NOW.decrementAndGet();
        }
    }
}
