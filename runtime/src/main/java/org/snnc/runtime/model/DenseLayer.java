package org.snnc.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.kernel.Linear;
import org.snnc.runtime.kernel.Parallel;

/** Fully connected; weight {@code [out][in]}. */
final class DenseLayer extends Layer {

    private final int in;
    private final Tensor weight;
    private final Tensor bias;

    DenseLayer(Node node, List<Layer> inputs, Init init, SplittableRandom random) {
        super(node, inputs);
        Op.Dense d = (Op.Dense) node.op();
        in = input().size;
        int out = d.outFeatures();
        weight = new Tensor(name() + ".weight", new int[] {out, in}, new float[out * in], new float[out * in]);
        init.fill(weight.data(), in, out, random);
        bias = d.bias() ? new Tensor(name() + ".bias", new int[] {out}, new float[out], new float[out]) : null;
    }

    @Override
    boolean readsInputValues() {
        return true;
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        Linear.forward(in, size, input().value(t), n, weight.data(), bias == null ? null : bias.data(), value(t), par);
    }

    @Override
    void backward(int t, Parallel par) {
        Linear.backwardWeight(in, size, input().value(t), grad, n, weight.grad(), par);
        if (bias != null) {
            Linear.backwardBias(size, grad, n, bias.grad(), par);
        }
        if (input().needsGrad) {
            Linear.backwardInput(in, size, grad, n, weight.data(), input().grad, par);
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
