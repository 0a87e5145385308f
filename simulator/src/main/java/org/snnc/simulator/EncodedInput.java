package org.snnc.simulator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One sample's values, written into one input group's channels as spikes per the group's
 * encoding, with the same rules as the training runtime's encoder:
 * <ul>
 *   <li>{@code poisson} and {@code events}: channel {@code i} spikes at a step when
 *       {@code U(0,1) < x[i]};</li>
 *   <li>{@code signed_poisson}: the value is centred, {@code c = x[i] - 0.5}, and the channel
 *       spikes when {@code c != 0} and {@code U(0,1) <= |c|}, with sign {@code sign(c)}.</li>
 * </ul>
 * A spike of -1 travels through the same synapses as a +1 and subtracts their weights
 * ({@link #negativeAt}); {@link #negativeSpikes} counts them for the notes.
 *
 * <p>Step {@code t} draws from its own stream seeded by {@code seed} and {@code t}, so
 * {@link #at} is a pure function of the step and two engines see the same spikes.
 */
public final class EncodedInput implements InputSpikes {

    private final boolean signed;
    private final int offset;
    private final float[] x;
    private final long seed;

    private EncodedInput(boolean signed, int offset, float[] x, long seed) {
        this.signed = signed;
        this.offset = offset;
        this.x = x;
        this.seed = seed;
    }

    /**
     * @param encoding the input group's encoding keyword (from the program)
     * @param offset   the group's first channel
     * @param values   one value per channel of the group, in its CHW order, in [0, 1]
     * @throws IllegalArgumentException for an encoding that does not give spikes ({@code direct})
     *                                  or one this class does not know
     */
    public static EncodedInput of(String encoding, int offset, float[] values, long seed) {
        boolean signed = switch (encoding) {
            case "poisson", "events" -> false;
            case "signed_poisson" -> true;
            default -> throw new IllegalArgumentException("input encoding '" + encoding
                    + "' gives no spikes the simulator can encode (known: poisson, signed_poisson, events)");
        };
        return new EncodedInput(signed, offset, values.clone(), seed);
    }

    /** Whether the encoding is signed (some spikes may be -1). */
    public boolean signed() {
        return signed;
    }

    @Override
    public int[] at(int step) {
        return draw(step, +1);
    }

    /** The channels whose spike at {@code step} is -1 in the signed encoding (none when unsigned). */
    @Override
    public int[] negativeAt(int step) {
        return signed ? draw(step, -1) : new int[0];
    }

    /** The -1 spikes over steps {@code 0 .. steps-1}. */
    public long negativeSpikes(int steps) {
        long n = 0;
        for (int t = 0; t < steps; t++) n += negativeAt(t).length;
        return n;
    }

    /**
     * The channels spiking at {@code step}: all of them for {@code want = +1}, those of sign -1
     * for {@code want = -1}. Both walk the same stream, one draw per channel, so they agree.
     */
    private int[] draw(int step, int want) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int[] buffer = new int[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            double u = random.nextDouble();
            if (!signed) {
                if (u < x[i]) buffer[n++] = offset + i;
            } else {
                double c = x[i] - 0.5;
                if (c != 0 && u <= Math.abs(c) && (want > 0 || c < 0)) buffer[n++] = offset + i;
            }
        }
        return Arrays.copyOf(buffer, n);
    }
}
