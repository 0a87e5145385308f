package org.snnc.compiler.ir;

/**
 * How a network input turns into what the first layer sees at each time step.
 *
 * @param kind           the scheme
 * @param polarities     for {@code events}: polarity channels per location (2 for DVS on/off);
 *                       the input's channel count is a multiple of it. 1 otherwise.
 * @param windowMs       for {@code events}: milliseconds of events per frame; 0 otherwise
 */
public record Encoding(Kind kind, int polarities, double windowMs) {

    public enum Kind {
        /** A value in [0, 1] spikes with that probability at each step (the paper). */
        POISSON("poisson"),
        /** {@code sign(x) * [U(0,1) <= |x|]}: spikes of -1, 0, +1 (the released code). */
        SIGNED_POISSON("signed_poisson"),
        /** The analog value itself at every step. */
        DIRECT("direct"),
        /** Event frames, e.g. DVS on/off counts per window. */
        EVENTS("events");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }
}
