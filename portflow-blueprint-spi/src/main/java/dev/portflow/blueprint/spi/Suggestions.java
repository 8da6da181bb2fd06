package dev.portflow.blueprint.spi;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** "Did you mean" suggestions for hints, as validation gives them (a recipe's check may use them too). */
public final class Suggestions {

    private Suggestions() {}

    /** The candidate closest to {@code word} when it is close enough to be a likely typo, else {@code null}. */
    public static @Nullable String nearest(@Nullable String word, Collection<String> candidates) {
        if (word == null || word.isEmpty()) {
            return null;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(lower, c);
            if (c.startsWith(lower) || lower.startsWith(c)) {
                d = Math.min(d, 1 + Math.abs(c.length() - lower.length()) / 4);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(1, Math.min(3, (word.length() + 1) / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** "did you mean 'x'? " plus what is allowed, e.g. for a hint. */
    public static String didYouMean(@Nullable String word, Collection<String> candidates, String allowedLabel) {
        String near = nearest(word, candidates);
        String list = allowedLabel + ": " + String.join(", ", candidates);
        return near != null ? "did you mean '" + near + "'? " + list : list;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
