package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.runtime.kernel.Elementwise;
import org.snnc.runtime.kernel.Parallel;

/** {@code [C,H,W] -> [C*H*W]}: the same values in the same order, so forward copies and backward passes through. */
final class FlattenLayer extends Layer {

    FlattenLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        float[] x = input().value(t);
        System.arraycopy(x, 0, value(t), 0, x.length);
    }

    @Override
    void backward(int t, Parallel par) {
        if (input().needsGrad) {
            Elementwise.accumulate(input().grad, grad);
        }
    }
}
