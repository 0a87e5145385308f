package org.snnc.compiler.target;

import java.util.Collection;

/** "Did you mean" suggestions for misspelt keys, presets and enum values. */
final class EditDistance {

    private EditDistance() {}

    /**
     * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
     * neighbouring characters each cost 1, because swapped letters are the commonest typo.
     */
    static int between(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[n][m];
    }

    /**
     * The candidate closest to {@code typed}, or null when even the closest differs in more than
     * a third of the typed characters (at least 2 edits are always allowed), since a distant
     * suggestion misleads more than it helps. Ties go to the earlier candidate.
     */
    static String closest(String typed, Collection<String> candidates) {
        String lower = typed.toLowerCase(java.util.Locale.ROOT);
        int limit = Math.max(2, lower.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = between(lower, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= limit ? best : null;
    }
}
