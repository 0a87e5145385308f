package org.snnc.compiler.mapping;

import java.util.List;

/**
 * Partitioned cores with their connections: splitter cores added where neurons may target one
 * core only, every core's destinations and fan-out.
 *
 * @param cores          all cores, splitters after their population's cores, {@code cores.get(i).id() == i}
 * @param fanoutEntries  per core, (neuron, destination core) pairs
 * @param fanout         per core, distinct destination cores
 */
public record Wired(Partitioned partitioned, List<CoreTile> cores, CoreGraph graph, long[] fanoutEntries, int[] fanout) {

    public Wired {
        cores = List.copyOf(cores);
    }
}
