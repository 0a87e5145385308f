package org.snnc.simulator;

/**
 * Sums the results of consecutive samples, each run from reset membranes: every counter adds,
 * the step latencies follow one another, and the final state is the last sample's.
 */
public final class SampleTotals {

    private SampleTotals() {
    }

    /** {@code a} then {@code b}; either may be null (nothing run yet). */
    public static SimResult add(SimResult a, SimResult b) {
        if (a == null) return b;
        if (b == null) return a;
        long[][] ca = a.core().all();
        long[][] cb = b.core().all();
        long[][] sum = new long[ca.length][];
        for (int i = 0; i < ca.length; i++) sum[i] = plus(ca[i], cb[i]);
        SimResult.CoreCounters core = new SimResult.CoreCounters(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6],
                sum[7], sum[8]);
        long[] ticks = new long[a.stepTicks().length + b.stepTicks().length];
        System.arraycopy(a.stepTicks(), 0, ticks, 0, a.stepTicks().length);
        System.arraycopy(b.stepTicks(), 0, ticks, a.stepTicks().length, b.stepTicks().length);
        return new SimResult(a.steps() + b.steps(), a.interrupted() || b.interrupted(), plus(a.popSpikes(), b.popSpikes()),
                plus(a.popSynOps(), b.popSynOps()), plus(a.popUpdates(), b.popUpdates()),
                plus(a.inputSpikes(), b.inputSpikes()), core, ticks, null, b.finalU(), b.finalV(),
                a.loopSeconds() + b.loopSeconds());
    }

    private static long[] plus(long[] x, long[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("results of different programs: " + x.length + " vs " + y.length);
        long[] s = new long[x.length];
        for (int i = 0; i < s.length; i++) s[i] = x[i] + y[i];
        return s;
    }
}
