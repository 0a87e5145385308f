package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.kernel.AvgPool2d;
import org.snnc.runtime.kernel.AvgPool2dSpec;
import org.snnc.runtime.kernel.Parallel;

/** Average pooling. */
final class PoolLayer extends Layer {

    private final AvgPool2dSpec spec;

    PoolLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
        Op.AvgPool p = (Op.AvgPool) node.op();
        spec = new AvgPool2dSpec(p.kernel().h(), p.kernel().w(), p.stride().h(), p.stride().w(), p.padding().h(),
                p.padding().w(), p.countIncludePad());
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        Layer in = input();
        AvgPool2d.forward(spec, in.value(t), n, shape.channels(), in.shape.height(), in.shape.width(), value(t), par);
    }

    @Override
    void backward(int t, Parallel par) {
        Layer in = input();
        if (in.needsGrad) {
            AvgPool2d.backward(spec, grad, n, shape.channels(), in.shape.height(), in.shape.width(), in.grad, par);
        }
    }
}
