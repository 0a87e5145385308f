package org.snnc.compiler.diag;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" by edit distance: the closest candidate within a third of the name's length. */
public final class Suggest {

    private Suggest() {
    }

    public static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, (name.length() + 2) / 3);
        for (String c : candidates) {
            if (c.equals(name)) continue;
            int d = distance(name.toLowerCase(), c.toLowerCase());
            if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** The help line for an unknown name, or none when nothing is close. */
    public static String[] didYouMean(String name, Collection<String> candidates) {
        return closest(name, candidates).map(c -> new String[] {"did you mean '" + c + "'?"})
                .orElse(new String[0]);
    }

    /** Optimal string alignment distance: a transposition counts as one edit, as typos do. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 8) return Integer.MAX_VALUE / 2;
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
