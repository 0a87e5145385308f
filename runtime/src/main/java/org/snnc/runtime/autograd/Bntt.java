package org.snnc.runtime.autograd;

/**
 * Batch normalisation through time: one independent {@link BatchNorm2d} per time step, each with
 * its own scale, shift and running statistics (the released BNTT code keeps a
 * {@code ModuleList} of {@code BatchNorm2d}, one per step). Step {@code t} of every sample uses
 * {@link #step(int) step(t)}; a trainer keeps each step's {@link BatchNorm2d.Saved} for BPTT.
 */
public final class Bntt {

    private final BatchNormSpec spec;
    private final BatchNorm2d[] steps;

    /** @param timesteps number of time steps T, at least 1 */
    public Bntt(BatchNormSpec spec, int timesteps) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("timesteps must be positive, got " + timesteps);
        }
        this.spec = spec;
        steps = new BatchNorm2d[timesteps];
        for (int t = 0; t < timesteps; t++) {
            steps[t] = new BatchNorm2d(spec);
        }
    }

    public BatchNormSpec spec() {
        return spec;
    }

    public int timesteps() {
        return steps.length;
    }

    /** The normalisation of time step {@code t} in {@code [0, timesteps)}. */
    public BatchNorm2d step(int t) {
        if (t < 0 || t >= steps.length) {
            throw new IndexOutOfBoundsException("time step " + t + " outside [0, " + steps.length + ")");
        }
        return steps[t];
    }
}
