package org.snnc.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.kernel.Conv2d;
import org.snnc.runtime.kernel.Conv2dSpec;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.kernel.SpikeConv2d;
import org.snnc.runtime.kernel.TapMajor;

/**
 * Convolution; weight {@code [C_out][C_in][kH][kW]}. When the input is spikes (a spiking layer
 * or a spike-encoded input) the weight gradient is event-driven ({@link SpikeConv2d}), and so is
 * the forward when the layer has at least {@link #SPARSE_MIN_COUT} outputs; otherwise dense
 * ({@link Conv2d}), with the same bits. The input gradient is always dense.
 */
final class ConvLayer extends Layer {

    private final Conv2dSpec spec;
    private final Tensor weight;
    private final Tensor bias;
    /** Tap-major weights of the current forward pass (event-driven input only). */
    private float[][] taps;
    /** Tap-major weight gradient over the steps of one backward pass (event-driven input only). */
    private float[][] dwT;
    /** Transposed weights of the current backward pass, for the input gradient. */
    private float[] weightT;
    /** Outputs are computed again in backward rather than kept for every step. */
    private boolean recompute;
    /** Float copy of one step's input spikes, for a dense recomputation. */
    private float[] spikeValues;

    /**
     * Above this many bytes of stored outputs (all steps of a batch) a layer whose consumers
     * allow it recomputes its output in backward: one more forward of the layer per step (about
     * a tenth more time), to save the traces of long runs (every layer of paper-small, 5 to 21 MB
     * each at T = 20, batch 4) while the short bench configuration (2 MB each) keeps everything.
     */
    static final long RECOMPUTE_ABOVE_BYTES = 4L << 20;
    /** {@link #RECOMPUTE_ABOVE_BYTES}, lowered by tests to exercise recomputation on small networks. */
    static volatile long recomputeAboveBytes = RECOMPUTE_ABOVE_BYTES;

    ConvLayer(Node node, List<Layer> inputs, Init init, SplittableRandom random) {
        super(node, inputs);
        Op.Conv c = (Op.Conv) node.op();
        int cIn = input().shape.channels();
        spec = new Conv2dSpec(cIn, c.outChannels(), c.kernel().h(), c.kernel().w(), c.stride().h(), c.stride().w(),
                c.padding().h(), c.padding().w(), c.dilation().h(), c.dilation().w(), c.bias());
        int k = spec.weightSize();
        weight = new Tensor(name() + ".weight", new int[] {c.outChannels(), cIn, c.kernel().h(), c.kernel().w()},
                new float[k], new float[k]);
        int taps = c.kernel().h() * c.kernel().w();
        init.fill(weight.data(), (long) cIn * taps, (long) c.outChannels() * taps, random);
        bias = c.bias() ? new Tensor(name() + ".bias", new int[] {c.outChannels()},
                new float[c.outChannels()], new float[c.outChannels()]) : null;
    }

    @Override
    boolean readsInputValues() {
        return true;
    }

    @Override
    boolean readsInputSpikes() {
        return true;
    }

    private float[] biasData() {
        return bias == null ? null : bias.data();
    }

    /**
     * Whether a spike input's forward goes through the event-driven gather. Both kernels give the
     * same bits (see {@link SpikeConv2d}), so this is speed alone: the gather adds rows of
     * {@code C_out} floats, and below 64 of them C2's vector loop is mostly start-up while the
     * dense product's rows are {@code n * H * W} long. The weight gradient gathers rows of
     * {@code C_out} too but skips three quarters of the work at once, and won at every width
     * measured ({@code ConvBenchmark}, 20-25% firing as in deeplab-table1).
     */
    private boolean eventDrivenForward() {
        return input().binary() && spec.cOut() >= SPARSE_MIN_COUT;
    }

    /** The narrowest output for which the event-driven forward beats the dense one. */
    static final int SPARSE_MIN_COUT = 64;

