package org.snnc.compiler.mapping;

/**
 * One core after partitioning: the box of its population it holds and what that costs.
 *
 * @param id          dense core number
 * @param population  index into {@link PopulationGraph#populations()}
 * @param c0 c1       output channels {@code [c0, c1)}
 * @param y0 y1       output rows {@code [y0, y1)}
 * @param x0 x1       output columns {@code [x0, x1)}
 * @param slice       its place among the tile's cores (0 for the soma; {@link Tiling#share} says
 *                    which share of each neuron's inputs it holds)
 * @param neurons     neurons, compartments, relay or splitter neurons it holds
 * @param inputAxons  distinct input axons: source neurons it reads (halo included), plus one per
 *                    joined compartment or relay neuron whose partial sum arrives at a soma
 * @param synapses    network connections it stores, each once (join, relay and splitter connections
 *                    excluded; a relay pair's two copies of a connection count once)
 * @param synapseBits synapse memory used, join, relay and splitter connections and both relay copies included
 */
public record CoreTile(int id, int population, Role role, int c0, int c1, int y0, int y1, int x0, int x1, int slice,
        long neurons, long inputAxons, long synapses, long synapseBits) {
}
