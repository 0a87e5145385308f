package org.snnc.compiler.ir;

import java.util.List;

/**
 * One layer of the Spiking IR.
 *
 * @param id        index in {@link SpikingIr#nodes()}; inputs always have smaller ids (topological)
 * @param name      unique, stable name: the input's name, or the op keyword and a counter ({@code conv3})
 * @param op        what it computes
 * @param inputs    ids of the nodes it reads, in argument order
 * @param shape     its output shape per sample
 * @param neurons   neurons (or non-spiking compartments) it holds; 0 for synaptic layers
 * @param synapses  connections that exist (taps falling in padding excluded)
 * @param macs      multiply-accumulates per sample per time step by the paper's Eq. 9 (dense,
 *                  padding included: {@code k² H_out W_out C_in C_out})
 * @param value     the named value (assignment or output) this node is bound to in the source, or null
 * @param origin    the source place of the call that made it
 */
public record Node(int id, String name, Op op, List<Integer> inputs, Shape shape, long neurons, long synapses,
        long macs, String value, Origin origin) {

    public Node {
        inputs = List.copyOf(inputs);
    }

    public Node withValue(String newValue) {
        return new Node(id, name, op, inputs, shape, neurons, synapses, macs, newValue, origin);
    }
}
