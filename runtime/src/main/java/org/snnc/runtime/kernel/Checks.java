package org.snnc.runtime.kernel;

/** Argument validation shared by the kernel specs; messages name the parameter and its value. */
final class Checks {

    private Checks() {
    }

    static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    static void nonNegative(String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be non-negative, got " + v);
        }
    }

    static int convOut(String axis, int in, int k, int stride, int pad, int dilation) {
        positive("input " + axis, in);
        int span = in + 2 * pad - dilation * (k - 1) - 1;
        if (span < 0) {
            throw new IllegalArgumentException("input " + axis + " " + in + " with padding " + pad
                    + " is smaller than the dilated kernel extent " + (dilation * (k - 1) + 1));
        }
        return span / stride + 1;
    }

    static void length(String name, float[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " has " + a.length + " elements, expected " + expected);
        }
    }

    /** For scratch that may be longer than needed. */
    static void atLeast(String name, float[] a, long expected) {
        if (a.length < expected) {
            throw new IllegalArgumentException(name + " has " + a.length + " elements, expected at least " + expected);
        }
    }

    static void length(String name, byte[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " has " + a.length + " elements, expected " + expected);
        }
    }

    static void length(String name, int[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " has " + a.length + " elements, expected " + expected);
        }
    }
}
