/**
 * The seed paper's energy model (Kim, Chough &amp; Panda, Eq. 9–12): dense operation counts of the
 * IR's synaptic layers, scaled by measured input spike rates, priced with the 45 nm table. Shared
 * by {@code snnc energy} (rates from the runtime) and the simulator (rates from a simulated run).
 */
package org.snnc.compiler.energy;
