package org.snnc.compiler.program;

import java.util.SplittableRandom;
import org.snnc.compiler.ir.Node;

/**
 * Deterministic random weights for networks without trained ones: Xavier-uniform as the seed
 * paper's released code initialises (gain 2 there), {@code U(-b, b)} with
 * {@code b = gain * sqrt(6 / (fan_in + fan_out))}, plus an optional mean shift
 * {@code mean * b} that lets deep random networks keep firing.
 *
 * <p>Each layer draws from its own stream, seeded by the run's seed and the layer's name, so a
 * layer's weights do not change when another layer is added or resized.
 */
public record SeededWeights(long seed, double gain, double mean) implements WeightSource {

    /** The released Spiking-DeepLab code's Xavier-uniform gain (DESIGN.md §6). */
    public static final double PAPER_GAIN = 2.0;

    @Override
    public float[] weights(Node layer, int count, int fanIn, int fanOut) {
        double bound = gain * Math.sqrt(6.0 / Math.max(1, fanIn + fanOut));
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ layer.name().hashCode());
        float[] w = new float[count];
        for (int i = 0; i < count; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1 + mean) * bound);
        }
        return w;
    }

    @Override
    public String describe() {
        return String.format("seeded Xavier-uniform weights (seed %d, gain %s, mean %s x bound)", seed, gain, mean);
    }
}
