package org.snnc.simulator;

import java.util.SplittableRandom;

/**
 * The spikes the host writes into the input channels at each step. Implementations are pure
 * functions of the step, so two engines given the same source see the same spikes.
 */
public interface InputSpikes {

    /** The channels that spike at {@code step}, ascending. */
    int[] at(int step);

    /**
     * The channels among {@link #at} whose spike is -1 (signed encodings), ascending. A -1 spike
     * travels like any spike (same synaptic ops, same counts) and subtracts its weights.
     */
    default int[] negativeAt(int step) {
        return new int[0];
    }

    /**
     * Every channel spikes with probability {@code rate} at every step, independently: the
     * Poisson (Bernoulli per step) encoding of a constant image of intensity {@code rate}.
     * Step {@code t} draws from its own stream seeded by {@code seed} and {@code t}.
     */
    static InputSpikes poisson(int channels, double rate, long seed) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("input rate " + rate + " is not in [0, 1]");
        return step -> {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
            int[] buffer = new int[channels];
            int n = 0;
            for (int c = 0; c < channels; c++) {
                if (random.nextDouble() < rate) buffer[n++] = c;
            }
            return java.util.Arrays.copyOf(buffer, n);
        };
    }
}
