package org.snnc.compiler.lower;

import java.util.Optional;

/**
 * The {@code fold} pass: a {@code bntt} or {@code batchnorm} node folded into the weights of the
 * synaptic layer before it and the threshold of the population after it.
 *
 * <p>Per time step t and channel c, normalisation computes {@code y = s[t][c] * x + b[t][c]} with
 * {@code s = γ / sqrt(var + eps)} and {@code b = β - s * mean}. A static core holds one weight per
 * synapse for every step, so the fold is an approximation for BNTT, whose γ (and statistics)
 * differ per step:
 * <ul>
 *   <li>{@link Mode#AVERAGE} (default): {@code w' = w * mean_t(s[t][c])};</li>
 *   <li>{@link Mode#LAST}: {@code w' = w * s[T-1][c]}, the step a rate readout weighs most once
 *       the network has settled.</li>
 * </ul>
 * The report gives, per layer, the largest relative distance {@code |s[t][c] - s'[c]| / |s'[c]|}
 * of any step's scale from the one folded in, so a user sees how much the fold bends each step.
 *
 * <p>The shift b is a constant input per step: the program builder gives it to each neuron as a
 * bias added at every step (Loihi's compartment bias), exact for batchnorm and averaged like s for
 * BNTT.
 *
 * <p>Without trained statistics (seeded random weights) the fold is the identity: scale 1,
 * shift 0, deviation 0.
 */
public final class FoldNorm {

    /** Which step's scale a static weight takes. */
    public enum Mode { AVERAGE, LAST }

    /**
     * Trained normalisation parameters, indexed {@code [step][channel]}; a {@code batchnorm} has
     * one step. β may be all zeros (BNTT without shift, batchnorm without affine).
     */
    public record Stats(double[][] gamma, double[][] beta, double[][] mean, double[][] var, double eps) {
        public Stats {
            int steps = gamma.length;
            if (steps == 0) throw new IllegalArgumentException("normalisation statistics need at least one step");
            int channels = gamma[0].length;
            for (double[][] a : new double[][][] {gamma, beta, mean, var}) {
                if (a.length != steps) throw new IllegalArgumentException("every statistic needs " + steps + " steps");
                for (double[] row : a) {
                    if (row.length != channels) throw new IllegalArgumentException("every step needs " + channels + " channels");
                }
            }
            for (double[] row : var) {
                for (double v : row) {
                    if (!(v + eps > 0)) throw new IllegalArgumentException("var + eps must be positive, got " + (v + eps));
                }
            }
        }

        int steps() {
            return gamma.length;
        }

        int channels() {
            return gamma[0].length;
        }
    }

    /**
     * One folded normalisation layer.
     *
     * @param layer        the bntt/batchnorm node
     * @param op           its keyword
     * @param trained      false when no statistics existed and the fold is the identity
     * @param mode         which fold was applied
     * @param steps        time steps of the statistics (1 for batchnorm)
     * @param scale        per channel, the factor folded into the weights
     * @param shift        per channel, the constant per-step input (the neurons' bias)
     * @param maxDeviation largest relative distance of any step's scale from {@code scale}
     */
    public record LayerReport(String layer, String op, boolean trained, Mode mode, int steps, double[] scale,
            double[] shift, double maxDeviation) {

        /** Whether folding changes nothing: every scale exactly 1 and every shift 0. */
        public boolean identity() {
            for (double s : scale) if (s != 1.0) return false;
            for (double b : shift) if (b != 0.0) return false;
            return true;
        }

        /** One line for the compile report. */
        public String summary() {
            if (!trained) return layer + ": " + op + " runs as the identity (no trained statistics or scales)";
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            double shiftMax = 0;
            for (double s : scale) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
            for (double b : shift) shiftMax = Math.max(shiftMax, Math.abs(b));
            return String.format("%s: %s folded (%s over %d step(s)): scale %.4g..%.4g, |shift| <= %.4g, "
                    + "max step deviation %.2f%%", layer, op, mode.name().toLowerCase(), steps, lo, hi, shiftMax,
                    100 * maxDeviation);
        }
    }

    private FoldNorm() {
    }

    /**
     * Folds one normalisation layer.
     *
     * @param channels the layer's channel count (checked against the statistics)
     * @param stats    trained statistics, or empty for the identity
     */
    public static LayerReport fold(String layer, String op, int channels, Optional<Stats> stats, Mode mode) {
        if (stats.isEmpty()) {
            double[] one = new double[channels];
            java.util.Arrays.fill(one, 1.0);
            return new LayerReport(layer, op, false, mode, 1, one, new double[channels], 0.0);
        }
        Stats st = stats.get();
        if (st.channels() != channels) {
            throw new IllegalArgumentException(layer + ": statistics for " + st.channels() + " channels, layer has " + channels);
        }
        int steps = st.steps();
        double[][] s = new double[steps][channels];
        double[][] b = new double[steps][channels];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < channels; c++) {
                s[t][c] = st.gamma()[t][c] / Math.sqrt(st.var()[t][c] + st.eps());
                b[t][c] = st.beta()[t][c] - s[t][c] * st.mean()[t][c];
            }
        }
        double[] scale = new double[channels];
        double[] shift = new double[channels];
        for (int c = 0; c < channels; c++) {
            if (mode == Mode.LAST) {
                scale[c] = s[steps - 1][c];
                shift[c] = b[steps - 1][c];
            } else {
                for (int t = 0; t < steps; t++) {
                    scale[c] += s[t][c] / steps;
                    shift[c] += b[t][c] / steps;
                }
            }
        }
        double dev = 0;
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < channels; c++) {
                double d = Math.abs(s[t][c] - scale[c]);
                // A channel folded to scale 0 with any non-zero step is wholly wrong at that step.
                dev = Math.max(dev, scale[c] == 0 ? (d == 0 ? 0 : Double.POSITIVE_INFINITY) : d / Math.abs(scale[c]));
            }
        }
        return new LayerReport(layer, op, true, mode, steps, scale, shift, dev);
    }

    /**
     * Applies the fold to weights laid out {@code [C_out][rest]} (conv, dense): output channel c's
     * weights are multiplied by {@code scale[c]}.
     */
    public static float[] foldWeights(float[] w, LayerReport fold) {
        int channels = fold.scale().length;
        if (w.length % channels != 0) {
            throw new IllegalArgumentException(w.length + " weights do not split into " + channels + " output channels");
        }
        int per = w.length / channels;
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) out[i] = (float) (w[i] * fold.scale()[i / per]);
        return out;
    }
}
