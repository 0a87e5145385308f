package org.snnc.compiler.lower;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.snnc.compiler.mapping.Board;
import org.snnc.compiler.mapping.CoreGraph;
import org.snnc.compiler.mapping.Placed;
import org.snnc.compiler.mapping.Wired;

/**
 * Pass {@code place}: cores onto mesh positions, minimising spike traffic x hops (every edge's
 * weight, the packets per step at a uniform spike rate, times its router hops).
 *
 * <p>Constructive: cores in population order, each population's tiles in row-major spatial order,
 * laid along a serpentine that visits chips in serpentine order and the tiles of each chip in
 * serpentine order, so consecutive layers and neighbouring tiles land close. Then local
 * improvement: a core is moved next to a random neighbour in the core graph, swapping with
 * whatever occupies that slot, kept only when the total cost falls; up to 30 attempts per core
 * from a fixed seed, so the result is deterministic. The search stops early after a round of one
 * attempt per core that lowered the cost by less than 0.5%, or once it has visited
 * {@link #VISITS_PER_CORE} incident edges per core: its work stays linear in the cores.
 *
 * <p>Before: wired cores. After: a slot per core on a {@link Board} large enough for them (grown
 * by rows of chips when the target's board is too small, which the mapping reports).
 */
public final class Place {

    /** One seed for every run: placements are reproducible. */
    public static final long SEED = 0x5eedL;

    private Place() {
    }

    public static Placed run(Wired w) {
        return run(w, SEED, 30);
    }

    /**
     * Incident edges one improvement run may visit, per core: densely connected graphs (hundreds of
     * edges per core) get fewer attempts per core, so that placement stays linear in the cores
     * rather than growing with cores x degree.
     */
    static final long VISITS_PER_CORE = 4000;

    /** @param attemptsPerCore improvement attempts per core (0: constructive placement only) */
    public static Placed run(Wired w, long seed, int attemptsPerCore) {
        int n = w.cores().size();
        Board b = Board.forCores(w.partitioned().target(), n);
        int[] order = serpentine(b);
        int[] slot = new int[n];
        int[] occupant = new int[b.slots()];
        java.util.Arrays.fill(occupant, -1);
        for (int i = 0; i < n; i++) {
            slot[i] = order[i];
            occupant[order[i]] = i;
        }
        order = null;
        CoreGraph g = w.graph();
        // Incident edges of each core, both directions, for cost deltas.
        int[] start = new int[n + 1];
        for (int e = 0; e < g.edges(); e++) {
            start[g.from()[e] + 1]++;
            start[g.to()[e] + 1]++;
        }
        for (int i = 0; i < n; i++) start[i + 1] += start[i];
        // Neighbour and weight side by side, and a core's tile x and y side by side: the
        // improvement loop reads them together from arrays far larger than the caches.
        int[] adj = new int[2 * start[n]];
        int[] fill = Arrays.copyOf(start, n);
        for (int e = 0; e < g.edges(); e++) {
            int a = g.from()[e];
            int c = g.to()[e];
            int k = fill[a]++;
            adj[2 * k] = c;
            adj[2 * k + 1] = g.weight()[e];
            k = fill[c]++;
            adj[2 * k] = a;
            adj[2 * k + 1] = g.weight()[e];
        }
        fill = null;
        // Tile coordinates of every core's slot, kept current, so a cost delta needs no division.
        int[] xy = new int[2 * n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = b.tileX(slot[i]);
            xy[2 * i + 1] = b.tileY(slot[i]);
        }
        long initial = cost(g, xy);
        SplittableRandom rnd = new SplittableRandom(seed);
        long attempts = (long) attemptsPerCore * n;
        long visits = VISITS_PER_CORE * n;
        long current = initial;
        long windowStart = initial;
        for (long t = 0; t < attempts && visits > 0; t++) {
            if (t > 0 && t % n == 0) {
                // A round of one attempt per core that gained less than 0.5% ends the search:
                // densely connected graphs pay hundreds of edge visits per attempt for little.
                if ((windowStart - current) * 200 < current) break;
                windowStart = current;
            }
            int a = rnd.nextInt(n);
            int deg = start[a + 1] - start[a];
            if (deg == 0) continue;
            int c = adj[2 * (start[a] + rnd.nextInt(deg))];
            int x = clamp(xy[2 * c] + rnd.nextInt(3) - 1, b.width());
            int y = clamp(xy[2 * c + 1] + rnd.nextInt(3) - 1, b.height());
            int target = b.slot(x, y, rnd.nextInt(b.coresPerTile()));
            int from = slot[a];
            if (target == from) continue;
            int d = occupant[target];
            visits -= deg + (d >= 0 ? start[d + 1] - start[d] : 0);
            long delta = moveDelta(a, x, y, d, xy, start, adj);
            if (delta < 0) {
                current += delta;
                int fx = xy[2 * a];
                int fy = xy[2 * a + 1];
                slot[a] = target;
                xy[2 * a] = x;
                xy[2 * a + 1] = y;
                occupant[target] = a;
                occupant[from] = d;
                if (d >= 0) {
                    slot[d] = from;
                    xy[2 * d] = fx;
                    xy[2 * d + 1] = fy;
                }
            }
        }
        return new Placed(w, b, slot, initial, cost(g, xy));
    }

