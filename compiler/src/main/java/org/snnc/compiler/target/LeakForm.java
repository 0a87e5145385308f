package org.snnc.compiler.target;

/** How a neuron's state relaxes between time steps. */
public enum LeakForm {
    /** x := x * (2^decay_bits - d) >> decay_bits, as Loihi's decays. */
    MULTIPLICATIVE,
    /** v := v - leak, a constant per step, as TrueNorth's. */
    LINEAR,
    /** No leak: a pure integrator. */
    NONE
}
