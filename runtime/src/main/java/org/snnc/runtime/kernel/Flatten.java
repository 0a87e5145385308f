package org.snnc.runtime.kernel;

/**
 * Flatten {@code [n][c][h][w] -> [n][c*h*w]}. In the flat NCHW layout the two shapes share one
 * buffer element for element, so flatten is a view: no data moves in either direction and the
 * output gradient is the input gradient. This class only computes and checks the shape.
 */
public final class Flatten {

    private Flatten() {
    }

    /** Features per sample after flattening, {@code c * h * w}; throws on overflow. */
    public static int features(int c, int h, int w) {
        Checks.positive("channels", c);
        Checks.positive("height", h);
        Checks.positive("width", w);
        long f = (long) c * h * w;
        if (f > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("flattened size " + f + " of [" + c + ", " + h + ", " + w
                    + "] exceeds the largest array");
        }
        return (int) f;
    }
}
