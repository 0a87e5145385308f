package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.mapping.CoreGraph;

/**
 * The placement's incident lists, packed (neighbour and weight in one int) and apart, against the
 * edge list they come from: same neighbours in edge order, same weighted distances.
 */
class PlaceAdjacencyTest {

    @Test
    void packedAndApartAgreeWithTheEdges() {
        for (int round = 0; round < 40; round++) {
            SplittableRandom rnd = new SplittableRandom(round);
            int n = 2 + rnd.nextInt(60);
            // Sorted by source then destination, each pair once, no core to itself, as connect builds it.
            List<int[]> edges = new ArrayList<>();
            for (int a = 0; a < n; a++) {
                for (int c = 0; c < n; c++) {
                    if (c != a && rnd.nextInt(4) == 0) edges.add(new int[] {a, c, 1 + rnd.nextInt(round < 20 ? 30 : 1 << 20)});
                }
            }
            int[] from = new int[edges.size()];
            int[] to = new int[edges.size()];
            int[] weight = new int[edges.size()];
            for (int e = 0; e < edges.size(); e++) {
                from[e] = edges.get(e)[0];
                to[e] = edges.get(e)[1];
                weight[e] = edges.get(e)[2];
            }
            CoreGraph g = new CoreGraph(n, from, to, weight);
            int[] xy = new int[2 * n];
            for (int i = 0; i < 2 * n; i++) xy[i] = rnd.nextInt(12);
            Place.Adjacency packed = Place.Adjacency.of(g, true);
            Place.Adjacency apart = Place.Adjacency.of(g, false);
            for (int a = 0; a < n; a++) {
                // Incident edges in edge order, both directions.
                List<Integer> expected = new ArrayList<>();
                for (int e = 0; e < from.length; e++) {
                    if (from[e] == a) expected.add(to[e]);
                    if (to[e] == a) expected.add(from[e]);
                }
                for (Place.Adjacency adj : List.of(packed, apart)) {
                    assertEquals(expected.size(), adj.degree(a));
                    for (int k = 0; k < expected.size(); k++) assertEquals(expected.get(k), adj.neighbour(adj.start[a] + k));
                }
                int skip = rnd.nextInt(n);
                int x = rnd.nextInt(12);
                int y = rnd.nextInt(12);
                long sum = 0;
                long skipped = 0;
                for (int e = 0; e < from.length; e++) {
                    int o = from[e] == a ? to[e] : to[e] == a ? from[e] : -1;
                    if (o < 0) continue;
                    if (o == skip) skipped += weight[e];
                    else sum += (long) weight[e] * (Math.abs(x - xy[2 * o]) + Math.abs(y - xy[2 * o + 1]));
                }
                for (Place.Adjacency adj : List.of(packed, apart)) {
                    assertEquals(sum, adj.sum(a, skip, x, y, xy), "round " + round + " core " + a);
                    assertEquals(skipped, adj.skipped);
                }
                if (skip != a) {
                    int fx = rnd.nextInt(12);
                    int fy = rnd.nextInt(12);
                    for (Place.Adjacency adj : List.of(packed, apart)) {
                        long d = adj.sum(skip, a, fx, fy, xy);
                        adj.pair(a, skip, x, y, fx, fy, xy);
                        assertEquals(sum, adj.sumA);
                        assertEquals(d, adj.sumD);
                        assertEquals(skipped, adj.skipped, "edges between the pair, counted once");
                    }
                }
            }
        }
    }
}
