package org.snnc.compiler.ir;

/**
 * The shape of one sample's tensor, {@code [C, H, W]}; flat vectors are {@code [C, 1, 1]} and are
 * written {@code [C]}. Batch and time are not part of a shape: every value exists at every step.
 */
public record Shape(int channels, int height, int width) {

    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("non-positive dimension in [" + channels + "," + height + "," + width + "]");
        }
    }

    public static Shape flat(int size) {
        return new Shape(size, 1, 1);
    }

    public boolean isFlat() {
        return height == 1 && width == 1;
    }

    /** Elements per sample; a long because wide layers at paper scale overflow an int. */
    public long size() {
        return (long) channels * height * width;
    }

    /** {@code [64,32,32]}, or {@code [10]} for flat shapes. */
    @Override
    public String toString() {
        return isFlat() ? "[" + channels + "]" : "[" + channels + "," + height + "," + width + "]";
    }

    public int[] toArray() {
        return new int[] {channels, height, width};
    }
}
