package org.snnc.runtime.autograd;

/**
 * Leaky integrate-and-fire dynamics, per neuron and time step {@code t}:
 * <pre>
 *   v_t = leak * u_{t-1} + I_t              (u_{-1} = 0)
 *   o_t = 1 if v_t > threshold else 0
 *   u_t = v_t - threshold * o_t             (reset SUBTRACT, "soft")
 *   u_t = v_t * (1 - o_t)                   (reset ZERO, "hard")
 * </pre>
 * {@code leak = 1} gives IF. The paper and its code use leak 0.99, threshold 1, soft reset,
 * and no gradient through the reset ({@code detachReset = true}).
 *
 * @param detachReset true: back-propagation treats the {@code o_t} inside the reset as a
 *                    constant, as the released code does
 */
public record LifSpec(float leak, float threshold, Reset reset, boolean detachReset, Surrogate surrogate) {

    /** What happens to the membrane after a spike. */
    public enum Reset {
        /** {@code u -= threshold}. */
        SUBTRACT,
        /** {@code u = 0}. */
        ZERO
    }

    public LifSpec {
        if (!(leak >= 0 && leak <= 1)) {
            throw new IllegalArgumentException("leak must be in [0, 1], got " + leak);
        }
        if (!(threshold > 0) || Float.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be positive and finite, got " + threshold);
        }
        if (reset == null || surrogate == null) {
            throw new IllegalArgumentException("reset and surrogate are required");
        }
    }

    /** The released code's neuron: leak 0.99, threshold 1, soft reset detached, triangle scaled by 0.3. */
    public static LifSpec released() {
        return new LifSpec(0.99f, 1f, Reset.SUBTRACT, true, Surrogate.Triangle.released());
    }
}
