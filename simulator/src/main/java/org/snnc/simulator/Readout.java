package org.snnc.simulator;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.program.Program;

/**
 * The host-side readout of a segmentation network: the integrating population's final voltages,
 * converted back to real units and divided by the steps (the mean over time the network's
 * {@code accumulate} stands for), an upsample to the input's size (bilinear, as the networks'
 * host-side {@code upsample}, or nearest-neighbour where that is not known) and the argmax over
 * classes per pixel.
 */
public final class Readout {

    private Readout() {
    }

    /**
     * The program's one integrating population.
     *
     * @throws IllegalArgumentException when it has none or several
     */
    public static Program.Population integrator(Program p) {
        List<Program.Population> found = new ArrayList<>();
        for (Program.Population pop : p.populations()) if (pop.params().integrator() && pop.kind() == Program.Kind.NEURONS) found.add(pop);
        if (found.size() != 1) {
            throw new IllegalArgumentException("a segmentation readout needs exactly one integrating (accumulate) population; "
                    + p.header().network() + " has " + found.size());
        }
        return found.get(0);
    }

    /**
     * The source's bilinear {@code upsample} of the readout layer, which the host applies to the
     * readout's means as the network does; null when no bilinear upsample reads it.
     */
    public static Op.Upsample bilinearUpsampleOf(SpikingIr ir, Node readout) {
        Op.Upsample found = null;
        for (Node reader : ir.nodes()) {
            if (reader.inputs().contains(readout.id()) && reader.op() instanceof Op.Upsample u && u.mode() == Op.Upsample.Mode.BILINEAR) {
                found = u;
            }
        }
        return found;
    }

    /** The population's mean input per step in real units: {@code v / voltageScale / steps}, CHW. */
    public static double[] means(Program.Population pop, long[] finalV, int steps) {
        if (steps < 1) throw new IllegalArgumentException("steps " + steps + " is not positive");
        double[] m = new double[pop.size()];
        for (int i = 0; i < m.length; i++) m[i] = finalV[pop.offset() + i] / (pop.voltageScale(i) * steps);
        return m;
    }

    /**
     * The class map at {@code outH x outW} of means {@code [classes][h][w]}: upsampled bilinearly
     * with {@code alignCorners} and then the argmax, or, when {@code alignCorners} is null (the
     * network's upsample is not known), the argmax upsampled by nearest neighbour, which commutes
     * with it so the small map is enough.
     */
    public static int[] classMap(double[] means, int classes, int h, int w, int outH, int outW, Boolean alignCorners) {
        return alignCorners != null
                ? argmax(upsampleBilinear(means, classes, h, w, outH, outW, alignCorners), classes, outH, outW)
                : upsampleNearest(argmax(means, classes, h, w), h, w, outH, outW);
    }

    /** Per pixel of {@code [classes][h][w]} the class of the largest value; ties go to the lower class. */
    public static int[] argmax(double[] values, int classes, int h, int w) {
        if (values.length != (long) classes * h * w) {
            throw new IllegalArgumentException(values.length + " values are not " + classes + " x " + h + " x " + w);
        }
        int hw = h * w;
        int[] out = new int[hw];
        for (int i = 0; i < hw; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (values[c * hw + i] > values[best * hw + i]) best = c;
            out[i] = best;
        }
        return out;
    }

