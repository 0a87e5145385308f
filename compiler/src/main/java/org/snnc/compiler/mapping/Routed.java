package org.snnc.compiler.mapping;

/**
 * Routing tables: the destinations of core {@code i} are {@code dest[start[i] .. start[i+1])},
 * each reached by dimension-order (X then Y) routing, verified hop by hop.
 *
 * @param weightedHops  router hops summed over all packets (edge weight x hops)
 * @param packets       packets per step when every sending neuron spikes once
 * @param weightedChipCrossings chip-to-chip links summed over all packets
 */
public record Routed(Placed placed, int[] start, int[] dest, long weightedHops, long packets,
        long weightedChipCrossings) {

    // No defensive copies: dest is the core graph's destination array (tens of millions of ints
    // for the largest networks), and no stage writes to either array.
}
