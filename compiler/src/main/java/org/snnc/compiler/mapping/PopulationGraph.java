package org.snnc.compiler.mapping;

import java.util.List;

/**
 * The on-chip view of a network: its populations in topological order, what runs on the host,
 * and what the view approximates.
 */
public record PopulationGraph(String network, List<Population> populations, List<HostOp> hostOps,
        List<String> approximations) {

    public PopulationGraph {
        populations = List.copyOf(populations);
        hostOps = List.copyOf(hostOps);
        approximations = List.copyOf(approximations);
    }

    /** Index in {@link #populations()} of the population held by IR node {@code node}, or -1. */
    public int indexOfNode(int node) {
        for (int i = 0; i < populations.size(); i++) if (populations.get(i).node() == node) return i;
        return -1;
    }
}
