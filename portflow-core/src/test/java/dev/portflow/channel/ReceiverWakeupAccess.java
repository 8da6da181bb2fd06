package dev.portflow.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Tests' view of {@link ReceiverWakeup}'s private {@code waiter}: whether a receiver is registered to park. */
final class ReceiverWakeupAccess {

    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.privateLookupIn(ReceiverWakeup.class, MethodHandles.lookup())
                    .findVarHandle(ReceiverWakeup.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ReceiverWakeupAccess() {}

    /** The registered receiver (a volatile read), or {@code null}. */
    static Thread waiter(ReceiverWakeup wakeup) {
        return (Thread) WAITER.getVolatile(wakeup);
    }
}
