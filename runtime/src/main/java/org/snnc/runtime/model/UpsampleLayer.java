package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.kernel.Upsample;
import org.snnc.runtime.kernel.UpsampleSpec;

/** Bilinear or nearest resize to the node's size. */
final class UpsampleLayer extends Layer {

    private final UpsampleSpec spec;

    UpsampleLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
        Op.Upsample u = (Op.Upsample) node.op();
        UpsampleSpec.Mode mode = u.mode() == Op.Upsample.Mode.NEAREST ? UpsampleSpec.Mode.NEAREST : UpsampleSpec.Mode.BILINEAR;
        spec = new UpsampleSpec(mode, u.height(), u.width(), u.alignCorners() && mode == UpsampleSpec.Mode.BILINEAR);
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        Layer in = input();
        Upsample.forward(spec, in.value(t), n, shape.channels(), in.shape.height(), in.shape.width(), value(t), par);
    }

    @Override
    void backward(int t, Parallel par) {
        Layer in = input();
        if (in.needsGrad) {
            Upsample.backward(spec, grad, n, shape.channels(), in.shape.height(), in.shape.width(), in.grad, par);
        }
    }
}
