package dev.portflow.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Field layout of BoundedChannel. The producer index (tail), the producers' cached copy of head and
 * the receiver index (head) each sit on their own cache lines, padded by the inherited long fields
 * (the JVM lays out superclass fields first), so producers and the receiver do not false-share.
 */

abstract class ChannelPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class ChannelHead extends ChannelPad0 {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(ChannelHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Next position to remove. With one receiver, only it writes head: a release store after it
     * has read the slot and cleared it, so a producer that reads head (volatile, acquire) and then
     * claims a slot below {@code head + capacity} writes it after the clearing. With evicting
     * producers every remover advances it by CAS and then releases the slot's sequence. Observers
     * read it twice around a read of tail to get a consistent pair.
     */
    private volatile long head;

    final long headVolatile() {
        return head;
    }

    final long headPlain() {
        return (long) HEAD.getOpaque(this);
    }

    final void setHeadVolatile(long value) {
        head = value;
    }

    final void setHeadRelease(long value) {
        HEAD.setRelease(this, value);
    }

    final boolean casHead(long expect, long update) {
        return HEAD.compareAndSet(this, expect, update);
    }
}

abstract class ChannelPad1 extends ChannelHead {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

abstract class ChannelHeadCache extends ChannelPad1 {
    private static final VarHandle HEAD_CACHE;

    static {
        try {
            HEAD_CACHE = MethodHandles.lookup().findVarHandle(ChannelHeadCache.class, "headCache", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Producers' last-seen head; spares them a read of the receiver's cache line on every offer.
     * Written by any producer (racily: it may go backwards), and every value is one head really
     * had, so it is only ever behind: a stale value costs a refresh from head, never a wrong claim.
     * Release store / acquire load (plain moves on x86), not plain access: a producer claims slots
     * below {@code headCache + capacity} and then writes them, so it must happen-after the
     * receiver's clearing of those slots. That clearing happens-before the receiver's release store
     * of head, which happens-before the refreshing producer's volatile read of head and so its
     * release store here, which happens-before our acquire load. A plain field would also allow a
     * torn long (JLS 17.7).
     */
    @SuppressWarnings("unused") // accessed through HEAD_CACHE
    private long headCache;

    final long headCacheAcquire() {
        return (long) HEAD_CACHE.getAcquire(this);
    }

    final void setHeadCacheRelease(long value) {
        HEAD_CACHE.setRelease(this, value);
    }
}

abstract class ChannelPad2 extends ChannelHeadCache {
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
}

abstract class ChannelTail extends ChannelPad2 {
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ChannelTail.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Next position to claim; the sign bit marks the channel closed. Producers claim by CAS on the
     * whole word and close sets the bit with one atomic OR, so a claim and close are totally
     * ordered: no claim succeeds after close. A claimed position is published later, by the
     * element (or sequence) store, not by tail.
     */
    private volatile long tail;

    long s00, s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15;

    final long tailVolatile() {
        return tail;
    }

    final boolean casTail(long expect, long update) {
        return TAIL.compareAndSet(this, expect, update);
    }

    final void orTail(long bits) {
        TAIL.getAndBitwiseOr(this, bits);
    }
}
