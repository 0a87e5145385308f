package org.snnc.runtime.data;

import org.snnc.compiler.ir.Shape;

/**
 * A segmentation data set: images {@code [C][H][W]} of floats (pixels in [0, 1]) and label maps
 * {@code [H][W]} of class indices ({@code 255} = ignored). Implementations must be safe to read
 * from several threads.
 */
public interface Dataset {

    /** The spec it was made from, for provenance ({@code shapes:classes=4,size=32,...}). */
    String spec();

    Shape imageShape();

    /** Number of classes, background (0) included. */
    int classes();

    int size(Split split);

    /**
     * Writes sample {@code index} of {@code split}: the image at {@code image[imageOff ..)} and
     * its labels at {@code labels[labelOff ..)}.
     */
    void read(Split split, int index, float[] image, int imageOff, int[] labels, int labelOff);
}
