package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The channel's fields as this JVM lays them out: what the receiver writes per message never shares
 * a cache line (nor the adjacent line a prefetcher pairs with it) with what producers write or read
 * per message. Padding classes are only a request: the JVM orders fields by size and reference-ness
 * and fills holes with subclass fields, so the layout is checked, not assumed. A traced pipeline ran
 * at half the rate of an untraced one while {@code polledContext} (written per poll) sat on the line
 * of {@code elements}, {@code capacity}, {@code mask} (read per offer).
 */
class ChannelLayoutTest {

    /** Two cache lines: Intel's adjacent-line prefetcher fetches lines in 128-byte pairs. */
    private static final int APART = 128;

    private static final Pattern PADDING = Pattern.compile("[pqrstu]\\d\\d|u");

    private enum Access {
        RECEIVER_WRITES,
        PRODUCERS_WRITE,
        SHARED_READ
    }

    private static final Map<String, Access> FIELDS = Map.ofEntries(
            Map.entry("head", Access.RECEIVER_WRITES),
            Map.entry("receivedByReceiver", Access.RECEIVER_WRITES),
            Map.entry("polledEnqueuedAt", Access.RECEIVER_WRITES),
            Map.entry("polledOriginAt", Access.RECEIVER_WRITES),
            Map.entry("polledContext", Access.RECEIVER_WRITES),
            Map.entry("tail", Access.PRODUCERS_WRITE),
            Map.entry("headCache", Access.PRODUCERS_WRITE),
            Map.entry("sampleMask", Access.PRODUCERS_WRITE),
            Map.entry("lastSampleAt", Access.PRODUCERS_WRITE),
            Map.entry("lastSamplePosition", Access.PRODUCERS_WRITE),
            Map.entry("capacity", Access.SHARED_READ),
            Map.entry("mask", Access.SHARED_READ),
            Map.entry("ringSize", Access.SHARED_READ),
            Map.entry("multiConsumer", Access.SHARED_READ),
            Map.entry("elements", Access.SHARED_READ),
            Map.entry("sequences", Access.SHARED_READ),
            Map.entry("stamps", Access.SHARED_READ),
            Map.entry("contexts", Access.SHARED_READ),
            Map.entry("wakeup", Access.SHARED_READ),
            Map.entry("gate", Access.SHARED_READ),
            Map.entry("evicted", Access.SHARED_READ),
            Map.entry("evictionLock", Access.SHARED_READ));

    @Test
    void everyFieldHasAKnownAccessPattern() {
        List<String> unknown = new ArrayList<>();
        for (FieldLayout f : fields()) {
            if (!FIELDS.containsKey(f.name())) {
                unknown.add(f.classShortName() + "." + f.name());
            }
        }
        assertThat(unknown)
                .as("new BoundedChannel fields: say in ChannelLayoutTest.FIELDS who writes or reads them per message")
                .isEmpty();
    }

    @Test
    void whatTheReceiverWritesIsTwoLinesFromWhatProducersTouch() {
        assertNoneCloserThanTwoLines(Access.RECEIVER_WRITES, EnumSet.of(Access.PRODUCERS_WRITE, Access.SHARED_READ));
    }

    @Test
    void whatProducersWriteIsTwoLinesFromWhatEveryoneOnlyReads() {
        assertNoneCloserThanTwoLines(Access.PRODUCERS_WRITE, EnumSet.of(Access.SHARED_READ));
    }

    /** No field with {@code written} access is within {@link #APART} bytes of a field with one of {@code others}. */
    private static void assertNoneCloserThanTwoLines(Access written, Set<Access> others) {
        List<String> tooClose = new ArrayList<>();
        for (FieldLayout w : fields()) {
            if (FIELDS.get(w.name()) != written) {
                continue;
            }
            for (FieldLayout o : fields()) {
                if (others.contains(FIELDS.get(o.name())) && Math.abs(w.offset() - o.offset()) < APART) {
                    tooClose.add(describe(w) + " and " + describe(o));
                }
            }
        }
        assertThat(tooClose)
                .as(ClassLayout.parseClass(BoundedChannel.class).toPrintable())
                .isEmpty();
    }

    /**
     * Producers read {@code ReceiverWakeup.waiter} on every send: nothing else in that object within
     * two lines of it, so whatever HotSpot allocates next to it (the receiving port's per-message
     * fields, at first) is two lines away too.
     */
    @Test
    void theReceiversWaiterHasTwoLinesToItselfOnEachSide() {
        ClassLayout layout = ClassLayout.parseClass(ReceiverWakeup.class);
        FieldLayout waiter = layout.fields().stream()
                .filter(f -> f.name().equals("waiter"))
                .findFirst()
                .orElseThrow();
        assertThat(waiter.offset()).as(layout.toPrintable()).isGreaterThanOrEqualTo(APART);
        assertThat(layout.instanceSize() - (waiter.offset() + waiter.size()))
                .as(layout.toPrintable())
                .isGreaterThanOrEqualTo(APART);
    }

    private static List<FieldLayout> fields() {
        List<FieldLayout> named = new ArrayList<>();
        for (FieldLayout f : ClassLayout.parseClass(BoundedChannel.class).fields()) {
            if (!PADDING.matcher(f.name()).matches()) {
                named.add(f);
            }
        }
        assertThat(named).extracting(FieldLayout::name).contains("head", "tail", "polledContext", "elements");
        return named;
    }

    private static String describe(FieldLayout f) {
        return f.name() + "@" + f.offset();
    }
}
