package org.snnc.simulator;

import java.util.Arrays;
import java.util.List;

/**
 * What a run counted. Arrays are indexed by population, input group or core as in the program.
 * Every count is exact; an engine must produce equal results for equal inputs (the engines'
 * tests compare them field by field with {@link #differenceFrom}).
 *
 * @param steps          time steps run
 * @param interrupted    whether the run stopped early on request; counts cover {@code steps}
 * @param popSpikes      spikes per population
 * @param popSynOps      synaptic operations (ACs) per population: weights added into its neurons
 * @param popUpdates     neuron updates per population
 * @param inputSpikes    spikes per input group
 * @param core           per-core counters
 * @param stepTicks      latency of every step, in ticks ({@link Costs#tickNs()})
 * @param spikeTrain     the neurons that fired at each step, ascending; null unless recorded
 * @param finalU         every neuron's current at the end
 * @param finalV         every neuron's voltage at the end (the integrators' readout)
 * @param loopSeconds    host wall time of the step loop alone (tables built before it excluded);
 *                       a measurement, so {@link #differenceFrom} ignores it
 */
public record SimResult(int steps, boolean interrupted, long[] popSpikes, long[] popSynOps, long[] popUpdates,
        long[] inputSpikes, CoreCounters core, long[] stepTicks, List<int[]> spikeTrain, long[] finalU, long[] finalV,
        double loopSeconds) {

    /**
     * Per-core counters. Synaptic ops count where they are performed (the target's core); spikes,
     * packets and hops where they leave (the source's core). A packet to the neuron's own core
     * crosses no link.
     *
     * @param busyTicks ticks the core spent on its own work, summed over steps
     */
    public record CoreCounters(long[] spikes, long[] synOps, long[] updates, long[] busyTicks, long[] packets,
            long[] hopsWithinTile, long[] hopsEastWest, long[] hopsNorthSouth, long[] hopsInterChip) {

        public static CoreCounters of(int cores) {
            return new CoreCounters(new long[cores], new long[cores], new long[cores], new long[cores], new long[cores],
                    new long[cores], new long[cores], new long[cores], new long[cores]);
        }

        long[][] all() {
            return new long[][] {spikes, synOps, updates, busyTicks, packets, hopsWithinTile, hopsEastWest, hopsNorthSouth, hopsInterChip};
        }
    }

    public long totalSpikes() {
        return sum(popSpikes);
    }

    public long totalSynOps() {
        return sum(popSynOps);
    }

    public long totalUpdates() {
        return sum(popUpdates);
    }

    public long totalInputSpikes() {
        return sum(inputSpikes);
    }

    public long hopsWithinTile() {
        return sum(core.hopsWithinTile());
    }

    public long hopsEastWest() {
        return sum(core.hopsEastWest());
    }

    public long hopsNorthSouth() {
        return sum(core.hopsNorthSouth());
    }

    public long hopsInterChip() {
        return sum(core.hopsInterChip());
    }

    /** Link crossings of every kind. */
    public long totalHops() {
        return hopsWithinTile() + hopsEastWest() + hopsNorthSouth() + hopsInterChip();
    }

    /** The run's length in ticks: the sum of the step latencies. */
    public long totalTicks() {
        return sum(stepTicks);
    }

    static long sum(long[] a) {
        long s = 0;
        for (long x : a) s += x;
        return s;
    }

    /** The first field in which two results differ, or null when they agree in every count and spike. */
    public String differenceFrom(SimResult o) {
        if (steps != o.steps) return "steps " + steps + " vs " + o.steps;
        if (interrupted != o.interrupted) return "interrupted";
        String[] names = {"popSpikes", "popSynOps", "popUpdates", "inputSpikes", "stepTicks", "finalU", "finalV"};
        long[][] mine = {popSpikes, popSynOps, popUpdates, inputSpikes, stepTicks, finalU, finalV};
        long[][] theirs = {o.popSpikes, o.popSynOps, o.popUpdates, o.inputSpikes, o.stepTicks, o.finalU, o.finalV};
        for (int i = 0; i < names.length; i++) {
            if (!Arrays.equals(mine[i], theirs[i])) return names[i] + ": " + firstDiff(mine[i], theirs[i]);
        }
        String[] coreNames = {"spikes", "synOps", "updates", "busyTicks", "packets", "hopsWithinTile", "hopsEastWest",
                "hopsNorthSouth", "hopsInterChip"};
        long[][] a = core.all();
        long[][] b = o.core.all();
        for (int i = 0; i < a.length; i++) {
            if (!Arrays.equals(a[i], b[i])) return "core." + coreNames[i] + ": " + firstDiff(a[i], b[i]);
        }
        if ((spikeTrain == null) != (o.spikeTrain == null)) return "one result has no spike train";
        if (spikeTrain != null) {
            for (int t = 0; t < spikeTrain.size(); t++) {
                if (!Arrays.equals(spikeTrain.get(t), o.spikeTrain.get(t))) {
                    return "spikes at step " + t + ": " + Arrays.toString(spikeTrain.get(t)) + " vs " + Arrays.toString(o.spikeTrain.get(t));
                }
            }
        }
        return null;
    }

    private static String firstDiff(long[] a, long[] b) {
        if (a.length != b.length) return "lengths " + a.length + " vs " + b.length;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return "[" + i + "] " + a[i] + " vs " + b[i];
        return "equal";
    }
}
