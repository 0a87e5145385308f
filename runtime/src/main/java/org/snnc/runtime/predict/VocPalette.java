package org.snnc.runtime.predict;

import java.awt.image.IndexColorModel;

/**
 * The Pascal VOC colour map: class c's colour spreads the bits of c over the three channels,
 * bit 3j of c to the red channel's bit 7 - j, bit 3j + 1 to green's, bit 3j + 2 to blue's; so 1 is
 * (128, 0, 0), 2 (0, 128, 0), 15 (192, 128, 128). Index 255 (the ignored border label) is shown
 * white here rather than the rule's (224, 224, 192), so ignored pixels stand out from every class.
 */
public final class VocPalette {

    /** The label that marks ignored pixels. */
    public static final int IGNORE = 255;

    private static final int[] RGB = new int[256];

    static {
        for (int c = 0; c < 256; c++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int bits = c;
            for (int j = 0; j < 8; j++) {
                r |= (bits & 1) << (7 - j);
                g |= ((bits >> 1) & 1) << (7 - j);
                b |= ((bits >> 2) & 1) << (7 - j);
                bits >>= 3;
            }
            RGB[c] = (r << 16) | (g << 8) | b;
        }
        RGB[IGNORE] = 0xFFFFFF;
    }

    private VocPalette() {
    }

    /** Class (or label) {@code c}'s colour as {@code 0xRRGGBB}; {@code c} in 0..255. */
    public static int rgb(int c) {
        if (c < 0 || c > 255) {
            throw new IllegalArgumentException("a palette index is 0..255, got " + c);
        }
        return RGB[c];
    }

    /** The 256-entry colour model of an 8-bit indexed image in this palette. */
    public static IndexColorModel colorModel() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int c = 0; c < 256; c++) {
            r[c] = (byte) (RGB[c] >> 16);
            g[c] = (byte) (RGB[c] >> 8);
            b[c] = (byte) RGB[c];
        }
        return new IndexColorModel(8, 256, r, g, b);
    }
}
