package org.snnc.runtime.data;

import org.snnc.compiler.ir.Shape;

/**
 * A segmentation data set: images {@code [C][H][W]} of floats (pixels in [0, 1]) and label maps
 * {@code [H][W]} of class indices ({@code 255} = ignored). Implementations must be safe to read
 * from several threads.
 *
 * <p>An <em>event</em> set ({@link #timesteps()} {@code > 0}) also gives each sample as a
 * sequence of frames {@code [timesteps][C][H][W]} of event counts, frame {@code t} feeding time
 * step {@code t} of an {@code events} input; {@link BatchLoader} then batches the frames rather
 * than the images. Its {@link #read} image is a static summary for consumers that take one
 * image per sample.
 */
public interface Dataset {

    /** The spec it was made from, for provenance ({@code shapes:classes=4,size=32,...}). */
    String spec();

    /** The shape of one image, and of one frame of an event set. */
    Shape imageShape();

    /** Number of classes, background (0) included. */
    int classes();

    int size(Split split);

    /**
     * Writes sample {@code index} of {@code split}: the image at {@code image[imageOff ..)} and
     * its labels at {@code labels[labelOff ..)}.
     */
    void read(Split split, int index, float[] image, int imageOff, int[] labels, int labelOff);

    /** Frames per sample of an event set; 0 for a set of static images. */
    default int timesteps() {
        return 0;
    }

    /**
     * Writes sample {@code index} of an event set as {@link #timesteps()} frames of event counts
     * ({@code >= 0}), {@code [timesteps][C][H][W]} at {@code frames[framesOff ..)}, and the
     * labels of its last frame at {@code labels[labelOff ..)}.
     */
    default void readFrames(Split split, int index, float[] frames, int framesOff, int[] labels, int labelOff) {
        throw new UnsupportedOperationException(spec() + " is not an event data set");
    }
}
