package org.snnc.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.kernel.ConvTranspose2d;
import org.snnc.runtime.kernel.ConvTranspose2dSpec;
import org.snnc.runtime.kernel.Parallel;

/** Transposed convolution; weight {@code [C_in][C_out][kH][kW]} as PyTorch. */
final class ConvTransposeLayer extends Layer {

    private final ConvTranspose2dSpec spec;
    private final Tensor weight;
    private final Tensor bias;

    ConvTransposeLayer(Node node, List<Layer> inputs, Init init, SplittableRandom random) {
        super(node, inputs);
        Op.ConvTranspose c = (Op.ConvTranspose) node.op();
        int cIn = input().shape.channels();
        spec = new ConvTranspose2dSpec(cIn, c.outChannels(), c.kernel().h(), c.kernel().w(), c.stride().h(),
                c.stride().w(), c.padding().h(), c.padding().w(), c.outputPadding().h(), c.outputPadding().w(),
                c.dilation().h(), c.dilation().w(), c.bias());
        int k = spec.weightSize();
        weight = new Tensor(name() + ".weight", new int[] {cIn, c.outChannels(), c.kernel().h(), c.kernel().w()},
                new float[k], new float[k]);
        int taps = c.kernel().h() * c.kernel().w();
        // PyTorch's fans for a [C_in][C_out][kH][kW] tensor: fan_in = C_out k², fan_out = C_in k².
        init.fill(weight.data(), (long) c.outChannels() * taps, (long) cIn * taps, random);
        bias = c.bias() ? new Tensor(name() + ".bias", new int[] {c.outChannels()},
                new float[c.outChannels()], new float[c.outChannels()]) : null;
    }

    @Override
    boolean readsInputValues() {
        return true;
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        Layer in = input();
        ConvTranspose2d.forward(spec, in.value(t), n, in.shape.height(), in.shape.width(), weight.data(),
                bias == null ? null : bias.data(), value(t), par);
    }

    @Override
    void backward(int t, Parallel par) {
        Layer in = input();
        int h = in.shape.height();
        int w = in.shape.width();
        ConvTranspose2d.backwardWeight(spec, in.value(t), grad, n, h, w, weight.grad(), par);
        if (bias != null) {
            ConvTranspose2d.backwardBias(spec, grad, n, shape.height(), shape.width(), bias.grad(), par);
        }
        if (in.needsGrad) {
            ConvTranspose2d.backwardInput(spec, grad, n, h, w, weight.data(), in.grad, par);
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
