package dev.portflow.blueprint.parse;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * YAML events to a {@link YamlNode} tree, in a loop over the events with an explicit stack: nothing
 * recurses on the nesting of the input, so no document makes it overflow the stack. Along the way it
 * reports what a blueprint does not allow, each at its position, and goes on:
 * <ul>
 *   <li>nesting deeper than {@value #MAX_DEPTH} levels (then it stops: the document is refused);</li>
 *   <li>merge keys ({@code <<}), duplicate keys, keys that are not names;</li>
 *   <li>aliases to unknown or enclosing anchors, and aliases that stand for more than
 *       {@value #MAX_ALIASED_VALUES} values in all (so a few lines cannot expand to billions);</li>
 *   <li>a second document in the file;</li>
 *   <li>environment variables ({@code ${NAME}}) that are not set.</li>
 * </ul>
 * Scalars are typed by the YAML 1.2 core schema.
 */
final class YamlComposer {

    /** Collections open at once, at most. */
    static final int MAX_DEPTH = 100;
    /** Values that aliases may stand for, all aliases together. */
    static final int MAX_ALIASED_VALUES = 100_000;

    /** Where problems go. */
    @FunctionalInterface
    interface Reporter {
        void problem(Position at, String message, @Nullable String hint);
    }

    /** A collection being read. */
    private abstract static class Frame {
        final Position position;
        final @Nullable String anchor;
        /** Values in it, itself included: what an alias to it stands for. */
        long size = 1;

        Frame(Position position, @Nullable String anchor) {
            this.position = position;
            this.anchor = anchor;
        }
    }

    private static final class SequenceFrame extends Frame {
        final List<YamlNode> items = new ArrayList<>();

        SequenceFrame(Position position, @Nullable String anchor) {
            super(position, anchor);
        }
    }

    private static final class MappingFrame extends Frame {
        final List<YamlNode.Entry> entries = new ArrayList<>();
        final Map<String, Position> seen = new HashMap<>();
        boolean expectingKey = true;
        /** The key read, or {@code null} when the value that follows is to be left out. */
        @Nullable
        String key;

        /** Where the key read is (the mapping's start before the first key). */
        Position keyAt;

        MappingFrame(Position position, @Nullable String anchor) {
            super(position, anchor);
            keyAt = position;
        }
    }

    /** A completed anchored value and how many values it holds. */
    private record Anchored(YamlNode node, long size) {}

    private final Reporter reporter;
    private final @Nullable EnvironmentVariables environment;
    private final ScalarResolver resolver = new CoreSchema().getScalarResolver();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final Map<String, Anchored> anchors = new HashMap<>();
    private final Set<String> openAnchors = new HashSet<>();
    /** Values with a problem of their own (an unset variable, a bad tag, a broken alias), by start. */
    private final Set<Position> faulty = new HashSet<>();

    private long aliasedValues;
    private boolean aliasLimitReported;
    private boolean tooDeep;
    private @Nullable YamlNode root;

    YamlComposer(Reporter reporter, @Nullable EnvironmentVariables environment) {
        this.reporter = reporter;
        this.environment = environment;
    }

    /**
     * The document's tree, or empty when the text holds no document (or only an empty one).
     *
     * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException on a syntax error (usually a
     *         {@code MarkedYamlEngineException} with its position)
     */
    Optional<YamlNode> compose(String text, LoadSettings settings) {
        int documents = 0;
        // What snakeyaml-engine's lowlevel.Parse.parseString does; that package is not exported by its module.
        Iterable<Event> events = () -> new ParserImpl(settings, new StreamReader(settings, new StringReader(text)));
        for (Event event : events) {
            Event.ID id = event.getEventId();
            switch (id) {
                case DocumentStart -> {
                    if (++documents > 1) {
                        reporter.problem(
                                start(event),
                                "a blueprint is one YAML document, but a second one starts here",
                                "remove the '---' and what follows, or put it in a file of its own");
                        return Optional.ofNullable(root).filter(r -> !isNothing(r));
                    }
                }
                case Scalar -> scalar((ScalarEvent) event);
                case Alias -> alias((AliasEvent) event);
                case MappingStart, SequenceStart -> {
                    CollectionStartEvent start = (CollectionStartEvent) event;
                    Position at = start(event);
                    if (stack.size() >= MAX_DEPTH) {
                        // stop here: no blueprint is nested this deep, and reading on through deeper
                        // levels only costs time and stack in the YAML scanner (it overflowed at ~10^5)
                        reporter.problem(
                                at,
                                "the YAML is nested more than " + MAX_DEPTH + " levels deep",
                                "a blueprint needs a handful of levels; the rest of the file is not read");
                        tooDeep = true;
                        return Optional.empty();
                    }
                    String anchor = anchorOf(start);
                    if (anchor != null) {
                        openAnchors.add(anchor);
                    }
                    stack.push(
                            id == Event.ID.MappingStart ? new MappingFrame(at, anchor) : new SequenceFrame(at, anchor));
                }
                case MappingEnd, SequenceEnd -> {
                    Frame frame = stack.pop();
                    YamlNode node = frame instanceof MappingFrame m
                            ? new YamlNode.Mapping(m.entries, m.position)
                            : new YamlNode.Sequence(((SequenceFrame) frame).items, frame.position);
                    if (frame.anchor != null) {
                        openAnchors.remove(frame.anchor);
                        anchors.put(frame.anchor, new Anchored(node, frame.size));
                    }
                    complete(node, frame.size);
                }
                default -> {
                    // stream and document ends, comments: nothing to build
                }
            }
        }
        return Optional.ofNullable(root).filter(r -> !isNothing(r));
    }

    /** Whether the document is nested too deeply: it was not read to its end. */
    boolean tooDeep() {
        return tooDeep;
    }

    /**
     * Where the values start that have a problem reported here (an environment variable that is not
     * set, a tag that does not fit, an alias that cannot be resolved): problems others find at the
     * same place only follow from it.
     */
    Set<Position> faulty() {
        return faulty;
    }

    // ---------------------------------------------------------------- events

    private void scalar(ScalarEvent event) {
        Position at = start(event);
        String raw = event.getValue();
        boolean quoted = !event.isPlain();
        boolean verbatim = verbatim(event, raw);
        if (stack.peek() instanceof MappingFrame m && m.expectingKey) {
            key(m, event, at, raw);
            return;
        }
        String text = raw;
        if (environment != null) {
            EnvironmentVariables.Result result = environment.substitute(raw);
            YamlNode.Scalar written = new YamlNode.Scalar(raw, YamlNode.Scalar.Kind.STRING, quoted, at, verbatim);
            for (EnvironmentVariables.Unset unset : result.unset()) {
                reporter.problem(
                        written.positionAt(unset.offset()),
                        "environment variable " + unset.name() + " is not set",
                        "set it, or give a default: ${" + unset.name() + ":-value}; $${ is a literal ${");
            }
            if (!result.unset().isEmpty()) {
                faulty.add(at);
            }
            if (result.changed()) {
                text = result.text();
                verbatim = false;
            }
        }
        YamlNode.Scalar.Kind kind = faulty.contains(at) ? YamlNode.Scalar.Kind.STRING : kind(event, text, at);
        YamlNode.Scalar node = new YamlNode.Scalar(text, kind, quoted, at, verbatim);
        String anchor = anchorOf(event);
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, 1));
        }
        complete(node, 1);
    }

    private void key(MappingFrame m, ScalarEvent event, Position at, String name) {
        m.expectingKey = false;
        m.key = null;
        if (event.isPlain() && name.equals("<<")) {
            reporter.problem(at, "YAML merge keys (<<) are not supported in blueprints", "write the keys out");
            return;
        }
        if (event.isPlain() && resolver.resolve(name, true).equals(Tag.NULL)) {
            reporter.problem(at, "a key must be a plain name, found no value", null);
            return;
        }
        Position first = m.seen.putIfAbsent(name, at);
        if (first != null) {
            reporter.problem(
                    at,
                    "duplicate key '" + name + "'",
                    "first given at line " + first.line() + ", column " + first.column() + "; keep one");
            return;
        }
        m.key = name;
        m.keyAt = at;
    }

    private void alias(AliasEvent event) {
        Position at = start(event);
        String name = event.getAlias().getValue();
        Anchored anchored = anchors.get(name);
        if (anchored == null) {
            faulty.add(at);
            reporter.problem(
                    at,
                    openAnchors.contains(name)
                            ? "alias *" + name + " refers to a value that holds it"
                            : "unknown alias *" + name,
                    openAnchors.contains(name)
                            ? "a value cannot contain itself"
                            : "define the anchor &" + name + " before it is used");
            complete(nothing(at), 1);
            return;
        }
        if (anchored.size() > 1) {
            aliasedValues += anchored.size();
            if (aliasedValues > MAX_ALIASED_VALUES) {
                faulty.add(at);
                if (!aliasLimitReported) {
                    aliasLimitReported = true;
                    reporter.problem(
                            at,
                            "aliases (*) stand for more than " + MAX_ALIASED_VALUES + " values in all",
                            "write the values out, or use fewer aliases of large anchors");
                }
                complete(nothing(at), 1);
                return;
            }
        }
        complete(anchored.node(), anchored.size());
    }

    /** Adds a finished value to the collection being read (or makes it the document). */
    private void complete(YamlNode node, long size) {
        Frame top = stack.peek();
        if (top == null) {
            root = node;
            return;
        }
        top.size += size;
        switch (top) {
            case SequenceFrame s -> s.items.add(node);
            case MappingFrame m
            when m.expectingKey -> { // a key that is no scalar: { [a]: 1 }, ? {a: 1}
                m.expectingKey = false;
                m.key = null;
                reporter.problem(node.position(), "a key must be a plain name, found " + node.describe(), null);
            }
            case MappingFrame m -> {
                if (m.key != null) {
                    m.entries.add(new YamlNode.Entry(m.key, m.keyAt, node));
                }
                m.expectingKey = true;
            }
            default -> throw new IllegalStateException("unknown frame " + top);
        }
    }

    // ---------------------------------------------------------------- scalars

    private YamlNode.Scalar.Kind kind(ScalarEvent event, String text, Position at) {
        Optional<String> explicit = event.getTag().filter(t -> !t.equals("!"));
        Tag tag;
        if (explicit.isPresent()) {
            tag = new Tag(explicit.get());
            Tag implied = resolver.resolve(text, true);
            boolean fits = tag.equals(implied) || (tag.equals(Tag.FLOAT) && implied.equals(Tag.INT));
            if ((tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL) || tag.equals(Tag.NULL))
                    && !fits) {
                faulty.add(at);
                reporter.problem(
                        at,
                        "'" + text + "' is not a valid " + tag.getValue().replace("tag:yaml.org,2002:", "!!"),
                        "remove the tag, or write a value of that type");
                return YamlNode.Scalar.Kind.STRING;
            }
        } else {
            // typed after substitution: port: ${PORT} is an integer; a quoted value is always a string
            tag = resolver.resolve(text, event.isPlain());
        }
        if (tag.equals(Tag.INT)) {
            return YamlNode.Scalar.Kind.INTEGER;
        } else if (tag.equals(Tag.FLOAT)) {
            return YamlNode.Scalar.Kind.FLOAT;
        } else if (tag.equals(Tag.BOOL)) {
            return YamlNode.Scalar.Kind.BOOLEAN;
        } else if (tag.equals(Tag.NULL)) {
            return YamlNode.Scalar.Kind.NULL;
        }
        return YamlNode.Scalar.Kind.STRING;
    }

    /** Whether the value is written on one line exactly as it reads (no escapes, no folding). */
    private static boolean verbatim(ScalarEvent event, String value) {
        if (!(event.isPlain() || event.isSQuoted() || event.isDQuoted())) {
            return false;
        }
        Optional<Mark> start = event.getStartMark();
        Optional<Mark> end = event.getEndMark();
        if (start.isEmpty()
                || end.isEmpty()
                || start.get().getLine() != end.get().getLine()) {
            return false;
        }
        int written = end.get().getColumn() - start.get().getColumn();
        return written == value.codePointCount(0, value.length()) + (event.isPlain() ? 0 : 2);
    }

    private static @Nullable String anchorOf(NodeEvent event) {
        return event.getAnchor().map(a -> a.getValue()).orElse(null);
    }

    private static Position start(Event event) {
        return event.getStartMark().map(BlueprintParser::position).orElse(Position.START);
    }

    /** A placeholder for a value left out. */
    private static YamlNode nothing(Position at) {
        return new YamlNode.Scalar("", YamlNode.Scalar.Kind.NULL, false, at);
    }

    private static boolean isNothing(YamlNode node) {
        return node instanceof YamlNode.Scalar s && s.isNull();
    }
}