    /**
     * Bilinear resize of {@code [c][h][w]}, as PyTorch's {@code interpolate}: with
     * {@code alignCorners} the corner pixels of input and output coincide (source coordinate
     * {@code d * (h - 1) / (outH - 1)}); without, pixel centres do ({@code (d + 0.5) * h / outH - 0.5},
     * clamped at 0), so a resize to the same size is the identity either way.
     */
    public static double[] upsampleBilinear(double[] v, int c, int h, int w, int outH, int outW, boolean alignCorners) {
        if (v.length != (long) c * h * w) throw new IllegalArgumentException(v.length + " values are not " + c + " x " + h + " x " + w);
        int[] y0 = new int[outH], y1 = new int[outH], x0 = new int[outW], x1 = new int[outW];
        double[] fy = new double[outH], fx = new double[outW];
        axis(h, outH, alignCorners, y0, y1, fy);
        axis(w, outW, alignCorners, x0, x1, fx);
        double[] out = new double[c * outH * outW];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    double top = v[base + y0[y] * w + x0[x]] * (1 - fx[x]) + v[base + y0[y] * w + x1[x]] * fx[x];
                    double bottom = v[base + y1[y] * w + x0[x]] * (1 - fx[x]) + v[base + y1[y] * w + x1[x]] * fx[x];
                    out[(ch * outH + y) * outW + x] = top * (1 - fy[y]) + bottom * fy[y];
                }
            }
        }
        return out;
    }

    /** For each output index along one axis: the two source indices and the weight of the second. */
    private static void axis(int in, int out, boolean alignCorners, int[] lo, int[] hi, double[] frac) {
        for (int d = 0; d < out; d++) {
            double src = alignCorners ? (out > 1 ? d * (double) (in - 1) / (out - 1) : 0)
                    : Math.max(0, (d + 0.5) * in / out - 0.5);
            int a = Math.min((int) Math.floor(src), in - 1);
            lo[d] = a;
            hi[d] = Math.min(a + 1, in - 1);
            frac[d] = src - a;
        }
    }

    /** Nearest-neighbour resize of {@code [h][w]} with half-pixel centres (identity at equal sizes). */
    public static int[] upsampleNearest(int[] map, int h, int w, int outH, int outW) {
        int[] out = new int[outH * outW];
        for (int y = 0; y < outH; y++) {
            int sy = Math.min((int) ((y + 0.5) * h / outH), h - 1);
            for (int x = 0; x < outW; x++) {
                int sx = Math.min((int) ((x + 0.5) * w / outW), w - 1);
                out[y * outW + x] = map[sy * w + sx];
            }
        }
        return out;
    }

    /**
     * A confusion matrix over samples; label {@code 255} is ignored. A prediction outside the
     * data's classes (the network may have more) counts as wrong for the true class.
     */
    public static final class Confusion {
        public static final int IGNORE = 255;
        private final int classes;
        private final long[] counts;
        private final long[] missedOutside;

        public Confusion(int classes) {
            this.classes = classes;
            this.counts = new long[classes * classes];
            this.missedOutside = new long[classes];
        }

        public void add(int[] predicted, int[] labels) {
            if (predicted.length != labels.length) {
                throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
            }
            for (int i = 0; i < labels.length; i++) {
                int t = labels[i];
                if (t == IGNORE) continue;
                if (t < 0 || t >= classes) throw new IllegalArgumentException("label " + t + " outside 0.." + (classes - 1));
                int p = predicted[i];
                if (p < 0 || p >= classes) missedOutside[t]++;
                else counts[t * classes + p]++;
            }
        }

        /** Correct pixels over labelled pixels; NaN when none is labelled. */
        public double pixelAccuracy() {
            long right = 0, all = 0;
            for (int t = 0; t < classes; t++) {
                right += counts[t * classes + t];
                all += rowTotal(t);
            }
            return all == 0 ? Double.NaN : (double) right / all;
        }

        /** Mean over the classes present in labels or predictions of TP / (TP + FP + FN); NaN when none. */
        public double meanIou() {
            double sum = 0;
            int n = 0;
            for (int c = 0; c < classes; c++) {
                long tp = counts[c * classes + c];
                long fn = rowTotal(c) - tp;
                long fp = 0;
                for (int t = 0; t < classes; t++) if (t != c) fp += counts[t * classes + c];
                long union = tp + fp + fn;
                if (union == 0) continue;
                sum += (double) tp / union;
                n++;
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        private long rowTotal(int t) {
            long s = missedOutside[t];
            for (int p = 0; p < classes; p++) s += counts[t * classes + p];
            return s;
        }
    }
}