    /** Change of cost when core a moves to tile (x, y) and core d (or nobody) to a's tile. */
    private static long moveDelta(int a, int x, int y, int d, int[] xy, int[] start, int[] adj) {
        long delta = 0;
        int fx = xy[2 * a];
        int fy = xy[2 * a + 1];
        for (int e = start[a]; e < start[a + 1]; e++) {
            int o = adj[2 * e];
            if (o == d) continue; // their mutual distance is unchanged by the swap
            int ox = xy[2 * o];
            int oy = xy[2 * o + 1];
            delta += (long) adj[2 * e + 1] * (Math.abs(x - ox) + Math.abs(y - oy) - Math.abs(fx - ox) - Math.abs(fy - oy));
        }
        if (d >= 0) {
            for (int e = start[d]; e < start[d + 1]; e++) {
                int o = adj[2 * e];
                if (o == a) continue;
                int ox = xy[2 * o];
                int oy = xy[2 * o + 1];
                delta += (long) adj[2 * e + 1] * (Math.abs(fx - ox) + Math.abs(fy - oy) - Math.abs(x - ox) - Math.abs(y - oy));
            }
        }
        return delta;
    }

    private static long cost(CoreGraph g, int[] xy) {
        long c = 0;
        for (int e = 0; e < g.edges(); e++) {
            int a = g.from()[e];
            int d = g.to()[e];
            c += (long) g.weight()[e] * (Math.abs(xy[2 * a] - xy[2 * d]) + Math.abs(xy[2 * a + 1] - xy[2 * d + 1]));
        }
        return c;
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /** Total traffic x hops. */
    public static long cost(CoreGraph g, Board b, int[] slot) {
        long c = 0;
        for (int e = 0; e < g.edges(); e++) c += (long) g.weight()[e] * b.hops(slot[g.from()[e]], slot[g.to()[e]]);
        return c;
    }

    /** Every slot, chips in serpentine order, tiles of a chip in serpentine order, cores of a tile in order. */
    static int[] serpentine(Board b) {
        int[] order = new int[b.slots()];
        int i = 0;
        for (int cy = 0; cy < b.chipsY(); cy++) {
            for (int cxi = 0; cxi < b.chipsX(); cxi++) {
                int cx = cy % 2 == 0 ? cxi : b.chipsX() - 1 - cxi;
                for (int ty = 0; ty < b.meshH(); ty++) {
                    for (int txi = 0; txi < b.meshW(); txi++) {
                        int tx = ty % 2 == 0 ? txi : b.meshW() - 1 - txi;
                        for (int k = 0; k < b.coresPerTile(); k++) {
                            order[i++] = b.slot(cx * b.meshW() + tx, cy * b.meshH() + ty, k);
                        }
                    }
                }
            }
        }
        return order;
    }
}
