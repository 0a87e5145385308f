package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.runtime.autograd.Accumulator;
import org.snnc.runtime.kernel.Parallel;

/**
 * The non-spiking readout: its input is added at every step and its output, the mean over the
 * steps, exists once after the last step (it is a readout layer). Its gradient, set once by the
 * readout layers after it, reaches its input at every step divided by T.
 */
final class AccumulateLayer extends Layer {

    private Accumulator accumulator;

    AccumulateLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
        readout = true;
    }

    @Override
    void allocate(int n, int timesteps) {
        super.allocate(n, timesteps);
        accumulator = new Accumulator(n * size, timesteps);
    }

    @Override
    void begin() {
        accumulator.begin();
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        accumulator.add(input().value(t));
        if (t == timesteps - 1) {
            accumulator.output(values[0]);
        }
    }

    @Override
    void backward(int t, Parallel par) {
        if (input().needsGrad) {
            accumulator.backward(grad, input().grad);
        }
    }
}
