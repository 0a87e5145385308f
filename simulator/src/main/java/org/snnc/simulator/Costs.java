package org.snnc.simulator;

import org.snnc.compiler.target.Quantity;
import org.snnc.compiler.target.Target;

/**
 * The target's latencies as whole ticks, so that cycle counts are exact integers. A tick is one
 * clock cycle when the target has a clock; asynchronous targets (Loihi, TrueNorth) have none and
 * are counted in picoseconds. {@code tickNs} says which.
 *
 * @param tickNs        nanoseconds per tick
 * @param synapticOp    ticks per synaptic operation
 * @param neuronUpdate  ticks per neuron update
 * @param spikeOut      ticks per spike leaving a core
 * @param hopWithinTile ticks per hop between cores of one tile
 * @param hopEastWest   ticks per tile crossed along x
 * @param hopNorthSouth ticks per tile crossed along y
 * @param hopInterChip  ticks per chip-to-chip link crossed
 * @param barrier       ticks of the barrier that ends every step
 * @param minStep       shortest step, in ticks
 */
public record Costs(double tickNs, long synapticOp, long neuronUpdate, long spikeOut, long hopWithinTile,
        long hopEastWest, long hopNorthSouth, long hopInterChip, long barrier, long minStep) {

    /** Ticks of a clockless target: picoseconds. */
    public static final double PICOSECOND_NS = 0.001;

    public static Costs of(Target t) {
        double tick = t.timing().clock().map(c -> 1000.0 / c.value()).orElse(PICOSECOND_NS);
        var tm = t.timing();
        return new Costs(tick, ticks(t, tm.synapticOp(), tick), ticks(t, tm.neuronUpdate(), tick), ticks(t, tm.spikeOut(), tick),
                ticks(t, tm.hopWithinTile(), tick), ticks(t, tm.hopEastWest(), tick), ticks(t, tm.hopNorthSouth(), tick),
                ticks(t, t.board().interChipHopLatency(), tick), ticks(t, tm.barrier(), tick), ticks(t, tm.minStep(), tick));
    }

    private static long ticks(Target t, Quantity q, double tickNs) {
        return Math.round(t.timing().nanoseconds(q) / tickNs);
    }

    /** Whether ticks are clock cycles (rather than picoseconds). */
    public boolean clocked() {
        return tickNs != PICOSECOND_NS;
    }
}
