package org.snnc.compiler.mapping;

import org.snnc.compiler.ir.Shape;

/** How the neurons of a population read one source: which source neurons each neuron sees. */
public sealed interface Geometry {

    /**
     * A convolution or transposed convolution (an average pool folded in where one preceded it):
     * every output channel reads every input channel at the source positions of {@code rows} x {@code cols}.
     */
    record Spatial(int inChannels, AxisMap rows, AxisMap cols) implements Geometry {
    }

    /**
     * Fully connected: every neuron reads every source neuron. Source neurons are numbered in the
     * flattened order of {@code source}, channel-major ({@code c*H*W + y*W + x}).
     */
    record Full(Shape source) implements Geometry {
        public long inputs() {
            return source.size();
        }
    }

    /**
     * Each neuron reads {@code fanIn} distinct source neurons drawn out of {@code inputs} (flattened,
     * channel-major) by {@code SparseDraw} from {@code seed} and the neuron's flat index.
     */
    record Random(int inputs, int fanIn, long seed) implements Geometry {
    }
}
