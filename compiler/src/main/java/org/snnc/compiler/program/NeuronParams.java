package org.snnc.compiler.program;

import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/**
 * A population's neuron in the target's integer arithmetic. One step of a neuron, given the sum
 * {@code a} of the integer weights of the spikes that reached it:
 *
 * <pre>
 *   in = a &lt;&lt; synapticShift
 *   if currentBits &gt; 0:  u = overflow(decay(u, decayU) + in, currentBits);  in = u
 *   v = overflow(leak(v) + in + bias, voltageBits)    (bias: the neuron's, during its population's input window)
 *   if floor and v &lt; 0:  v = 0
 *   if !integrator and v &gt; threshold &lt;&lt; thresholdShift:  spike; v = 0 (zero) or v -= threshold &lt;&lt; thresholdShift (subtract)
 * </pre>
 *
 * {@code decay(x, d) = sign(x) * ((|x| * (2^decayBits - d)) >> decayBits)}; a linear leak moves
 * {@code v} toward 0 by {@code linearLeak} without crossing it. This is Lava's
 * {@code PyLifModelBitAcc} order for Loihi (docs/simulator.md).
 *
 * @param currentBits     bits of the signed current u; 0 when input goes straight into v
 * @param currentOverflow overflow of u (ignored when there is no current)
 * @param voltageBits     bits of the signed voltage v
 * @param voltageOverflow overflow of v
 * @param leak            the leak's form
 * @param decayBits       bits of the decay constants
 * @param decayU          effective current decay, 0..2^decayBits (Loihi: Lava's du + ds_offset 1)
 * @param decayV          effective voltage decay, 0..2^decayBits (multiplicative leak)
 * @param linearLeak      voltage units subtracted toward 0 per step (linear leak), ≥ 0
 * @param threshold       unsigned threshold mantissa
 * @param thresholdShift  left shift of the threshold before the comparison
 * @param synapticShift   left shift of every synaptic input
 * @param reset           what a spike does to v
 * @param integrator      a non-spiking compartment (readout): never fires
 * @param floor           v is raised to 0 when it falls below, before the threshold test (a relay
 *                        neuron: TrueNorth's negative threshold of 0 in saturating mode)
 */
public record NeuronParams(int currentBits, Overflow currentOverflow, int voltageBits, Overflow voltageOverflow,
        LeakForm leak, int decayBits, int decayU, int decayV, int linearLeak, int threshold, int thresholdShift,
        int synapticShift, ResetMode reset, boolean integrator, boolean floor) {

    /** A neuron without a floor. */
    public NeuronParams(int currentBits, Overflow currentOverflow, int voltageBits, Overflow voltageOverflow,
            LeakForm leak, int decayBits, int decayU, int decayV, int linearLeak, int threshold, int thresholdShift,
            int synapticShift, ResetMode reset, boolean integrator) {
        this(currentBits, currentOverflow, voltageBits, voltageOverflow, leak, decayBits, decayU, decayV, linearLeak, threshold,
                thresholdShift, synapticShift, reset, integrator, false);
    }

    /** {@code threshold << thresholdShift}, what v is compared with. */
    public long firingLevel() {
        return (long) threshold << thresholdShift;
    }
}
