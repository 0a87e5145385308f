package org.snnc.runtime.kernel;

/**
 * Element-wise operations on equally shaped flat arrays. The gradient of {@code add} with respect
 * to each operand is the output gradient, so its backward is {@link #accumulate} into each
 * operand's gradient (skip connections fan the gradient out this way).
 */
public final class Elementwise {

    private Elementwise() {
    }

    /** {@code out[i] = a[i] + b[i]}; {@code out} may be {@code a} or {@code b}. */
    public static void add(float[] a, float[] b, float[] out) {
        if (a.length != b.length || a.length != out.length) {
            throw new IllegalArgumentException("cannot add arrays of " + a.length + " and " + b.length
                    + " elements into " + out.length);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** {@code dst[i] += src[i]}. */
    public static void accumulate(float[] dst, float[] src) {
        if (dst.length != src.length) {
            throw new IllegalArgumentException("cannot accumulate " + src.length + " elements into " + dst.length);
        }
        for (int i = 0; i < dst.length; i++) {
            dst[i] += src[i];
        }
    }
}
