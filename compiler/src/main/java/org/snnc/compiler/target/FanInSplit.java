package org.snnc.compiler.target;

/** How a neuron whose inputs do not fit one core's input axons is split over several cores. */
public enum FanInSplit {
    /** Not at all: such a neuron does not fit the target. */
    NONE,
    /** Joined compartments sum their shares of the inputs into one soma (Loihi's multi-compartment join). */
    JOIN,
    /**
     * Relay neurons: each share of the inputs drives a positive and a negative integrate-and-fire
     * relay neuron (no leak, reset by subtraction) whose spikes reach the neuron with the relay
     * threshold as weight (TrueNorth practice); an approximation of the sum.
     */
    RELAY
}
