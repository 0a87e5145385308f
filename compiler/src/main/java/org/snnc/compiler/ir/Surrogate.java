package org.snnc.compiler.ir;

/**
 * The pseudo-derivative used for {@code dSpike/dU} in back-propagation.
 *
 * @param kind  which function
 * @param scale overall multiplier (the released Spiking-DeepLab code uses 0.3 on the triangle)
 * @param shape the kind's own sharpness parameter: unused for triangle, slope for fast_sigmoid,
 *              alpha for atan
 */
public record Surrogate(Kind kind, double scale, double shape) {

    public enum Kind {
        /** {@code scale * max(0, 1 - |(u - θ) / θ|)}, the paper's Eq. 6. */
        TRIANGLE("triangle"),
        /** {@code scale / (1 + slope * |u - θ|)^2} (Zenke and Ganguli's SuperSpike). */
        FAST_SIGMOID("fast_sigmoid"),
        /** {@code scale * alpha / 2 / (1 + (π/2 * alpha * (u - θ))^2)}. */
        ATAN("atan");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }
}
