package org.snnc.compiler.lower;

import org.snnc.compiler.mapping.Board;
import org.snnc.compiler.mapping.CoreGraph;
import org.snnc.compiler.mapping.Placed;
import org.snnc.compiler.mapping.Routed;

/**
 * Pass {@code route}: per-core routing tables with dimension-order routing (X first, then Y).
 *
 * <p>Before: placed cores. After: each core's destination cores; every route is walked router by
 * router on the board and must stay on it and end at its destination's tile, or the pass fails
 * (an internal error: placement put a core off the board).
 */
public final class Route {

    private Route() {
    }

    public static Routed run(Placed placed) {
        CoreGraph g = placed.wired().graph();
        Board b = placed.board();
        int n = g.cores();
        int[] start = new int[n + 1];
        int[] dest = new int[g.edges()];
        for (int e = 0; e < g.edges(); e++) start[g.from()[e] + 1]++;
        for (int i = 0; i < n; i++) start[i + 1] += start[i];
        // Edges are sorted by source, so the tables fill in order.
        long hops = 0;
        long packets = 0;
        long crossings = 0;
        for (int e = 0; e < g.edges(); e++) {
            dest[e] = g.to()[e];
            int s = placed.slot()[g.from()[e]];
            int t = placed.slot()[g.to()[e]];
            int h = walk(b, s, t);
            hops += (long) g.weight()[e] * h;
            packets += g.weight()[e];
            crossings += (long) g.weight()[e] * b.chipCrossings(s, t);
        }
        return new Routed(placed, start, dest, hops, packets, crossings);
    }

    /** Follows the X-then-Y route from slot s to slot t; returns the hops taken. */
    static int walk(Board b, int s, int t) {
        int x = b.tileX(s);
        int y = b.tileY(s);
        int tx = b.tileX(t);
        int ty = b.tileY(t);
        int hops = 0;
        while (x != tx) {
            x += Integer.signum(tx - x);
            hops++;
            check(b, x, y);
        }
        while (y != ty) {
            y += Integer.signum(ty - y);
            hops++;
            check(b, x, y);
        }
        if (b.slot(x, y, 0) / b.coresPerTile() != t / b.coresPerTile() || hops != b.hops(s, t)) {
            throw new IllegalStateException("route from slot " + s + " ended at tile (" + x + "," + y + "), not at slot " + t);
        }
        return hops;
    }

    private static void check(Board b, int x, int y) {
        if (x < 0 || y < 0 || x >= b.width() || y >= b.height()) {
            throw new IllegalStateException("route left the board at tile (" + x + "," + y + ")");
        }
    }
}
