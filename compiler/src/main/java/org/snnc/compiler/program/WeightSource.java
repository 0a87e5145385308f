package org.snnc.compiler.program;

import java.util.Optional;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.lower.FoldNorm;

/**
 * Where a network's real-valued parameters come from: seeded random weights
 * ({@link SeededWeights}) or trained ones (the runtime's checkpoint reader). Random weights have
 * no biases and no normalisation statistics.
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

    /** The bias {@code [C_out]} of a conv, tconv or dense layer declared with one; empty otherwise. */
    default Optional<float[]> bias(Node layer) {
        return Optional.empty();
    }

    /** Trained statistics of a {@code bntt} or {@code batchnorm} layer; empty when there are none. */
    default Optional<FoldNorm.Stats> normStats(Node layer) {
        return Optional.empty();
    }
}
