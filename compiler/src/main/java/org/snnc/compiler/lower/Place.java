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
        Adjacency adj = Adjacency.of(g);
        // Tile coordinates of every core's slot, kept current, so a cost delta needs no division.
        int[] xy = new int[2 * n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = b.tileX(slot[i]);
            xy[2 * i + 1] = b.tileY(slot[i]);
        }
        // Each core's share of the cost, its incident edges' weight x hops, kept current: a move
        // then needs the distances from its new tile alone. Every edge is in two shares.
        long[] share = new long[n];
        long twice = 0;
        for (int i = 0; i < n; i++) {
            share[i] = adj.sum(i, -1, xy[2 * i], xy[2 * i + 1], xy);
            twice += share[i];
        }
        long initial = twice / 2;
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
            int deg = adj.degree(a);
            if (deg == 0) continue;
            int c = adj.neighbour(adj.start[a] + rnd.nextInt(deg));
            int x = clamp(xy[2 * c] + rnd.nextInt(3) - 1, b.width());
            int y = clamp(xy[2 * c + 1] + rnd.nextInt(3) - 1, b.height());
            int target = b.slot(x, y, rnd.nextInt(b.coresPerTile()));
            int from = slot[a];
            if (target == from) continue;
            int d = occupant[target];
            visits -= deg + (d >= 0 ? adj.degree(d) : 0);
            int fx = xy[2 * a];
            int fy = xy[2 * a + 1];
            // The edges between a and d keep their length, |fx - x| + |fy - y|, in a swap.
            long aShare;
            long dShare = 0;
            if (d >= 0) {
                adj.pair(a, d, x, y, fx, fy, xy);
                aShare = adj.sumA;
                dShare = adj.sumD;
            } else {
                aShare = adj.sum(a, -1, x, y, xy);
            }
            long kept = adj.skipped * (Math.abs(fx - x) + Math.abs(fy - y));
            long delta = aShare + kept - share[a] + (d >= 0 ? dShare + kept - share[d] : 0);
            if (delta < 0) {
                current += delta;
                adj.move(a, d, fx, fy, x, y, xy, share);
                share[a] = aShare + kept;
                if (d >= 0) {
                    adj.move(d, a, x, y, fx, fy, xy, share);
                    share[d] = dShare + kept;
                }
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
        // Every accepted move's delta is exact, so the running total is the final cost.
        return new Placed(w, b, slot, initial, current);
    }

    /**
     * Incident edges of every core, both directions, in edge order (by source, then destination):
     * core {@code a}'s are entries {@code [start[a], start[a+1])}. Neighbour and weight share one
     * int where their bits fit (up to about two million cores): the improvement reads random
     * cores' lists from an array far larger than the caches, so its size is what the loop costs.
     */
    static final class Adjacency {
        final int[] start;
        /** {@code neighbour << shift | weight}; the neighbour alone when {@code weight} is not null. */
        final int[] packed;
        final int[] weight;
        final int shift;
        final int mask;

        private Adjacency(int[] start, int[] packed, int[] weight, int shift) {
            this.start = start;
            this.packed = packed;
            this.weight = weight;
            this.shift = shift;
            this.mask = (1 << shift) - 1;
        }

        static Adjacency of(CoreGraph g) {
            return of(g, true);
        }

        /** @param pack false to keep weights apart even where they would fit beside the neighbour */
        static Adjacency of(CoreGraph g, boolean pack) {
            int n = g.cores();
            int[] from = g.from();
            int[] to = g.to();
            int[] w = g.weight();
            int[] start = new int[n + 1];
            int maxWeight = 1;
            for (int e = 0; e < g.edges(); e++) {
                start[from[e] + 1]++;
                start[to[e] + 1]++;
                maxWeight = Math.max(maxWeight, w[e]);
            }
            for (int i = 0; i < n; i++) start[i + 1] += start[i];
            int idBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
            int weightBits = 32 - Integer.numberOfLeadingZeros(maxWeight);
            boolean fits = pack && idBits + weightBits <= 32;
            int shift = fits ? weightBits : 0;
            int[] packed = new int[start[n]];
            int[] weight = fits ? null : new int[start[n]];
            int[] fill = Arrays.copyOf(start, n);
            for (int e = 0; e < g.edges(); e++) {
                int a = from[e];
                int c = to[e];
                // A core's share of the cost would count an edge to itself once, not twice.
                if (a == c) throw new IllegalStateException("core " + a + " sends spikes to itself");
                int ka = fill[a]++;
                int kc = fill[c]++;
                if (fits) {
                    packed[ka] = c << shift | w[e];
                    packed[kc] = a << shift | w[e];
                } else {
                    packed[ka] = c;
                    packed[kc] = a;
                    weight[ka] = w[e];
                    weight[kc] = w[e];
                }
            }
            return new Adjacency(start, packed, weight, shift);
        }

        int degree(int a) {
            return start[a + 1] - start[a];
        }

        int neighbour(int k) {
            return packed[k] >>> shift;
        }

        /** Weight of the edges between the cores {@link #sum} or {@link #pair} was asked about, set by each call. */
        long skipped;
        /** Set by {@link #pair}: the sums of its two cores. */
        long sumA;
        long sumD;

        /**
         * Weight x hops of core {@code a}'s edges were it on tile (x, y), leaving out its edges to
         * {@code skip}, whose weight goes to {@link #skipped}.
         */
        long sum(int a, int skip, int x, int y, int[] xy) {
            skipped = 0;
            return sum(start[a], start[a + 1], skip, x, y, xy);
        }

        /**
         * {@link #sum} of core a on (x, y) leaving out d, and of d on (fx, fy) leaving out a, into
         * {@link #sumA} and {@link #sumD}, in one loop over both lists while both last: two streams
         * from memory at once, where one list after the other waits for memory twice.
         */
        void pair(int a, int d, int x, int y, int fx, int fy, int[] xy) {
            int ea = start[a];
            int ed = start[d];
            int len = Math.min(start[a + 1] - ea, start[d + 1] - ed);
            long sa = 0;
            long sd = 0;
            long left = 0;
            for (int i = 0; i < len; i++) {
                int p = packed[ea + i];
                int o = p >>> shift;
                long wo = weight == null ? p & mask : weight[ea + i];
                if (o == d) left += wo;
                else sa += wo * (Math.abs(x - xy[2 * o]) + Math.abs(y - xy[2 * o + 1]));
                int q = packed[ed + i];
                int r = q >>> shift;
                long wr = weight == null ? q & mask : weight[ed + i];
                if (r != a) sd += wr * (Math.abs(fx - xy[2 * r]) + Math.abs(fy - xy[2 * r + 1]));
            }
            // The edges between a and d are in both lists: their weight is taken from a's alone.
            sumD = sd + sum(ed + len, start[d + 1], a, fx, fy, xy);
            skipped = left;
            sumA = sa + sum(ea + len, start[a + 1], d, x, y, xy);
        }

        /** {@link #sum} over entries {@code [e0, e1)}, adding the weight left out to {@link #skipped}. */
        private long sum(int e0, int e1, int skip, int x, int y, int[] xy) {
            long sum = 0;
            long left = 0;
            for (int e = e0; e < e1; e++) {
                int p = packed[e];
                int o = p >>> shift;
                long wt = weight == null ? p & mask : weight[e];
                if (o == skip) {
                    left += wt;
                    continue;
                }
                sum += wt * (Math.abs(x - xy[2 * o]) + Math.abs(y - xy[2 * o + 1]));
            }
            skipped += left;
            return sum;
        }

        /**
         * Core {@code a} moves from tile (fx, fy) to (x, y): the shares of its neighbours but
         * {@code skip} (which moves too) change by their edges' change of length.
         */
        void move(int a, int skip, int fx, int fy, int x, int y, int[] xy, long[] share) {
            for (int e = start[a]; e < start[a + 1]; e++) {
                int p = packed[e];
                int o = p >>> shift;
                if (o == skip) continue;
                int ox = xy[2 * o];
                int oy = xy[2 * o + 1];
                long wt = weight == null ? p & mask : weight[e];
                share[o] += wt * (Math.abs(x - ox) + Math.abs(y - oy) - Math.abs(fx - ox) - Math.abs(fy - oy));
            }
        }
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
