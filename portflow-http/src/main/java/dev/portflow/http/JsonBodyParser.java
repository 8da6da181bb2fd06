package dev.portflow.http;

import dev.portflow.json.StrictJson;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a request body the way the ingress accepts it: strict UTF-8, exactly one JSON value under
 * {@link StrictJson}'s strict settings, and only valid Unicode text in its strings.
 *
 * <p>The last rule is not Jackson's: JSON's &#92;uXXXX escapes can spell half of a
 * UTF-16 surrogate pair, which no Unicode encoding can represent. RFC 8259 (section 8.2) leaves
 * such strings "unpredictable" and I-JSON (RFC 7493, section 2.1) forbids them; Jackson decodes
 * them into Java strings that later fail whoever writes them out as UTF-8 (a file sink, Kafka).
 * They are refused here, before anything is queued, like any other body that is not proper JSON
 * text. So are numbers beyond the range of a 64-bit floating-point number ({@code 1e400}): Jackson
 * reads them as Infinity, which no JSON writer can put back (I-JSON, section 2.2, asks for numbers
 * within that range). Integers of any size stay accepted: they are exact.
 *
 * <p>Refusals carry a short message for the client, with line and column where there is one;
 * Jackson's own messages (token names, feature and class names, "Source: REDACTED") never leave
 * this class.
 */
final class JsonBodyParser {

    /** Longer keys are cut in messages, so a refusal stays short whatever the body. */
    private static final int MAX_KEY_IN_MESSAGE = 40;

    private JsonBodyParser() {}

    /** A body the ingress does not accept as JSON; the message is meant for the client. */
    static final class InvalidJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        private final String reason;

        InvalidJsonException(String message) {
            super(message, null, false, false); // a client's mistake: no stack trace needed
            this.reason = message;
        }

