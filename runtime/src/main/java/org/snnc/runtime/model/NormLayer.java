package org.snnc.runtime.model;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.runtime.autograd.BatchNorm2d;
import org.snnc.runtime.kernel.Parallel;

/**
 * A batch normalisation layer: {@link BatchNormLayer} uses one {@link BatchNorm2d} at every step,
 * {@link BnttLayer} one per step. Training normalises by the batch and saves what backward needs;
 * evaluation uses the running statistics.
 */
abstract class NormLayer extends Layer {

    /** What each step's training forward saved for backward; null after an evaluation forward. */
    BatchNorm2d.Saved[] saved;
    final List<Tensor> tensors = new ArrayList<>();
    private float[] sink;

    NormLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
    }

    /** The normalisation applied at step {@code t}. */
    abstract BatchNorm2d norm(int t);

    @Override
    boolean readsInputValues() {
        return true;
    }

    @Override
    boolean readsInputThroughBackwardValue() {
        return true;
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        Layer in = input();
        BatchNorm2d bn = norm(t);
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
        BatchNorm2d bn = norm(t);
        float[] x = in.backwardValue(t, par);
        if (saved[t] != null) {
            bn.backwardTrain(x, saved[t], grad, n, shape.height(), shape.width(), dx, par);
        } else {
            bn.backwardEval(x, grad, n, shape.height(), shape.width(), dx, par);
        }
    }

    /** Scratch for an input gradient nobody reads (the scale gradient is still wanted). */
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
