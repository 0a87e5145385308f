package org.snnc.runtime.model;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.autograd.BatchNorm2d;
import org.snnc.runtime.autograd.BatchNormSpec;
import org.snnc.runtime.autograd.Bntt;
import org.snnc.runtime.kernel.Parallel;

/**
 * Batch norm through time: step {@code t} is normalised by its own {@link BatchNorm2d} (scale
 * initialised to 1, optional shift, own running statistics). Tensors per step are named with a
 * zero-padded step suffix: {@code bntt3.weight.t07}.
 */
final class BnttLayer extends Layer {

    private final Bntt bntt;
    private final BatchNorm2d.Saved[] saved;
    private final List<Tensor> tensors = new ArrayList<>();
    private float[] sink;

    BnttLayer(Node node, List<Layer> inputs, int timesteps) {
        super(node, inputs);
        Op.Bntt b = (Op.Bntt) node.op();
        if (b.timesteps() != timesteps) {
            throw new ModelException(name() + " has " + b.timesteps() + " time steps, the network " + timesteps);
        }
        bntt = new Bntt(new BatchNormSpec(shape.channels(), (float) b.eps(), (float) b.momentum(), true, b.shift()),
                timesteps);
        saved = new BatchNorm2d.Saved[timesteps];
        int[] c = {shape.channels()};
        for (int t = 0; t < timesteps; t++) {
            BatchNorm2d step = bntt.step(t);
            String suffix = String.format(".t%02d", t);
            tensors.add(new Tensor(name() + ".weight" + suffix, c, step.scale(), step.scaleGrad()));
            if (b.shift()) {
                tensors.add(new Tensor(name() + ".bias" + suffix, c, step.shift(), step.shiftGrad()));
            }
        }
        for (int t = 0; t < timesteps; t++) {
            BatchNorm2d step = bntt.step(t);
            String suffix = String.format(".t%02d", t);
            tensors.add(new Tensor(name() + ".running_mean" + suffix, c, step.runningMean(), null));
            tensors.add(new Tensor(name() + ".running_var" + suffix, c, step.runningVar(), null));
        }
    }

    @Override
    boolean readsInputValues() {
        return true;
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        Layer in = input();
        BatchNorm2d step = bntt.step(t);
        if (training) {
            saved[t] = step.forwardTrain(in.value(t), n, shape.height(), shape.width(), value(t), par);
        } else {
            saved[t] = null;
            step.forwardEval(in.value(t), n, shape.height(), shape.width(), value(t), par);
        }
    }

    @Override
    void backward(int t, Parallel par) {
        Layer in = input();
        float[] dx = in.needsGrad ? in.grad : sink();
        BatchNorm2d step = bntt.step(t);
        if (saved[t] != null) {
            step.backwardTrain(in.value(t), saved[t], grad, n, shape.height(), shape.width(), dx, par);
        } else {
            step.backwardEval(in.value(t), grad, n, shape.height(), shape.width(), dx, par);
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
