package org.snnc.compiler.ir;

/**
 * Output sizes (PyTorch's formulas) and synapse/MAC counts per layer. Counts are exact and computed
 * per axis in closed loops over kernel taps, never per neuron, so paper-scale layers cost nothing.
 */
public final class LayerMath {

    private LayerMath() {
    }

    /** {@code floor((in + 2p - d(k-1) - 1) / s) + 1}; may be < 1, which callers report. */
    public static long convOut(int in, int kernel, int stride, int padding, int dilation) {
        return Math.floorDiv((long) in + 2L * padding - (long) dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** {@code (in - 1) s - 2p + d(k-1) + output_padding + 1}. */
    public static long convTransposeOut(int in, int kernel, int stride, int padding, int outputPadding, int dilation) {
        return ((long) in - 1) * stride - 2L * padding + (long) dilation * (kernel - 1) + outputPadding + 1;
    }

    /** {@code floor((in + 2p - k) / s) + 1} (ceil_mode false). */
    public static long poolOut(int in, int kernel, int stride, int padding) {
        return Math.floorDiv((long) in + 2L * padding - kernel, stride) + 1;
    }

    /**
     * Number of (output position, kernel tap) pairs along one axis whose input position
     * {@code o*s - p + k*d} lies inside {@code [0, in)}: the taps that are real synapses.
     */
    public static long validTaps(int in, int out, int kernel, int stride, int padding, int dilation) {
        long total = 0;
        for (int k = 0; k < kernel; k++) {
            long offset = (long) k * dilation - padding;
            // o*s + offset in [0, in)  <=>  o in [ceil(-offset/s), ceil((in - offset)/s) - 1]
            long lo = Math.max(0, ceilDiv(-offset, stride));
            long hi = Math.min(out - 1L, ceilDiv(in - offset, stride) - 1);
            if (hi >= lo) total += hi - lo + 1;
        }
        return total;
    }

    /**
     * The transposed convolution's counterpart of {@link #validTaps}: (input position, tap) pairs
     * whose output position {@code i*s - p + k*d} lies inside {@code [0, out)}.
     */
    public static long validTransposedTaps(int in, int out, int kernel, int stride, int padding, int dilation) {
        return validTaps(out, in, kernel, stride, padding, dilation);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** Synapses and MACs of a node, from its op, input shapes and output shape. */
    public static long[] synapsesAndMacs(Op op, Shape in, Shape out) {
        if (op instanceof Op.Conv c) {
            long taps = validTaps(in.height(), out.height(), c.kernel().h(), c.stride().h(), c.padding().h(), c.dilation().h())
                    * validTaps(in.width(), out.width(), c.kernel().w(), c.stride().w(), c.padding().w(), c.dilation().w());
            long channels = (long) in.channels() * c.outChannels();
            long macs = (long) c.kernel().h() * c.kernel().w() * out.height() * out.width() * channels;
            return new long[] {Math.multiplyExact(taps, channels), macs};
        }
        if (op instanceof Op.ConvTranspose t) {
            long taps = validTransposedTaps(in.height(), out.height(), t.kernel().h(), t.stride().h(), t.padding().h(), t.dilation().h())
                    * validTransposedTaps(in.width(), out.width(), t.kernel().w(), t.stride().w(), t.padding().w(), t.dilation().w());
            long channels = (long) in.channels() * t.outChannels();
            // Every input scatters its whole kernel: k² H_in W_in C_in C_out, Eq. 9 read for the transpose.
            long macs = (long) t.kernel().h() * t.kernel().w() * in.height() * in.width() * channels;
            return new long[] {Math.multiplyExact(taps, channels), macs};
        }
        if (op instanceof Op.AvgPool p) {
            long taps = validTaps(in.height(), out.height(), p.kernel().h(), p.stride().h(), p.padding().h(), 1)
                    * validTaps(in.width(), out.width(), p.kernel().w(), p.stride().w(), p.padding().w(), 1);
            return new long[] {taps * in.channels(), 0};
        }
        if (op instanceof Op.Dense d) {
            long n = in.size() * d.outFeatures();
            return new long[] {n, n};
        }
        if (op instanceof Op.SparseProjection s) {
            long n = (long) s.outFeatures() * s.fanIn();
            return new long[] {n, n};
        }
        return new long[] {0, 0};
    }

    /** Neurons or compartments a node holds: one per element for spiking and integrating layers. */
    public static long neurons(Op op, Shape out) {
        return op instanceof Op.Spiking || op instanceof Op.Accumulate ? out.size() : 0;
    }
}
