package org.snnc.compiler.mapping;

import java.util.List;
import org.snnc.compiler.ir.Origin;
import org.snnc.compiler.ir.Shape;

/**
 * Neurons that live on cores: a spiking layer, or an {@code accumulate} readout held as
 * non-spiking compartments.
 *
 * @param node    IR id of the spiking or accumulate node
 * @param name    its IR name ({@code lif9})
 * @param shape   one neuron per element, {@code [C,H,W]}
 * @param spiking false for accumulate readouts (their value is read by the host, they send no spikes)
 * @param inputs  the synaptic layers summed into each neuron; several when an {@code add} joins paths
 */
public record Population(int node, String name, Origin origin, Shape shape, boolean spiking,
        List<SynapticInput> inputs) {

    public Population {
        inputs = List.copyOf(inputs);
    }

    public long neurons() {
        return shape.size();
    }

    public long synapses() {
        long s = 0;
        for (SynapticInput in : inputs) s += in.synapses();
        return s;
    }

    /** The layer to name in messages: the synaptic layer when there is one, with the population. */
    public String displayName() {
        if (inputs.size() == 1) return inputs.get(0).layer() + " -> " + name;
        return name;
    }
}
