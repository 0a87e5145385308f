package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.mapping.CoreGraph;

/** The core graph built from edges emitted in any order, with repeats, against a sorted map. */
class ConnectBuildTest {

    @Test
    void sortsMergesAndCapsLikeASortedMap() {
        for (int round = 0; round < 50; round++) {
            SplittableRandom rnd = new SplittableRandom(round);
            int cores = 1 + rnd.nextInt(40);
            long[] neurons = new long[cores];
            for (int c = 0; c < cores; c++) neurons[c] = 1 + rnd.nextInt(30);
            int count = rnd.nextInt(400);
            // Some rounds emit each source's destinations in order, as the passes mostly do.
            boolean ordered = round % 3 == 0;
            int[][] edges = new int[count][3];
            for (int i = 0; i < count; i++) {
                edges[i][0] = ordered ? i * cores / Math.max(1, count) : rnd.nextInt(cores);
                edges[i][1] = ordered ? (i * 7) % cores : rnd.nextInt(cores);
                edges[i][2] = rnd.nextInt(25) - 4;
            }
            if (ordered) java.util.Arrays.sort(edges, (x, y) -> x[0] != y[0] ? x[0] - y[0] : x[1] - y[1]);
            TreeMap<Long, Long> expected = new TreeMap<>();
            for (int[] e : edges) {
                if (e[2] <= 0) continue;
                expected.merge(((long) e[0] << 32) | e[1], (long) e[2], Long::sum);
            }
            CoreGraph g = Connect.build(cores, neurons, sink -> {
                for (int[] e : edges) sink.add(e[0], e[1], e[2]);
            });
            int[] from = new int[expected.size()];
            int[] to = new int[expected.size()];
            int[] weight = new int[expected.size()];
            int k = 0;
            for (var e : expected.entrySet()) {
                from[k] = (int) (e.getKey() >>> 32);
                to[k] = (int) (long) e.getKey();
                weight[k] = (int) Math.min(neurons[from[k]], e.getValue());
                k++;
            }
            assertEquals(cores, g.cores());
            assertArrayEquals(from, g.from(), "round " + round);
            assertArrayEquals(to, g.to(), "round " + round);
            assertArrayEquals(weight, g.weight(), "round " + round);
        }
    }
}
