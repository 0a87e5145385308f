package org.snnc.compiler.mapping;

/** What a core holds. */
public enum Role {
    /** Neurons (or readout compartments): the soma, which fires and sends spikes. */
    NEURONS("neurons"),
    /** Extra compartments of joined neurons: a share of each neuron's inputs, summed into the soma. */
    COMPARTMENTS("compartments"),
    /**
     * Relay neurons: for each neuron of a tile, a positive and a negative integrate-and-fire relay
     * of one share of its inputs, whose spikes carry that partial sum to the neuron (fan_in_split: relay).
     */
    RELAY("relay"),
    /** Splitter neurons repeating spikes to several cores where a neuron may target only one. */
    SPLITTER("splitter");

    private final String keyword;

    Role(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
