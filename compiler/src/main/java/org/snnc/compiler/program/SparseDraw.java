package org.snnc.compiler.program;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The connectivity of {@code sparse(out, fan_in, seed)}: output {@code o} reads {@code fan_in}
 * distinct inputs drawn uniformly (Floyd's algorithm) from a stream seeded by the layer's seed
 * and {@code o}, in ascending order. One definition for every stage that needs the draw.
 */
public final class SparseDraw {

    private SparseDraw() {
    }

    /** The inputs of output {@code o}, ascending; {@code fanIn <= inputs}. */
    public static int[] inputs(long seed, int o, int fanIn, int inputs) {
        SplittableRandom random = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + o);
        // Floyd: for j in [inputs - fanIn, inputs): pick t in [0, j]; take t unless taken, else j.
        int[] chosen = new int[fanIn];
        java.util.BitSet taken = new java.util.BitSet(inputs);
        int n = 0;
        for (int j = inputs - fanIn; j < inputs; j++) {
            int t = random.nextInt(j + 1);
            int pick = taken.get(t) ? j : t;
            taken.set(pick);
            chosen[n++] = pick;
        }
        Arrays.sort(chosen);
        return chosen;
    }
}
