package org.snnc.runtime.model;

/** Derives independent seeds from several keys, so random streams depend only on what they belong to. */
public final class Seeds {

    private Seeds() {
    }

    /** A well-mixed 64-bit value of the keys in order (SplitMix64's finaliser applied after each). */
    public static long mix(long... keys) {
        long h = 0x9E3779B97F4A7C15L;
        for (long k : keys) {
            h = finalise(h ^ finalise(k + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
