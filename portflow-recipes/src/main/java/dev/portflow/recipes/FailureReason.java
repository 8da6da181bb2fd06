package dev.portflow.recipes;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One short line saying why a file or database operation failed, for the sinks' error messages.
 *
 * <p>Drivers and file APIs wrap causes in layers that repeat each other (H2: {@code IO Exception:
 * "java.nio.file.NotDirectoryException: /x/y"; "/x/y" [90031-252]} around the
 * {@code NotDirectoryException} itself). A person needs the innermost file problem, or else the
 * distinct messages of the chain, on one line; the exception itself stays attached as the cause
 * for whoever wants the whole chain.
 */
final class FailureReason {

    /** Longer reasons are cut: a setup error is one line in a terminal. */
    static final int MAX_LENGTH = 300;

    private static final int MAX_CHAIN = 10; // cause chains can be cyclic in badly written drivers

    private FailureReason() {}

    /** The reason {@code error} happened, on one line of at most {@value #MAX_LENGTH} characters. */
    static String of(Throwable error) {
        FileSystemException fileProblem = null;
        List<String> messages = new ArrayList<>();
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CHAIN; depth++, t = t.getCause()) {
            if (t instanceof FileSystemException e) {
                fileProblem = e; // the innermost one wins: it names the file that is the problem
            }
            String line = firstLine(t.getMessage());
            if (line.isEmpty() || messages.stream().anyMatch(m -> m.contains(line))) {
                continue; // wrappers quote their cause: keep each text once
            }
            messages.add(line);
        }
        String reason = fileProblem != null
                ? describe(fileProblem)
                : messages.isEmpty() ? error.getClass().getSimpleName() : String.join(": ", messages);
        return reason.length() <= MAX_LENGTH ? reason : reason.substring(0, MAX_LENGTH - 3) + "...";
    }

    private static String describe(FileSystemException e) {
        String file = e.getFile();
        if (file == null) {
            return firstLine(e.getMessage());
        }
        String notADirectory = fileInTheWay(file);
        if (notADirectory != null
                && (e instanceof NoSuchFileException
                        || e instanceof NotDirectoryException
                        || e instanceof FileAlreadyExistsException
                        || "Not a directory".equals(e.getReason()))) {
            return notADirectory + " is a file, not a directory";
        }
        return switch (e) {
            case NoSuchFileException n -> file + ": no such file or directory";
            case AccessDeniedException a -> file + ": permission denied";
            case NotDirectoryException n -> file + ": not a directory";
            case FileAlreadyExistsException x -> file + ": already exists";
            default -> e.getReason() != null ? file + ": " + firstLine(e.getReason()) : firstLine(e.getMessage());
        };
    }

    /** The nearest existing ancestor of {@code file} when it is not a directory (so nothing can be created below it). */
    private static @Nullable String fileInTheWay(String file) {
        try {
            for (Path p = Path.of(file).getParent(); p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    return Files.isDirectory(p) ? null : p.toString();
                }
            }
        } catch (InvalidPathException | SecurityException e) {
            return null; // then the exception's own words will do
        }
        return null;
    }

    private static String firstLine(@Nullable String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }
}
