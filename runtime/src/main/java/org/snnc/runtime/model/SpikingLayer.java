package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.NeuronModel;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.autograd.LifNeurons;
import org.snnc.runtime.autograd.LifSpec;
import org.snnc.runtime.autograd.Surrogate;
import org.snnc.runtime.kernel.Parallel;

/**
 * A population of LIF/IF neurons, one per input element, integrating its input at every step
 * (membranes start at 0 for every batch). Spikes of every step are kept as bytes (by the
 * neurons, once); the float copy of the current step serves consumers that are not spike-driven.
 */
final class SpikingLayer extends Layer {

    private final LifSpec spec;
    private LifNeurons neurons;

    SpikingLayer(Node node, List<Layer> inputs) {
        super(node, inputs);
        spec = lifSpec(((Op.Spiking) node.op()).model());
    }

    static LifSpec lifSpec(NeuronModel m) {
        org.snnc.compiler.ir.Surrogate s = m.surrogate();
        float scale = (float) s.scale();
        Surrogate surrogate = switch (s.kind()) {
            case TRIANGLE -> new Surrogate.Triangle(scale);
            case FAST_SIGMOID -> new Surrogate.FastSigmoid(scale, (float) s.shape());
            case ATAN -> new Surrogate.Atan(scale, (float) s.shape());
        };
        LifSpec.Reset reset = m.reset() == NeuronModel.Reset.SUBTRACT ? LifSpec.Reset.SUBTRACT : LifSpec.Reset.ZERO;
        return new LifSpec((float) m.leak(), (float) m.threshold(), reset, m.detachReset(), surrogate);
    }

    @Override
    boolean binary() {
        return true;
    }

    @Override
    byte[] spikes(int t) {
        return neurons.spikeTrace(t);
    }

    @Override
    void allocate(int n, int timesteps) {
        super.allocate(n, timesteps);
        neurons = new LifNeurons(spec, n * size, timesteps);
    }

    @Override
    void begin() {
        neurons.begin();
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        // The neurons keep every step's spikes; consumers read that row, no second copy.
        byte[] out = neurons.spikeTrace(t);
        neurons.forward(t, input().value(t), out, value(t), par);
    }

    @Override
    void backward(int t, Parallel par) {
        // Called at every step when gradients are needed: the reverse recurrence carries
        // dL/du from step t+1 even where this step's spike gradient is zero.
        if (input().needsGrad) {
            neurons.backward(t, grad, input().grad, par);
        }
    }
}
