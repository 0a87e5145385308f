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

/**
 * Convolution; weight {@code [C_out][C_in][kH][kW]}. When the input is spikes (a spiking layer
 * or a spike-encoded input) both the forward and the weight gradient are event-driven
 * ({@link SpikeConv2d}); otherwise dense ({@link Conv2d}).
 */
final class ConvLayer extends Layer {

    private final Conv2dSpec spec;
    private final Tensor weight;
    private final Tensor bias;

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

    @Override
    void forward(int t, boolean training, Parallel par) {
        Layer in = input();
        if (in.binary()) {
            SpikeConv2d.forward(spec, in.spikes(t), n, in.shape.height(), in.shape.width(), weight.data(), biasData(),
                    value(t), par);
        } else {
            Conv2d.forward(spec, in.value(t), n, in.shape.height(), in.shape.width(), weight.data(), biasData(),
                    value(t), par);
        }
    }

    @Override
    void backward(int t, Parallel par) {
        Layer in = input();
        int h = in.shape.height();
        int w = in.shape.width();
        if (in.binary()) {
            SpikeConv2d.backwardWeight(spec, in.spikes(t), grad, n, h, w, weight.grad(), par);
        } else {
            Conv2d.backwardWeight(spec, in.value(t), grad, n, h, w, weight.grad(), par);
        }
        if (bias != null) {
            Conv2d.backwardBias(spec, grad, n, shape.height(), shape.width(), bias.grad(), par);
        }
        if (in.needsGrad) {
            Conv2d.backwardInput(spec, grad, n, h, w, weight.data(), in.grad, par);
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
