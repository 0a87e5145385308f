package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.mapping.Geometry;
import org.snnc.compiler.mapping.Tiling;
import org.snnc.compiler.program.SparseDraw;

class SparseCountsTest {

    @Test
    void replayedDrawsAreSparseDrawsSets() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 40; round++) {
            int inputs = 1 + rnd.nextInt(300);
            int fanIn = 1 + rnd.nextInt(inputs);
            int outputs = 1 + rnd.nextInt(50);
            long seed = rnd.nextLong();
            int[] d = SparseCounts.draw(seed, outputs, fanIn, inputs);
            for (int o = 0; o < outputs; o++) {
                int[] mine = Arrays.copyOfRange(d, o * fanIn, (o + 1) * fanIn);
                Arrays.sort(mine);
                assertArrayEquals(SparseDraw.inputs(seed, o, fanIn, inputs), mine, "neuron " + o);
            }
        }
    }

    @Test
    void countsMatchABruteForceOverTheDraws() {
        Geometry.Random r = new Geometry.Random(90, 17, 42);
        Shape q = new Shape(40, 1, 1);
        Tiling t = new Tiling(7, 1, 1, 2, 6, 1, 1);
        int[] distinct = SparseCounts.distinct(r, q, 7, 1, 1, 2);
        int[] dests = new int[90];
        for (int g = 0; g < 6; g++) {
            for (int j = 0; j < 2; j++) {
                BitSet seen = new BitSet();
                for (int o = g * 7; o < Math.min(40, g * 7 + 7); o++) {
                    int[] in = SparseDraw.inputs(42, o, 17, 90);
                    for (int i = (int) Tiling.sliceStart(17, 2, j); i < Tiling.sliceStart(17, 2, j + 1); i++) seen.set(in[i]);
                }
                assertEquals(seen.cardinality(), distinct[g * 2 + j], "group " + g + " share " + j);
                seen.stream().forEach(s -> dests[s]++);
            }
        }
        assertArrayEquals(dests, SparseCounts.dests(r, q, t));
    }
}
