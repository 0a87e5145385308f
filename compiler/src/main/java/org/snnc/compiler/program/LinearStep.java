package org.snnc.compiler.program;

import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.Shape;

/**
 * One linear layer seen backwards: which inputs, with which coefficients, make one output. The
 * builder composes chains of these (avgpool then conv, conv then conv, ...) into one synapse
 * table from a spiking source to a population. Indices are flat CHW.
 */
abstract class LinearStep {

    /** Receives one (input, coefficient) pair. */
    interface Sink {
        void add(int input, double coefficient);
    }

    final Node node;

    LinearStep(Node node) {
        this.node = node;
    }

    /** Calls {@code sink} for every input that contributes to output {@code out}. */
    abstract void backward(int out, Sink sink);

    /**
     * This step followed by a per-output-channel scale (a folded normalisation), as one step of the
     * same kind where the weights can take the scale, else the two steps as a {@link ChannelScale}.
     *
     * @param plane outputs per channel
     */
    LinearStep scaled(double[] scale, int plane) {
        return new ChannelScale(node, this, scale, plane);
    }

    /** {@code w * scale[channel of its output]} for weights laid out {@code [C_out][perOut]}. */
    static float[] scaleRows(float[] w, double[] scale, int perOut) {
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) out[i] = (float) (w[i] * scale[i / perOut]);
        return out;
    }

    static LinearStep of(Node node, Shape in, WeightSource weights) {
        Shape out = node.shape();
        if (node.op() instanceof Op.Conv c) {
            int fanIn = in.channels() * c.kernel().h() * c.kernel().w();
            int fanOut = c.outChannels() * c.kernel().h() * c.kernel().w();
            float[] w = weights.weights(node, Math.multiplyExact(c.outChannels(), fanIn), fanIn, fanOut);
            return new Conv(node, in, out, c, w);
        }
        if (node.op() instanceof Op.ConvTranspose t) {
            int fanIn = in.channels() * t.kernel().h() * t.kernel().w();
            int fanOut = t.outChannels() * t.kernel().h() * t.kernel().w();
            float[] w = weights.weights(node, Math.multiplyExact(in.channels(), fanOut), fanIn, fanOut);
            return new Transposed(node, in, out, t, w);
        }
        if (node.op() instanceof Op.AvgPool p) {
            return new Pool(node, in, out, p);
        }
        if (node.op() instanceof Op.Dense d) {
            int fanIn = Math.toIntExact(in.size());
            float[] w = weights.weights(node, Math.multiplyExact(d.outFeatures(), fanIn), fanIn, d.outFeatures());
            return new Dense(node, fanIn, w);
        }
        if (node.op() instanceof Op.SparseProjection s) {
            int inputs = Math.toIntExact(in.size());
            int fanOut = (int) Math.max(1, Math.round((double) s.outFeatures() * s.fanIn() / inputs));
            float[] w = weights.weights(node, Math.multiplyExact(s.outFeatures(), s.fanIn()), s.fanIn(), fanOut);
            return new Sparse(node, inputs, s, w);
        }
        throw new IllegalArgumentException("not a linear layer: " + node.op().keyword());
    }

    static final class Conv extends LinearStep {
        final Shape in, out;
        final Op.Conv c;
        final float[] w;

        Conv(Node node, Shape in, Shape out, Op.Conv c, float[] w) {
            super(node);
            this.in = in;
            this.out = out;
            this.c = c;
            this.w = w;
        }

        @Override
        void backward(int o, Sink sink) {
            int plane = out.height() * out.width();
            int co = o / plane, oy = (o % plane) / out.width(), ox = o % out.width();
            int kh = c.kernel().h(), kw = c.kernel().w();
            for (int ci = 0; ci < in.channels(); ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * c.stride().h() - c.padding().h() + ky * c.dilation().h();
                    if (iy < 0 || iy >= in.height()) continue;
                    for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * c.stride().w() - c.padding().w() + kx * c.dilation().w();
                        if (ix < 0 || ix >= in.width()) continue;
                        sink.add((ci * in.height() + iy) * in.width() + ix, w[((co * in.channels() + ci) * kh + ky) * kw + kx]);
                    }
                }
            }
        }

        @Override
        LinearStep scaled(double[] scale, int plane) {
            return new Conv(node, in, out, c, scaleRows(w, scale, w.length / c.outChannels()));
        }
    }

    static final class Transposed extends LinearStep {
        final Shape in, out;
        final Op.ConvTranspose t;
        final float[] w;

        Transposed(Node node, Shape in, Shape out, Op.ConvTranspose t, float[] w) {
            super(node);
            this.in = in;
            this.out = out;
            this.t = t;
            this.w = w;
        }

        @Override
        void backward(int o, Sink sink) {
            int plane = out.height() * out.width();
            int co = o / plane, oy = (o % plane) / out.width(), ox = o % out.width();
            int kh = t.kernel().h(), kw = t.kernel().w(), cout = t.outChannels();
            // Output y = iy*s - p + ky*d, so iy = (y + p - ky*d) / s when that divides exactly.
            for (int ci = 0; ci < in.channels(); ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    int ny = oy + t.padding().h() - ky * t.dilation().h();
                    if (ny < 0 || ny % t.stride().h() != 0 || ny / t.stride().h() >= in.height()) continue;
                    int iy = ny / t.stride().h();
                    for (int kx = 0; kx < kw; kx++) {
                        int nx = ox + t.padding().w() - kx * t.dilation().w();
                        if (nx < 0 || nx % t.stride().w() != 0 || nx / t.stride().w() >= in.width()) continue;
                        int ix = nx / t.stride().w();
                        sink.add((ci * in.height() + iy) * in.width() + ix, w[((ci * cout + co) * kh + ky) * kw + kx]);
                    }
                }
            }
        }
    }

    static final class Pool extends LinearStep {
        final Shape in, out;
        final Op.AvgPool p;

        Pool(Node node, Shape in, Shape out, Op.AvgPool p) {
            super(node);
            this.in = in;
            this.out = out;
            this.p = p;
        }

        @Override
        void backward(int o, Sink sink) {
            int plane = out.height() * out.width();
            int c = o / plane, oy = (o % plane) / out.width(), ox = o % out.width();
            int kh = p.kernel().h(), kw = p.kernel().w();
            int y0 = oy * p.stride().h() - p.padding().h(), x0 = ox * p.stride().w() - p.padding().w();
            int valid = 0;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    if (y0 + ky >= 0 && y0 + ky < in.height() && x0 + kx >= 0 && x0 + kx < in.width()) valid++;
                }
            }
            // PyTorch divides by the whole window with count_include_pad, by its valid taps otherwise.
            double coefficient = 1.0 / (p.countIncludePad() ? kh * kw : valid);
            for (int ky = 0; ky < kh; ky++) {
                int iy = y0 + ky;
                if (iy < 0 || iy >= in.height()) continue;
                for (int kx = 0; kx < kw; kx++) {
                    int ix = x0 + kx;
                    if (ix < 0 || ix >= in.width()) continue;
                    sink.add((c * in.height() + iy) * in.width() + ix, coefficient);
                }
            }
        }
    }

    static final class Dense extends LinearStep {
        final int inputs;
        final float[] w;

        Dense(Node node, int inputs, float[] w) {
            super(node);
            this.inputs = inputs;
            this.w = w;
        }

        @Override
        void backward(int o, Sink sink) {
            int row = o * inputs;
            for (int i = 0; i < inputs; i++) sink.add(i, w[row + i]);
        }

        @Override
        LinearStep scaled(double[] scale, int plane) {
            return plane == 1 ? new Dense(node, inputs, scaleRows(w, scale, inputs)) : super.scaled(scale, plane);
        }
    }

    /** Output i is input i: the start of a chain that has no step of its own to scale. */
    static final class Identity extends LinearStep {
        Identity(Node node) {
            super(node);
        }

        @Override
        void backward(int o, Sink sink) {
            sink.add(o, 1.0);
        }
    }

    /** A step whose every output is multiplied by its channel's factor. */
    static final class ChannelScale extends LinearStep {
        final LinearStep inner;
        final double[] scale;
        final int plane;

        ChannelScale(Node node, LinearStep inner, double[] scale, int plane) {
            super(node);
            this.inner = inner;
            this.scale = scale;
            this.plane = plane;
        }

        @Override
        void backward(int o, Sink sink) {
            double f = scale[o / plane];
            inner.backward(o, (i, c) -> sink.add(i, c * f));
        }
    }

    static final class Sparse extends LinearStep {
        final int inputs;
        final Op.SparseProjection s;
        final float[] w;

        Sparse(Node node, int inputs, Op.SparseProjection s, float[] w) {
            super(node);
            this.inputs = inputs;
            this.s = s;
            this.w = w;
        }

        @Override
        void backward(int o, Sink sink) {
            int[] drawn = SparseDraw.inputs(s.seed(), o, s.fanIn(), inputs);
            for (int k = 0; k < drawn.length; k++) sink.add(drawn[k], w[o * s.fanIn() + k]);
        }
    }
}
