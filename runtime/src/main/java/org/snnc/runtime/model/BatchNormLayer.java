package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.autograd.BatchNorm2d;
import org.snnc.runtime.autograd.BatchNormSpec;

/**
 * One batch normalisation shared by all time steps (as one PyTorch module called at every step):
 * each step normalises by its own batch statistics and moves the running statistics.
 */
final class BatchNormLayer extends NormLayer {

    private final BatchNorm2d bn;

    BatchNormLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
        Op.BatchNorm b = (Op.BatchNorm) node.op();
        bn = new BatchNorm2d(new BatchNormSpec(shape.channels(), (float) b.eps(), (float) b.momentum(), b.affine(),
                b.affine()));
        int[] c = {shape.channels()};
        if (b.affine()) {
            tensors.add(new Tensor(name() + ".weight", c, bn.scale(), bn.scaleGrad()));
            tensors.add(new Tensor(name() + ".bias", c, bn.shift(), bn.shiftGrad()));
        }
        tensors.add(new Tensor(name() + ".running_mean", c, bn.runningMean(), null));
        tensors.add(new Tensor(name() + ".running_var", c, bn.runningVar(), null));
    }

    @Override
    BatchNorm2d norm(int t) {
        return bn;
    }

    @Override
    void allocate(int n, int timesteps) {
        super.allocate(n, timesteps);
        saved = new BatchNorm2d.Saved[readout ? 1 : timesteps];
    }
}