        /** What is wrong with the body: never null, unlike {@link Throwable#getMessage()} in general. */
        @Override
        public String getMessage() {
            return reason;
        }
    }

    /** The body as a JSON tree. */
    static JsonNode parse(byte[] body) throws InvalidJsonException {
        String text = decodeUtf8(body);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a byte order mark may be ignored (RFC 8259, section 8.1)
        }
        JsonNode tree;
        try {
            tree = StrictJson.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new InvalidJsonException("malformed JSON: " + describe(e, text));
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidJsonException("malformed JSON: empty body");
        }
        checkValues(tree, new ArrayDeque<>());
        return tree;
    }

    /** Strict: overlong forms, encoded surrogates and code points above U+10FFFF are refused, not replaced. */
    private static String decodeUtf8(byte[] body) throws InvalidJsonException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length); // UTF-8 never takes fewer bytes than UTF-16 chars
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new InvalidJsonException(String.format(
                    "body is not valid UTF-8: invalid byte 0x%02X at byte %d", body[offset] & 0xff, offset));
        }
        return out.flip().toString();
    }

    /** What is wrong and where, in our words. */
    private static String describe(JacksonException e, String text) {
        if (e instanceof StreamConstraintsException) {
            return describeConstraint(e.getOriginalMessage()); // Jackson gives no location for these
        }
        int offset = offsetOf(e.getLocation(), text);
        String what;
        if (e instanceof UnexpectedEndOfInputException || offset == text.length()) {
            what = "unexpected end of input";
        } else {
            what = describeSyntax(String.valueOf(e.getOriginalMessage()), text, offset);
        }
        return offset < 0 ? what : what + " at " + lineAndColumn(text, offset);
    }

    /**
     * Jackson reports syntax errors with one exception type; its message's opening words are the
     * only thing that tells them apart. Anything not recognised gets the generic phrase.
     */
    private static String describeSyntax(String jacksonMessage, String text, int offset) {
        if (jacksonMessage.startsWith("Duplicate Object property")) {
            int open = jacksonMessage.indexOf('"');
            int close = jacksonMessage.lastIndexOf('"');
            return open >= 0 && close > open
                    ? "duplicate key \"" + printable(jacksonMessage.substring(open + 1, close)) + "\""
                    : "duplicate key";
        }
        if (jacksonMessage.contains("surrogate")) {
            return "unpaired UTF-16 surrogate in a key (not valid Unicode text)"; // Jackson checks keys itself
        }
        if (jacksonMessage.startsWith("Trailing token")) {
            return "unexpected data after the JSON value";
        }
        if (jacksonMessage.startsWith("Illegal unquoted character") && offset >= 0) {
            return "unescaped control character " + codePoint(text.codePointAt(offset)) + " in a string";
        }
        if (jacksonMessage.startsWith("Unrecognized character escape")
                || jacksonMessage.contains("character escape sequence")) {
            return "invalid escape sequence in a string";
        }
        if (jacksonMessage.startsWith("Invalid numeric value") || jacksonMessage.startsWith("Non-standard token")) {
            return "invalid number"; // Jackson's non-standard tokens are NaN and the infinities
        }
        if (jacksonMessage.startsWith("Unrecognized token")) {
            return "invalid literal";
        }
        if ((jacksonMessage.startsWith("Unexpected character") || jacksonMessage.startsWith("Unexpected close marker"))
                && offset >= 0) {
            return "unexpected character " + character(text.codePointAt(offset));
        }
        return "invalid JSON syntax";
    }

    private static String describeConstraint(String jacksonMessage) {
        String message = String.valueOf(jacksonMessage);
        if (message.contains("nesting depth")) {
            return "nested deeper than " + StrictJson.MAX_NESTING_DEPTH + " levels";
        }
        if (message.startsWith("Number value length")) {
            return "a number longer than " + StrictJson.MAX_NUMBER_LENGTH + " characters";
        }
        if (message.startsWith("String value length")) {
            return "a string longer than " + StrictJson.MAX_STRING_LENGTH + " characters";
        }
        return "exceeds a limit of the JSON parser";
    }

    /** The char offset of {@code location} in {@code text}, or -1 when Jackson gave none. */
    private static int offsetOf(TokenStreamLocation location, String text) {
        if (location == null || location.getCharOffset() < 0) {
            return -1;
        }
        return (int) Math.min(location.getCharOffset(), text.length());
    }

    /** 1-based line, and column in code points (an emoji is one column, not two UTF-16 chars). */
    private static String lineAndColumn(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (text.codePointCount(lineStart, offset) + 1);
    }

    /** {@code 'x'} for a visible character, {@code U+0009} for anything one could not see or tell apart. */
    private static String character(int codePoint) {
        int type = Character.getType(codePoint);
        boolean visible = !Character.isISOControl(codePoint)
                && !Character.isWhitespace(codePoint)
                && !Character.isSpaceChar(codePoint)
                && Character.isDefined(codePoint)
                && type != Character.FORMAT
                && type != Character.SURROGATE;
        return visible ? "'" + Character.toString(codePoint) + "'" : codePoint(codePoint);
    }

    private static String codePoint(int codePoint) {
        return String.format("U+%04X", codePoint);
    }

    /**
     * Every key and string value, at any depth, must be valid Unicode text, and every number with a
     * fraction or exponent must fit a double. (Jackson 3 already refuses lone surrogates in keys while
     * parsing; they are checked here too so the rule does not hang on that.) Recursion is bounded by
     * the parser's nesting limit.
     */
    private static void checkValues(JsonNode node, Deque<Object> path) throws InvalidJsonException {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw new InvalidJsonException("number at " + render(path)
                    + " is beyond the range of a 64-bit floating-point number (at most about 1.8e308)");
        }
        if (node.isString()) {
            String value = node.stringValue();
            int bad = unpairedSurrogate(value);
            if (bad >= 0) {
                throw surrogate("string at " + render(path), value.charAt(bad));
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                int bad = unpairedSurrogate(property.getKey());
                if (bad >= 0) {
                    throw surrogate(
                            "a key of the object at " + render(path),
                            property.getKey().charAt(bad));
                }
                path.addLast(property.getKey());
                checkValues(property.getValue(), path);
                path.removeLast();
            }
        } else if (node.isArray()) {
            int index = 0;
            for (JsonNode element : node.values()) {
                path.addLast(index++);
                checkValues(element, path);
                path.removeLast();
            }
        }
    }

    private static InvalidJsonException surrogate(String where, char surrogate) {
        return new InvalidJsonException(String.format(
                "%s holds an unpaired UTF-16 surrogate (\\u%04x): not valid Unicode text", where, (int) surrogate));
    }

    /** The index of the first surrogate that is not part of a high-low pair, or -1. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a proper pair
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code $.items[1].tags}, with {@code ['a b']} for keys that are not plain names. */
    private static String render(Deque<Object> path) {
        StringBuilder text = new StringBuilder("$");
        for (Object segment : path) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                String key = printable((String) segment);
                if (key.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
                    text.append('.').append(key);
                } else {
                    text.append("['")
                            .append(key.replace("\\", "\\\\").replace("'", "\\'"))
                            .append("']");
                }
            }
        }
        return text.toString();
    }

    /** {@code text} cut to a readable length, with any unpaired surrogate written as its escape. */
    private static String printable(String text) {
        String cut = text.codePointCount(0, text.length()) > MAX_KEY_IN_MESSAGE
                ? text.substring(0, text.offsetByCodePoints(0, MAX_KEY_IN_MESSAGE)) + "\u2026"
                : text;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < cut.length() && Character.isLowSurrogate(cut.charAt(i + 1))) {
                out.append(c).append(cut.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
