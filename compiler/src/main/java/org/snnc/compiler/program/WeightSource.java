package org.snnc.compiler.program;

import org.snnc.compiler.ir.Node;

/**
 * Where a synaptic layer's real-valued weights come from: seeded random weights now
 * ({@link SeededWeights}), trained weights from a checkpoint later.
 */
public interface WeightSource {

    /**
     * The weights of one synaptic layer in its IR layout: conv {@code [C_out][C_in][kH][kW]},
     * tconv {@code [C_in][C_out][kH][kW]}, dense {@code [out][in]}, sparse {@code [out][fan_in]}
     * (inputs of a sparse output in ascending order, see {@link SparseDraw}).
     *
     * @param layer  the IR node
     * @param count  the number of weights (the product of the layout's dimensions)
     * @param fanIn  inputs per output
     * @param fanOut outputs per input (for initialisation scales)
     */
    float[] weights(Node layer, int count, int fanIn, int fanOut);

    /** The seed the weights derive from, recorded in the program's header; 0 when not random. */
    long seed();

    /** One line for reports: what the weights are. */
    String describe();
}
