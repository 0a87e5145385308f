package org.snnc.simulator;

import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.target.Overflow;

/**
 * One neuron's time step in the target's integer arithmetic, written as plainly as possible: the
 * reference the engines are tested against, step for step in the order of Lava's bit-accurate
 * Loihi LIF ({@code PyLifModelBitAcc} in lava-nc/lava {@code src/lava/proc/lif/models.py}):
 *
 * <ol>
 *   <li>current: {@code u = sign(u) * ((|u| * (2^b - du)) >> b)}, then {@code u += a << 6}
 *       (the synaptic input shift), then u wraps into {@code (-2^23, 2^23]};</li>
 *   <li>voltage: {@code v = sign(v) * ((|v| * (2^b - dv)) >> b) + u}, saturated to
 *       {@code ±(2^23 - 1)};</li>
 *   <li>spike when {@code v > vth << 6}; then {@code v = 0}.</li>
 * </ol>
 *
 * Other targets change the widths, overflow modes, shifts, the leak's form and the reset
 * ({@link NeuronParams}); without a current variable the shifted input goes straight into v.
 */
public final class NeuronReference {

    private NeuronReference() {
    }

    /** The state of one neuron: current u and voltage v. */
    public static final class State {
        public long u;
        public long v;

        public State(long u, long v) {
            this.u = u;
            this.v = v;
        }
    }

    /**
     * Advances {@code s} by one step with synaptic input {@code a} (the sum of the integer weights
     * of the spikes that arrived).
     *
     * @return whether the neuron fired
     */
    public static boolean step(NeuronParams p, State s, long a) {
        return step(p, s, a, 0);
    }

    /**
     * As {@link #step(NeuronParams, State, long)} for a neuron with a bias: Lava adds it to v with
     * the current, {@code v = leak(v) + u + bias}, before the threshold test.
     */
    public static boolean step(NeuronParams p, State s, long a, long bias) {
        return step(p, s, a, bias, p.firingLevel(), p.linearLeak());
    }

    /**
     * As {@link #step(NeuronParams, State, long, long)} with the neuron's own firing level and linear
     * leak, which per-channel weight scales set per channel ({@code Program.ChannelScales}).
     */
    public static boolean step(NeuronParams p, State s, long a, long bias, long firingLevel, int linearLeak) {
        long input = a << p.synapticShift();
        long drive;
        if (p.currentBits() > 0) {
            long u = decay(s.u, p.decayU(), p.decayBits()) + input;
            s.u = overflow(u, p.currentBits(), p.currentOverflow());
            drive = s.u;
        } else {
            drive = input;
        }
        long v = switch (p.leak()) {
            case MULTIPLICATIVE -> decay(s.v, p.decayV(), p.decayBits());
            case LINEAR -> s.v > 0 ? Math.max(0, s.v - linearLeak) : Math.min(0, s.v + linearLeak);
            case NONE -> s.v;
        };
        s.v = overflow(v + drive + bias, p.voltageBits(), p.voltageOverflow());
        if (p.floor() && s.v < 0) s.v = 0;
        if (p.integrator() || s.v <= firingLevel) return false;
        switch (p.reset()) {
            case ZERO -> s.v = 0;
            case SUBTRACT -> s.v = s.v - firingLevel;
        }
        return true;
    }

    /**
     * Lava's decay: the product with {@code 2^bits - d}, shifted right by {@code bits} on the
     * magnitude so that it truncates toward zero for either sign.
     */
    public static long decay(long x, int d, int bits) {
        long product = x * ((1L << bits) - d);
        long magnitude = Math.abs(product) >> bits;
        return product < 0 ? -magnitude : magnitude;
    }

    /**
     * Wrap: Lava's rule for u, subtract {@code 2^bits} when above {@code 2^(bits-1)}, add it when
     * at or below {@code -2^(bits-1)}, so the range is {@code (-2^(bits-1), 2^(bits-1)]} (two's
     * complement but for the one value {@code ±2^(bits-1)}, which Lava keeps positive). Lava's
     * 16-bit input never needs more than one correction; larger sums here wrap modulo {@code 2^bits}.
     * Saturate: clamp to {@code ±(2^(bits-1) - 1)}, as Lava clips v.
     */
    public static long overflow(long x, int bits, Overflow mode) {
        long half = 1L << (bits - 1);
        if (mode == Overflow.SATURATE) {
            return Math.max(-(half - 1), Math.min(half - 1, x));
        }
        long span = 2 * half;
        long r = Math.floorMod(x, span);
        return r > half ? r - span : r;
    }
}
