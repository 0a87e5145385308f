package org.snnc.compiler.target;

import java.util.Optional;

/**
 * Integer formats of the core's arithmetic. A weight w with exponent e adds
 * {@code w << (e + synapticInputShift)} to the current (or to the voltage when there is no
 * current variable).
 *
 * @param weightBits         bits of the signed weight mantissa, sign included
 * @param weightExponentMin  smallest weight exponent; 0 with max 0 when there is none
 * @param weightExponentMax  largest weight exponent
 * @param weightExponentShared whether one exponent serves a whole layer (synapse group) rather
 *                           than each synapse
 * @param synapticInputShift left shift applied to every synaptic input
 * @param currentBits        bits of the signed current u; 0 when synaptic input goes straight
 *                           into the voltage
 * @param currentOverflow    overflow of u; present exactly when {@code currentBits > 0}
 * @param voltageBits        bits of the signed voltage v
 * @param voltageOverflow    overflow of v
 * @param decayBits          bits of the multiplicative decay constants; 0 when there is none
 * @param thresholdBits      bits of the unsigned threshold
 * @param thresholdShift     a neuron fires when {@code v > threshold << thresholdShift}
 */
public record NumberFormat(Sourced<Integer> weightBits, Sourced<Integer> weightExponentMin,
                           Sourced<Integer> weightExponentMax, Sourced<Boolean> weightExponentShared,
                           Sourced<Integer> synapticInputShift, Sourced<Integer> currentBits,
                           Optional<Sourced<Overflow>> currentOverflow,
                           Sourced<Integer> voltageBits, Sourced<Overflow> voltageOverflow,
                           Sourced<Integer> decayBits, Sourced<Integer> thresholdBits,
                           Sourced<Integer> thresholdShift) {}
