package dev.portflow.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The records a remote receiver (a Kafka consumer, a disk log's reader) has given to a pipeline,
 * or skipped, in the order it read them, and which of them are done with: a record whose message
 * was given is done once the pipeline has completed that message ({@link CompletionWatermark}); a
 * skipped record (one that could not be decoded) is done once every record before it is. Only a
 * prefix is ever done, so the receiver can acknowledge (commit an offset, advance a position) in
 * read order and a restart re-reads exactly what was not done.
 *
 * <p>Not thread-safe: the receiver's thread uses it, as it polls the watermark.
 *
 * @param <R> what the receiver needs to acknowledge a record (an offset, a sequence number)
 */
public final class ReceivedRecords<R> {

    private record Received<R>(R record, boolean given) {}

    private final CompletionWatermark fed;
    private final long completedAtStart;
    private final ArrayDeque<Received<R>> pending = new ArrayDeque<>();
    private long givenRemoved; // given records already removed as done

    /**
     * Starts counting from now: messages the watermark completed before this call belong to an
     * earlier run.
     */
    public ReceivedRecords(CompletionWatermark fed) {
        this.fed = fed;
        this.completedAtStart = fed.completed();
    }

    /** A record whose message the pipeline accepted. */
    public void given(R record) {
        pending.add(new Received<>(record, true));
    }

    /** A record skipped (its message never reached the pipeline): done once those before it are. */
    public void skipped(R record) {
        pending.add(new Received<>(record, false));
    }

    /** The records done with now, oldest first; they stay here until {@link #removeDone(int)}. */
    public List<R> done() {
        long completed = fed.completed() - completedAtStart;
        long given = givenRemoved;
        List<R> done = new ArrayList<>();
        for (Received<R> r : pending) {
            if (r.given()) {
                if (given >= completed) {
                    break;
                }
                given++;
            }
            done.add(r.record());
        }
        return done;
    }

    /**
     * Forgets the first {@code count} records, once the receiver acknowledged them; {@code count}
     * is at most the size of the last {@link #done()}.
     */
    public void removeDone(int count) {
        for (int i = 0; i < count; i++) {
            if (pending.removeFirst().given()) {
                givenRemoved++;
            }
        }
    }

    /** The records not yet removed. */
    public int size() {
        return pending.size();
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * At the end of a run: calls {@code settle} (which acknowledges and removes what is done) until
     * nothing is pending, or {@code timeout} passes, or, after the pipeline refused a message
     * ({@code refused}), nothing got done for {@code stallAfterRefusal}: a refusal means the
     * receiving component is gone, so what it still holds will not finish and only what is still
     * finishing is waited for. Settles once more at the end. The records left are read again by
     * the next run.
     *
     * @return how many records were left pending
     */
    public int settleAll(Duration timeout, boolean refused, Duration stallAfterRefusal, Runnable settle)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long progressDeadline = System.nanoTime() + stallAfterRefusal.toNanos();
        while (!pending.isEmpty()
                && System.nanoTime() - deadline < 0
                && !(refused && System.nanoTime() - progressDeadline >= 0)) {
            int before = pending.size();
            settle.run();
            if (pending.size() < before) {
                progressDeadline = System.nanoTime() + stallAfterRefusal.toNanos();
            }
            if (!pending.isEmpty()) {
                Thread.sleep(20);
            }
        }
        settle.run();
        return pending.size();
    }
}
