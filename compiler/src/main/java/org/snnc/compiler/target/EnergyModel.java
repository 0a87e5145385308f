package org.snnc.compiler.target;

/**
 * Energy per event, in pJ, and static power, in mW. The chip-to-chip hop is in
 * {@link BoardSpec#interChipHopEnergy()}.
 *
 * @param synapticOp    one synaptic operation
 * @param neuronUpdate  one neuron's update in a time step
 * @param spikeOut      a neuron's spike leaving its core
 * @param hopWithinTile a spike between cores of one tile
 * @param hopEastWest   a spike crossing one tile along x
 * @param hopNorthSouth a spike crossing one tile along y
 * @param staticPower   power drawn whatever the activity, per chip
 */
public record EnergyModel(Quantity synapticOp, Quantity neuronUpdate, Quantity spikeOut,
                          Quantity hopWithinTile, Quantity hopEastWest, Quantity hopNorthSouth,
                          Quantity staticPower) {}
