package org.snnc.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.runtime.io.Safetensors;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Tensor;

/** The VOC palette, indexed PNGs, resizing, argmax, and the files written for one image. */
class PredictTest {

    @TempDir
    Path dir;

    @Test
    void vocPaletteMatchesTheKnownColours() {
        assertEquals(0x000000, VocPalette.rgb(0));
        assertEquals(0x800000, VocPalette.rgb(1));
        assertEquals(0x008000, VocPalette.rgb(2));
        assertEquals(0x808000, VocPalette.rgb(3));
        assertEquals(0xC08080, VocPalette.rgb(15)); // person
        assertEquals(0xFFFFFF, VocPalette.rgb(255));
        assertThrows(IllegalArgumentException.class, () -> VocPalette.rgb(256));
    }

    @Test
    void indexedPngRoundTripKeepsTheIndices() throws Exception {
        int h = 3;
        int w = 5;
        int[] classes = {0, 1, 2, 3, 15, 20, 255, 7, 0, 1, 4, 5, 6, 8, 9};
        Path png = dir.resolve("map.png");
        Images.writePng(Images.indexed(classes, h, w), png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertTrue(back.getColorModel() instanceof IndexColorModel, "written as a palette image");
        assertEquals(0x800000, back.getRGB(1, 0) & 0xFFFFFF, "the palette, not greys, is stored");
        assertArrayEquals(classes, Images.readLabels(png, h, w));
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")), "temporary file left behind");
    }

    @Test
    void labelsResizeByNearestAndRgbLabelsAreRefused() throws Exception {
        int[] classes = {1, 2, 3, 4};
        Path png = dir.resolve("2x2.png");
        Images.writePng(Images.indexed(classes, 2, 2), png);
        // Doubling repeats each label in a 2x2 block; no in-between class appears.
        assertArrayEquals(new int[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, Images.readLabels(png, 4, 4));
        Path rgb = dir.resolve("rgb.png");
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", rgb.toFile());
        Images.ImageException e = assertThrows(Images.ImageException.class, () -> Images.readLabels(rgb, 2, 2));
        assertTrue(e.getMessage().contains("not a palette-indexed"), e.getMessage());
    }

    @Test
    void imagesReadAsRgbInUnitRangeAndResizeBilinearly() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x0000FF);
        Path png = dir.resolve("two.png");
        ImageIO.write(img, "png", png.toFile());
        float[] same = Images.readImage(png, 3, 1, 2);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1}, same, 0f);
        // 2 -> 4 columns with half-pixel centres: sources at -0.25, 0.25, 0.75, 1.25 (clamped).
        float[] wide = Images.readImage(png, 3, 1, 4);
        assertArrayEquals(new float[] {1, 0.75f, 0.25f, 0}, java.util.Arrays.copyOfRange(wide, 0, 4), 1e-6f);
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, java.util.Arrays.copyOfRange(wide, 8, 12), 1e-6f);
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not an image");
        assertThrows(Images.ImageException.class, () -> Images.readImage(junk, 3, 4, 4));
    }

    @Test
    void argmaxTakesTheLargestChannelAndTheLowerOnTies() {
        // 2 channels x 3 pixels: channel 1 wins pixel 1, pixel 2 ties.
        float[] logits = {0.5f, 0.1f, 0.3f, 0.2f, 0.9f, 0.3f};
        assertArrayEquals(new int[] {0, 1, 0}, Predictor.argmax(logits, 2, 1, 3));
    }

    @Test
    void predictWritesClassMapLogitsAndTriplet() throws Exception {
        Network net = Network.build(Frontend.compileText("tiny.snn", """
                network Tiny(T: int = 2) {
                  timesteps T
                  input image: [3, 8, 8] encode signed_poisson
                  output seg = image -> conv(4, kernel: 3) -> LIF() -> conv(3, kernel: 1) -> accumulate
                }
                """, Map.of(), new Diagnostics()).orElseThrow(), new ModelOptions(3, Init.XAVIER));
        float[] image = new float[3 * 8 * 8];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 7) / 6f;
        }
        Predictor.Prediction p;
        try (Parallel par = new Parallel(1)) {
            p = Predictor.predict(net, image, 42, par);
        }
        assertEquals(3 * 8 * 8, p.logits().length);
        int[] truth = new int[64];
        truth[0] = 255;
        Predictor.Written w = Predictor.write(dir, "x", image, 3, 8, 8, p, truth, Map.of("network", "Tiny"));
        BufferedImage map = ImageIO.read(w.classMap().toFile());
        assertEquals(8, map.getWidth());
        assertEquals(8, map.getHeight());
        assertArrayEquals(p.classes(), Images.readLabels(w.classMap(), 8, 8));
        Tensor logits = Safetensors.read(w.logits()).tensors().get("logits");
        assertArrayEquals(new int[] {3, 8, 8}, logits.shape());
        assertArrayEquals(p.logits(), logits.data(), 0f);
        BufferedImage triplet = ImageIO.read(w.triplet().toFile());
        // Panels enlarged 16x to 128 pixels, two 4-pixel gaps.
        assertEquals(128, triplet.getHeight());
        assertEquals(3 * 128 + 2 * 4, triplet.getWidth());
        assertEquals(0xFFFFFF, triplet.getRGB(2 * 132, 0) & 0xFFFFFF, "an ignored label shows white");
        assertNull(Predictor.write(dir, "y", image, 3, 8, 8, p, null, Map.of()).triplet());
    }
}
