package org.snnc.compiler.mapping;

import java.util.List;
import org.snnc.compiler.target.Target;

/**
 * The result of partitioning: a tiling per population and its cores.
 *
 * @param firstCore id of each population's first core; a population's cores are consecutive
 */
public record Partitioned(PopulationGraph graph, Target target, List<Tiling> tilings, List<CoreTile> cores,
        int[] firstCore) {

    public Partitioned {
        tilings = List.copyOf(tilings);
        cores = List.copyOf(cores);
        firstCore = firstCore.clone();
    }

    /**
     * Bits one synapse takes: the weight's bits where every synapse stores its own weight
     * ({@code axon_types} 0, Loihi: per-connection storage, no sharing of conv weights); one
     * crossbar bit where weights live in the neurons, one per axon type (TrueNorth).
     */
    public static int bitsPerSynapse(Target t) {
        return t.core().axonTypes().value() == 0 ? t.numbers().weightBits().value() : 1;
    }
}
