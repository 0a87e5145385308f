package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.autograd.BatchNorm2d;
import org.snnc.runtime.autograd.BatchNormSpec;
import org.snnc.runtime.autograd.Bntt;

/**
 * Batch norm through time: step {@code t} is normalised by its own {@link BatchNorm2d} (scale
 * initialised to 1, optional shift, own running statistics). Tensors per step are named with a
 * zero-padded step suffix: {@code bntt3.weight.t07}.
 */
final class BnttLayer extends NormLayer {

    private final Bntt bntt;

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
    BatchNorm2d norm(int t) {
        return bntt.step(t);
    }
}
