package org.snnc.runtime.predict;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.snnc.compiler.io.AtomicFile;

/**
 * Image files in and out, through {@code javax.imageio}. Images are {@code float[C][H][W]} with
 * values in [0, 1]; label and class maps are {@code int[H][W]} of palette indices.
 */
public final class Images {

    private Images() {
    }

    /** An image file that cannot be used, with a message naming it. */
    public static final class ImageException extends Exception {
        public ImageException(String message) {
            super(message);
        }
    }

    private static BufferedImage read(Path file) throws ImageException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new ImageException("cannot read image " + file + ": " + e.getMessage());
        }
        if (img == null) {
            throw new ImageException(file + " is not an image javax.imageio can read (PNG, JPEG, GIF, BMP)");
        }
        return img;
    }

    /**
     * Reads an image as RGB in [0, 1], resized to {@code height x width} bilinearly.
     *
     * @param channels 3 for RGB, or 1 for the mean of R, G and B
     * @return {@code [channels][height][width]}
     */
    public static float[] readImage(Path file, int channels, int height, int width) throws ImageException {
        if (channels != 1 && channels != 3) {
            throw new ImageException("images give 1 or 3 channels, but the network's input has " + channels);
        }
        BufferedImage img = read(file);
        int h = img.getHeight();
        int w = img.getWidth();
        float[] rgb = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                rgb[y * w + x] = ((p >> 16) & 0xFF) / 255f;
                rgb[h * w + y * w + x] = ((p >> 8) & 0xFF) / 255f;
                rgb[2 * h * w + y * w + x] = (p & 0xFF) / 255f;
            }
        }
        float[] resized = resizeBilinear(rgb, 3, h, w, height, width);
        if (channels == 3) {
            return resized;
        }
        int n = height * width;
        float[] gray = new float[n];
        for (int i = 0; i < n; i++) {
            gray[i] = (resized[i] + resized[n + i] + resized[2 * n + i]) / 3f;
        }
        return gray;
    }

    /**
     * Bilinear resize of {@code [c][h][w]} with half-pixel centres (PIL's and PyTorch's
     * {@code align_corners=False}), so a resize to the same size is the identity.
     */
    public static float[] resizeBilinear(float[] src, int c, int h, int w, int outH, int outW) {
        float[] out = new float[c * outH * outW];
        for (int y = 0; y < outH; y++) {
            double sy = Math.min(Math.max((y + 0.5) * h / outH - 0.5, 0), h - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.min(Math.max((x + 0.5) * w / outW - 0.5, 0), w - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                for (int k = 0; k < c; k++) {
                    int base = k * h * w;
                    double top = src[base + y0 * w + x0] * (1 - fx) + src[base + y0 * w + x1] * fx;
                    double bottom = src[base + y1 * w + x0] * (1 - fx) + src[base + y1 * w + x1] * fx;
                    out[k * outH * outW + y * outW + x] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return out;
    }

    /**
     * Reads a label map: the palette index of each pixel of an indexed PNG (as VOC's
     * SegmentationClass files; the index, not the colour, is the class), or the value of a
     * single-band grey image; resized to {@code height x width} by nearest neighbour, since
     * interpolating class indices would invent classes.
     */
    public static int[] readLabels(Path file, int height, int width) throws ImageException {
        BufferedImage img = read(file);
        Raster raster = img.getRaster();
        if (!(img.getColorModel() instanceof IndexColorModel) && raster.getNumBands() != 1) {
            throw new ImageException(file + " is not a palette-indexed or single-channel PNG; labels are class "
                    + "indices, as in VOC's SegmentationClass PNGs");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        int[] out = new int[height * width];
        for (int y = 0; y < height; y++) {
            int sy = Math.min((int) ((y + 0.5) * h / height), h - 1);
            for (int x = 0; x < width; x++) {
                int sx = Math.min((int) ((x + 0.5) * w / width), w - 1);
                out[y * width + x] = raster.getSample(sx, sy, 0);
            }
        }
        return out;
    }

    /** {@code [h][w]} class indices (0..255) as an 8-bit PNG indexed in the VOC palette. */
    public static BufferedImage indexed(int[] classes, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, VocPalette.colorModel());
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, classes[y * w + x]);
            }
        }
        return img;
    }

    /** Writes a PNG atomically: a temporary file beside the target, then a rename over it. */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        AtomicFile.write(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer for image type " + img.getType());
            }
        });
    }

    /**
     * Image | prediction | truth side by side (the paper's Figs. 8–9), each panel enlarged by
     * {@code scale} with nearest neighbour so class borders stay sharp, separated by white gaps.
     *
     * @param image  {@code [channels][h][w]} in [0, 1] (1 or 3 channels; others show the first)
     * @param truth  {@code [h][w]} labels, or null for a pair image | prediction
     */
    public static BufferedImage triplet(float[] image, int channels, int[] prediction, int[] truth, int h, int w,
                                        int scale) {
        int gap = 4;
        int panels = truth == null ? 2 : 3;
        int pw = w * scale;
        BufferedImage out = new BufferedImage(panels * pw + (panels - 1) * gap, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, 0xFFFFFF);
            }
        }
        int n = h * w;
        for (int y = 0; y < h * scale; y++) {
            int sy = y / scale;
            for (int x = 0; x < pw; x++) {
                int i = sy * w + x / scale;
                int rgb;
                if (channels >= 3) {
                    rgb = (channel(image[i]) << 16) | (channel(image[n + i]) << 8) | channel(image[2 * n + i]);
                } else {
                    int v = channel(image[i]);
                    rgb = (v << 16) | (v << 8) | v;
                }
                out.setRGB(x, y, rgb);
                out.setRGB(pw + gap + x, y, VocPalette.rgb(prediction[i]));
                if (truth != null) {
                    out.setRGB(2 * (pw + gap) + x, y, VocPalette.rgb(truth[i]));
                }
            }
        }
        return out;
    }

    private static int channel(float v) {
        return Math.round(Math.min(Math.max(v, 0f), 1f) * 255f);
    }
}
