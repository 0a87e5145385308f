package org.snnc.runtime.testing;

import java.util.SplittableRandom;

/** Seeded random test data. */
public final class Rand {

    private final SplittableRandom random;

    public Rand(long seed) {
        random = new SplittableRandom(seed);
    }

    /** Uniform in [-1, 1). */
    public float[] uniform(int n) {
        return uniform(n, -1, 1);
    }

    public float[] uniform(int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return a;
    }

    /** 1 with probability {@code p}, else 0. */
    public byte[] spikes(int n, double p) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble() < p ? (byte) 1 : (byte) 0;
        }
        return a;
    }

    /** -1 or +1 each with probability {@code p / 2}, else 0 (signed Poisson input). */
    public byte[] signedSpikes(int n, double p) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            a[i] = u < p / 2 ? (byte) -1 : u < p ? (byte) 1 : (byte) 0;
        }
        return a;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public static float[] toFloat(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i];
        }
        return f;
    }

    /** Bit patterns equal, except that +0 and -0 count as equal. */
    public static boolean sameValues(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && !(Float.isNaN(a[i]) && Float.isNaN(b[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Exact bit equality, signed zeros and NaN payloads included. */
    public static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
