package org.snnc.runtime.model;

import java.util.SplittableRandom;

/** Weight initialisation of convolution, dense and sparse weights; biases start at 0. */
public enum Init {
    /**
     * Xavier (Glorot) uniform with gain 2, as the released Spiking-DeepLab code:
     * {@code U(-b, b)}, {@code b = 2 sqrt(6 / (fan_in + fan_out))}.
     */
    XAVIER,
    /** Kaiming (He) uniform for ReLU-like units, PyTorch's {@code mode='fan_in'}: {@code b = sqrt(6 / fan_in)}. */
    KAIMING;

    /** Fills {@code w} with this distribution; fans as PyTorch computes them for the layout. */
    void fill(float[] w, long fanIn, long fanOut, SplittableRandom random) {
        double bound = this == XAVIER
                ? 2.0 * Math.sqrt(6.0 / (fanIn + fanOut))
                : Math.sqrt(6.0 / fanIn);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
    }
}
