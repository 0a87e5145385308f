package org.snnc.runtime.model;

import java.util.SplittableRandom;
import org.snnc.compiler.ir.Encoding;

/**
 * Turns one sample's values into what the first layer sees at one time step. Random encodings
 * draw from a stream seeded by (key, sample, step) alone, so a sample's spikes do not depend on
 * the thread that encodes it nor on the other samples of its batch.
 */
public final class Encoder {

    private Encoder() {
    }

    /** Whether the encoding produces spikes (bytes) rather than analog values. */
    public static boolean spiking(Encoding.Kind kind) {
        return kind != Encoding.Kind.DIRECT;
    }

    /**
     * Spikes of one sample at one step into {@code out[outOff .. outOff+len)}.
     * <ul>
     *   <li>poisson, and events given one static image per sample: 1 with probability {@code x}
     *       ({@code U(0,1) < x}), the channel values taken as per-step rates in [0, 1] (the
     *       paper's DDD17 recipe); events given a frame per step go through {@link #frame};
     *   <li>signed_poisson, as the released code: the pixel is centred, {@code c = x - 0.5} in
     *       [-0.5, 0.5], and the spike is {@code sign(c) * [U(0,1) <= |c|]}.
     * </ul>
     *
     * @param key    the batch's encoding key (derived from the run's seed and the step)
     * @param sample index of the sample in its batch
     * @param t      time step
     */
    public static void encode(Encoding.Kind kind, float[] x, int off, int len, byte[] out, int outOff,
                              long key, int sample, int t) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(key, sample, t));
        switch (kind) {
            case POISSON, EVENTS -> {
                for (int i = 0; i < len; i++) {
                    out[outOff + i] = random.nextDouble() < x[off + i] ? (byte) 1 : (byte) 0;
                }
            }
            case SIGNED_POISSON -> {
                for (int i = 0; i < len; i++) {
                    float c = x[off + i] - 0.5f;
                    boolean fire = random.nextDouble() <= Math.abs(c) && c != 0f;
                    out[outOff + i] = !fire ? 0 : c > 0 ? (byte) 1 : (byte) -1;
                }
            }
            case DIRECT -> throw new IllegalArgumentException("direct input is analog, not spikes");
        }
    }

    /**
     * Spikes of one event frame (the counts of one time step's window): a location spikes when
     * at least one event fell into it, {@code x > 0}. Nothing is random: the events themselves
     * are the sample of the scene.
     */
    public static void frame(float[] x, int off, int len, byte[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = x[off + i] > 0f ? (byte) 1 : (byte) 0;
        }
    }
}
