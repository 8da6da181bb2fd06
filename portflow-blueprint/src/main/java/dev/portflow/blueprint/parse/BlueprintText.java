package dev.portflow.blueprint.parse;

import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.Position;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The text of a blueprint before it is parsed: at most {@value #MAX_BYTES} bytes of UTF-8 that YAML
 * can hold. Each violation is reported at its line and column, so a stray NUL or a Latin-1 byte is
 * found where it is, not at 1:1.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose loader reads
 * blueprints with it.
 */
public final class BlueprintText {

    /**
     * The largest blueprint read: 4 MiB, several times a pipeline of 10,000 components written out in
     * block style, and small enough to parse and validate in about a second.
     */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    /** At most this many misplaced characters are listed; the rest of a binary file would be noise. */
    private static final int MAX_REPORTED = 10;

    /** The text, or {@code null} with the problems why it cannot be parsed. */
    public record Read(@Nullable String text, List<Problem> problems) {}

    private BlueprintText() {}

    /** Reads {@code file} as UTF-8, within the size limit. */
    public static Read read(String label, Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                return refused(label, tooLarge(size));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return refused(label, "no such file");
        } catch (IOException e) {
            return refused(label, "cannot read the file: " + e);
        }
        if (bytes.length > MAX_BYTES) { // grew while it was read
            return refused(label, tooLarge(bytes.length));
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            out.flip();
            Position at = endOf(out);
            int bad = bytes[offset] & 0xFF;
            return new Read(
                    null,
                    List.of(Problem.at(
                            label,
                            at,
                            "the file is not valid UTF-8: byte " + String.format(Locale.ROOT, "0x%02X", bad)
                                    + " begins no valid UTF-8 character",
                            encodingHint(bytes))));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        List<Problem> problems = check(label, text);
        return problems.isEmpty() ? new Read(text, List.of()) : new Read(null, problems);
    }

    /** The problems of blueprint text given as a string: its size and the characters YAML does not allow. */
    public static List<Problem> check(String label, String text) {
        // UTF-8 is at least one byte per char: only long strings need counting
        if (text.length() > MAX_BYTES / 3) {
            long bytes = utf8Length(text);
            if (bytes > MAX_BYTES) {
                return List.of(Problem.at(label, Position.START, tooLarge(bytes), SIZE_HINT));
            }
        }
        List<Problem> problems = new ArrayList<>();
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length() && problems.size() < MAX_REPORTED; ) {
            int c = text.codePointAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            } else {
                if (!printable(c) && !(c == 0xFEFF && i == 0)) {
                    problems.add(Problem.at(
                            label,
                            new Position(line, column),
                            "the file holds the " + describe(c) + ", which YAML does not allow",
                            CHARACTER_HINT));
                }
                if (c != '\r') {
                    column++;
                }
            }
            i += Character.charCount(c);
        }
        return problems;
    }

    private static final String SIZE_HINT =
            "split the pipeline into several blueprints, connected with transport: kafka";
    private static final String CHARACTER_HINT =
            "remove it; a blueprint is UTF-8 text: was the file saved in another encoding, or is it binary?";

    /** YAML 1.2's c-printable, with tab and line breaks. */
    private static boolean printable(int c) {
        return c == 0x9
                || c == 0xA
                || c == 0xD
                || (c >= 0x20 && c <= 0x7E)
                || c == 0x85
                || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    private static String describe(int c) {
        String code = String.format(Locale.ROOT, "U+%04X", c);
        String name = Character.getName(c);
        if (c == 0) {
            name = "NUL";
        }
        return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)
                ? "control character " + code + (name == null ? "" : " (" + name + ")")
                : "character " + code + (name == null ? "" : " (" + name + ")");
    }

    private static String tooLarge(long bytes) {
        return String.format(
                Locale.ROOT,
                "the blueprint is %.1f MiB (%d bytes); a blueprint may be at most 4 MiB" + " (%d bytes)",
                bytes / (1024.0 * 1024.0),
                bytes,
                MAX_BYTES);
    }

    private static Read refused(String label, String message) {
        return new Read(
                null,
                List.of(Problem.at(
                        label, Position.START, message, message.startsWith("the blueprint is") ? SIZE_HINT : null)));
    }

    private static String encodingHint(byte[] bytes) {
        if (bytes.length >= 2
                && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                        || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            return "save the file as UTF-8; it is UTF-16";
        }
        return "save the file as UTF-8; it may be Latin-1 or Windows-1252";
    }

    /** The position just after {@code decoded}: where the next character would be. */
    private static Position endOf(CharSequence decoded) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= decoded.length() || decoded.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Position(line, column);
    }

    private static long utf8Length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
