package org.snnc.compiler.target;

import java.util.Set;

/**
 * The neuron model the cores implement.
 *
 * @param resetModes    reset modes the hardware offers
 * @param defaultReset  the mode used when a network does not ask for one; one of
 *                      {@code resetModes}
 * @param leak          the form of the leak
 * @param leakPerNeuron whether each neuron has its own leak (or decay) constant, rather than
 *                      one per layer
 */
public record NeuronSemantics(Sourced<Set<ResetMode>> resetModes, Sourced<ResetMode> defaultReset,
                              Sourced<LeakForm> leak, Sourced<Boolean> leakPerNeuron) {}
