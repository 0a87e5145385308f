package org.snnc.compiler.mapping;

/** Every mapping error, with a stable number; numbers are never reused. */
public enum MapCode {
    /** A layer's neuron needs more distinct input axons than one core (or joined compartments) has. */
    INPUT_AXONS(1),
    /** A layer's neuron needs more synapse memory than one core has. */
    SYNAPSE_MEMORY(2),
    /** A layer sits between populations but cannot be expressed as synapses on cores. */
    NOT_ON_CHIP(3),
    /** A neuron targets more cores than one core's fan-out entries (or one splitter core) allow. */
    FAN_OUT(4),
    /** A joined neuron needs more compartments than the target lets one neuron join. */
    COMPARTMENTS(5);

    private final int number;

    MapCode(int number) {
        this.number = number;
    }

    public String id() {
        return String.format("MAP%03d", number);
    }
}