    @Override
    void allocate(int n, int timesteps) {
        recompute = storeValues && consumersRecompute && !readout
                && 4L * n * size * timesteps > recomputeAboveBytes;
        super.allocate(n, timesteps);
    }

    @Override
    boolean keepsEveryStep() {
        return super.keepsEveryStep() && !recompute;
    }

    @Override
    float[] backwardValue(int t, Parallel par) {
        if (!recompute) {
            return value(t);
        }
        long t0 = Profile.start();
        recomputeValue(t, par);
        Profile.add(profileName(), "recompute", t0);
        return value(t);
    }

    private void recomputeValue(int t, Parallel par) {
        Layer in = input();
        if (in.binary() && !eventDrivenForward()) {
            // The dense forward read the input's float copy of step t, which is not kept.
            byte[] s = in.spikes(t);
            if (spikeValues == null || spikeValues.length != s.length) {
                spikeValues = new float[s.length];
            }
            for (int i = 0; i < s.length; i++) {
                spikeValues[i] = s[i];
            }
            Conv2d.forward(spec, spikeValues, n, in.shape.height(), in.shape.width(), weight.data(), biasData(),
                    value(t), par);
        } else {
            // Same kernel, same weights (taps still hold this pass's), same input: the same bits.
            compute(t, par);
        }
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        if (eventDrivenForward() && (t == 0 || readout)) {
            // The weights are fixed for the whole pass: transpose them once, at its first step.
            if (taps == null) {
                taps = TapMajor.allocate(spec.cOut(), spec.weightSize() / spec.cOut());
            }
            TapMajor.fromWeights(weight.data(), spec.cOut(), spec.weightSize() / spec.cOut(), taps, par);
        }
        compute(t, par);
    }

    private void compute(int t, Parallel par) {
        Layer in = input();
        int h = in.shape.height();
        int w = in.shape.width();
        if (eventDrivenForward()) {
            SpikeConv2d.forwardTapMajor(spec, in.spikes(t), n, h, w, taps, biasData(), value(t), par);
        } else {
            Conv2d.forward(spec, in.value(t), n, h, w, weight.data(), biasData(), value(t), par);
        }
    }

    @Override
    void backward(int t, Parallel par) {
        Layer in = input();
        int h = in.shape.height();
        int w = in.shape.width();
        int m = spec.cOut();
        int k = spec.weightSize() / m;
        // Backward runs t = T-1 down to 0 (a readout layer once): weights and the tap-major
        // gradient are set up at the first call and the gradient written back at the last.
        boolean first = readout || t == timesteps - 1;
        boolean last = readout || t == 0;
        long t0 = Profile.start();
        if (in.binary()) {
            if (first) {
                if (dwT == null) {
                    dwT = TapMajor.allocate(m, k);
                }
                // Continue the gradient's existing sums, as the flat kernels do.
                TapMajor.fromWeights(weight.grad(), m, k, dwT, par);
            }
            SpikeConv2d.backwardWeightTapMajor(spec, in.spikes(t), grad, n, h, w, dwT, par);
            if (last) {
                TapMajor.toWeights(dwT, m, k, weight.grad(), par);
            }
        } else {
            Conv2d.backwardWeight(spec, in.value(t), grad, n, h, w, weight.grad(), par);
        }
        if (bias != null) {
            Conv2d.backwardBias(spec, grad, n, shape.height(), shape.width(), bias.grad(), par);
        }
        Profile.add(profileName(), "weight gradient", t0);
        if (in.needsGrad) {
            t0 = Profile.start();
            if (first) {
                if (weightT == null) {
                    weightT = new float[spec.weightSize()];
                }
                Conv2d.transposeWeight(weight.data(), m, k, weightT, par);
            }
            Conv2d.backwardInputTransposed(spec, grad, n, h, w, weightT, in.grad, par);
            Profile.add(profileName(), "input gradient", t0);
        }
    }

    @Override
    List<Tensor> tensors() {
        List<Tensor> list = new ArrayList<>(List.of(weight));
        if (bias != null) {
            list.add(bias);
        }
        return list;
    }
}
