package org.snnc.compiler.ir;

/** A per-axis value (kernel, stride, padding, dilation): height first, as PyTorch. */
public record Pair(int h, int w) {

    public static Pair of(int both) {
        return new Pair(both, both);
    }

    /** {@code 3} when both axes agree, else {@code 3x1}. */
    @Override
    public String toString() {
        return h == w ? Integer.toString(h) : h + "x" + w;
    }
}
