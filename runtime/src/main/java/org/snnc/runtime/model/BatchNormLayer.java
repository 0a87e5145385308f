package org.snnc.runtime.model;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.autograd.BatchNorm2d;
import org.snnc.runtime.autograd.BatchNormSpec;
import org.snnc.runtime.kernel.Parallel;

/**
 * One batch normalisation shared by all time steps (as one PyTorch module called at every step):
 * each step normalises by its own batch statistics and moves the running statistics.
 */
final class BatchNormLayer extends Layer {

    private final BatchNorm2d bn;
    private BatchNorm2d.Saved[] saved;
    private final List<Tensor> tensors = new ArrayList<>();
    private float[] sink;

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
    boolean readsInputValues() {
        return true;
    }

    @Override
    void allocate(int n, int timesteps) {
        super.allocate(n, timesteps);
        saved = new BatchNorm2d.Saved[readout ? 1 : timesteps];
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        Layer in = input();
        if (training) {
            saved[t] = bn.forwardTrain(in.value(t), n, shape.height(), shape.width(), value(t), par);
        } else {
            saved[t] = null;
            bn.forwardEval(in.value(t), n, shape.height(), shape.width(), value(t), par);
        }
    }

    @Override
    void backward(int t, Parallel par) {
        Layer in = input();
        float[] dx = in.needsGrad ? in.grad : sink();
        if (saved[t] != null) {
            bn.backwardTrain(in.value(t), saved[t], grad, n, shape.height(), shape.width(), dx, par);
        } else {
            bn.backwardEval(in.value(t), grad, n, shape.height(), shape.width(), dx, par);
        }
    }

    private float[] sink() {
        if (sink == null || sink.length != n * size) {
            sink = new float[n * size];
        }
        return sink;
    }

    @Override
    List<Tensor> tensors() {
        return tensors;
    }
}
