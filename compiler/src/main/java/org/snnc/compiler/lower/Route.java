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
        for (int e = 0; e < g.edges(); e++) start[g.from()[e] + 1]++;
        for (int i = 0; i < n; i++) start[i + 1] += start[i];
        // Every core's route ends are checked once; an edge's route then needs its corner only.
        // Tile and chip coordinates per core, so that the edge loop divides nothing.
        int[] tx = new int[n];
        int[] ty = new int[n];
        int[] cx = new int[n];
        int[] cy = new int[n];
        for (int i = 0; i < n; i++) {
            int s = placed.slot()[i];
            walk(b, s, s);
            tx[i] = b.tileX(s);
            ty[i] = b.tileY(s);
            cx[i] = tx[i] / b.meshW();
            cy[i] = ty[i] / b.meshH();
        }
        long hops = 0;
        long packets = 0;
        long crossings = 0;
        int w = b.width();
        int h = b.height();
        int[] to = g.to();
        int[] weight = g.weight();
        for (int a = 0; a < n; a++) {
            int ax = tx[a];
            int ay = ty[a];
            int acx = cx[a];
            int acy = cy[a];
            long aHops = 0;
            long aCrossings = 0;
            for (int e = start[a]; e < start[a + 1]; e++) {
                int d = to[e];
                // The X-then-Y corner (tx[d], ty[a]) is on the board when both ends are.
                if (tx[d] >= w || ay >= h) throw new IllegalStateException("route of edge " + e + " leaves the board");
                long wt = weight[e];
                aHops += wt * (Math.abs(ax - tx[d]) + Math.abs(ay - ty[d]));
                aCrossings += wt * (Math.abs(acx - cx[d]) + Math.abs(acy - cy[d]));
                packets += wt;
            }
            hops += aHops;
            crossings += aCrossings;
        }
        // Edges are sorted by source: the graph's destinations are the routing tables in order.
        return new Routed(placed, start, g.to(), hops, packets, crossings);
    }

    /**
     * Checks the X-then-Y route from slot s to slot t and returns its hops. The route runs along
     * row {@code y(s)} to column {@code x(t)}, then along that column: it stays on the board when its
     * two ends and its corner do (rows and columns are straight segments inside the rectangle), and
     * it ends at t's tile after {@code |dx| + |dy|} hops; so three points are checked, not every hop.
     */
    static int walk(Board b, int s, int t) {
        int x = b.tileX(s);
        int y = b.tileY(s);
        int tx = b.tileX(t);
        int ty = b.tileY(t);
        check(b, x, y);
        check(b, tx, y);
        check(b, tx, ty);
        int hops = Math.abs(tx - x) + Math.abs(ty - y);
        if (b.slot(tx, ty, 0) / b.coresPerTile() != t / b.coresPerTile() || hops != b.hops(s, t)) {
            throw new IllegalStateException("route from slot " + s + " ended at tile (" + tx + "," + ty + "), not at slot " + t);
        }
        return hops;
    }

    private static void check(Board b, int x, int y) {
        if (x < 0 || y < 0 || x >= b.width() || y >= b.height()) {
            throw new IllegalStateException("route left the board at tile (" + x + "," + y + ")");
        }
    }
}
