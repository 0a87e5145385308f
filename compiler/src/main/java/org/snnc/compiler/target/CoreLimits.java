package org.snnc.compiler.target;

/**
 * What one core can hold; placement must respect every limit.
 *
 * @param maxNeurons            neurons (compartments) per core
 * @param maxInputAxons         distinct input axons per core: each source neuron or splitter
 *                              feeding the core takes one
 * @param maxOutputAxons        fan-out entries per core: each (neuron, destination core) pair
 *                              takes one
 * @param synapseMemoryBits     synapse memory per core, in bits
 * @param axonTypes             0 when every synapse stores its own weight; otherwise the number
 *                              of axon types, each neuron holding one weight per type with a
 *                              binary crossbar choosing which synapses exist (TrueNorth)
 * @param compartmentJoin       whether several compartments may sum into one neuron, so a neuron
 *                              with more inputs than one compartment takes can be split
 * @param maxJoinedCompartments the most compartments one neuron may join; 1 without join
 * @param fanOutOne             whether each neuron may target one axon only, so that fan-out
 *                              above one needs splitter neurons
 * @param fanInSplit            how a neuron with more inputs than a core's input axons is split:
 *                              {@code core.fan_in_split} when the file gives it, otherwise
 *                              {@code join} with {@code compartment_join} and {@code none} without
 */
public record CoreLimits(Sourced<Integer> maxNeurons, Sourced<Integer> maxInputAxons,
                         Sourced<Integer> maxOutputAxons, Sourced<Integer> synapseMemoryBits,
                         Sourced<Integer> axonTypes, Sourced<Boolean> compartmentJoin,
                         Sourced<Integer> maxJoinedCompartments, Sourced<Boolean> fanOutOne,
                         Sourced<FanInSplit> fanInSplit) {}
