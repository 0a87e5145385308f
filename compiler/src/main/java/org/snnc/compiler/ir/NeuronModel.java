package org.snnc.compiler.ir;

/**
 * A spiking neuron: {@code u_t = leak * u_{t-1} + I_t}; spike when {@code u_t > threshold}; then
 * reset. IF is the case {@code leak = 1}.
 *
 * @param kind        LIF or IF, as written (kept for the reader; semantics are in the numbers)
 * @param leak        multiplicative decay per step, in [0, 1]
 * @param threshold   firing threshold, positive
 * @param reset       subtract θ (soft) or set to zero (hard)
 * @param surrogate   pseudo-derivative for training
 * @param detachReset whether the reset is left out of the gradient, as the released code does
 */
public record NeuronModel(String kind, double leak, double threshold, Reset reset, Surrogate surrogate,
        boolean detachReset) {

    public enum Reset {
        SUBTRACT("subtract"),
        ZERO("zero");

        private final String keyword;

        Reset(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }
}
