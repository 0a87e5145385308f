package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.runtime.kernel.Elementwise;
import org.snnc.runtime.kernel.Parallel;

/** Element-wise sum of its inputs (skip connections); the output gradient flows to each input. */
final class AddLayer extends Layer {

    AddLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        float[] y = value(t);
        Elementwise.add(inputs.get(0).value(t), inputs.get(1).value(t), y);
        for (int i = 2; i < inputs.size(); i++) {
            Elementwise.accumulate(y, inputs.get(i).value(t));
        }
    }

    @Override
    void backward(int t, Parallel par) {
        for (Layer in : inputs) {
            if (in.needsGrad) {
                Elementwise.accumulate(in.grad, grad);
            }
        }
    }
}
