package org.snnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.predict.Images;

class VocDatasetTest {

    @TempDir
    Path dir;

    /**
     * A VOC tree of {@code train + val} 40x30 images: the left half of image {@code i} is class
     * {@code 1 + i % 20} in a colour of its own, the right half background, a 2-pixel border of
     * 255 between them; ids {@code 2007_00000i}.
     */
    static void write(Path dir, int train, int val) throws IOException {
        Files.createDirectories(dir.resolve("JPEGImages"));
        Files.createDirectories(dir.resolve("SegmentationClass"));
        Files.createDirectories(dir.resolve("ImageSets/Segmentation"));
        List<String> trainIds = new ArrayList<>();
        List<String> valIds = new ArrayList<>();
        int w = 40;
        int h = 30;
        for (int i = 0; i < train + val; i++) {
            String id = String.format("2007_%06d", i);
            (i < train ? trainIds : valIds).add(id);
            int cls = 1 + i % 20;
            BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] labels = new int[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean object = x < w / 2 - 1;
                    boolean border = !object && x < w / 2 + 1;
                    rgb.setRGB(x, y, object ? (cls * 12) << 16 | 200 << 8 : 0x202020);
                    labels[y * w + x] = object ? cls : border ? 255 : 0;
                }
            }
            ImageIO.write(rgb, "jpg", dir.resolve("JPEGImages/" + id + ".jpg").toFile());
            Images.writePng(Images.indexed(labels, h, w), dir.resolve("SegmentationClass/" + id + ".png"));
        }
        Files.write(dir.resolve("ImageSets/Segmentation/train.txt"), trainIds);
        Files.write(dir.resolve("ImageSets/Segmentation/val.txt"), valIds);
    }

    @Test
    void readsResizedImagesAndPaletteIndices() throws IOException {
        write(dir, 3, 2);
        Dataset d = DataSpec.parse("voc:" + dir + ",size=20");
        assertEquals("voc:" + dir + ",size=20,train=train,val=val,labels=SegmentationClass", d.spec());
        assertEquals(new org.snnc.compiler.ir.Shape(3, 20, 20), d.imageShape());
        assertEquals(21, d.classes());
        assertEquals(3, d.size(Split.TRAIN));
        assertEquals(2, d.size(Split.VAL));
        assertEquals(64, ((VocDataset) DataSpec.parse("voc:" + dir)).imageShape().height());
        float[] image = new float[3 * 400];
        int[] labels = new int[400];
        d.read(Split.VAL, 1, image, 0, labels, 0);
        // Image 4 is class 5: the left half labelled 5, the middle 255, the right 0 (palette
        // indices; the PNG's colours would be (64, 128, 0)...).
        int cls = 5;
        // Output column x reads source column floor((x + 0.5) * 2): 8 -> 17, 9 -> 19, 10 -> 21.
        assertEquals(cls, labels[5 * 20 + 8]);
        assertEquals(255, labels[5 * 20 + 9]);
        assertEquals(0, labels[5 * 20 + 10]);
        // JPEG is lossy: colours within a few levels, in [0, 1].
        assertEquals(cls * 12 / 255f, image[5 * 20 + 2], 0.05);
        assertEquals(200 / 255f, image[400 + 5 * 20 + 2], 0.05);
        assertEquals(0x20 / 255f, image[800 + 5 * 20 + 17], 0.05);
        for (float v : image) assertTrue(v >= 0 && v <= 1);
    }

    @Test
    void listAndLabelFolderOptions() throws IOException {
        write(dir, 3, 2);
        Files.write(dir.resolve("ImageSets/Segmentation/small.txt"), List.of("2007_000001", "", "2007_000002"));
        Files.move(dir.resolve("SegmentationClass"), dir.resolve("SegmentationClassAug"));
        VocDataset d = VocDataset.open(dir, Map.of("train", "small", "labels", "SegmentationClassAug"));
        assertEquals(2, d.size(Split.TRAIN));
    }

    @Test
    void missingPiecesAreNamed() throws IOException {
        Path none = dir.resolve("nothing");
        assertEquals("voc: " + none + " is not a directory; expected the VOC2012 folder holding JPEGImages/,"
                + " SegmentationClass/ and ImageSets/Segmentation/", message("voc:" + none));
        write(dir, 2, 1);
        Files.delete(dir.resolve("ImageSets/Segmentation/val.txt"));
        assertEquals("voc: the list " + dir.resolve("ImageSets/Segmentation/val.txt") + " does not exist; expected one"
                + " image id a line (as 2007_000032)", message("voc:" + dir));
        Files.write(dir.resolve("ImageSets/Segmentation/val.txt"), List.of("2007_000002", "2007_000009"));
        assertEquals("voc: 2 files named by ImageSets/Segmentation/val.txt do not exist, first "
                + dir.resolve("JPEGImages/2007_000009.jpg"), message("voc:" + dir));
        Files.write(dir.resolve("ImageSets/Segmentation/val.txt"), List.of("2007_000001 1"));
        assertEquals("voc: " + dir.resolve("ImageSets/Segmentation/val.txt") + ":1: '2007_000001 1' is not an image id"
                + " (one id a line, as 2007_000032)", message("voc:" + dir));
        assertEquals("--data voc: names no directory; write voc:DIR[,key=value,...] with DIR holding JPEGImages/,"
                + " SegmentationClass/ and ImageSets/Segmentation/", message("voc:"));
        assertEquals("voc: unknown key 'sise'; known keys: size, train, val, labels", message("voc:" + dir + ",sise=3"));
    }

    @Test
    void badFilesAreNamedWhenRead() throws IOException {
        write(dir, 2, 1);
        Files.write(dir.resolve("JPEGImages/2007_000000.jpg"), new byte[] {1, 2, 3});
        Dataset d = DataSpec.parse("voc:" + dir + ",size=16");
        float[] image = new float[3 * 256];
        int[] labels = new int[256];
        assertEquals("voc: " + dir.resolve("JPEGImages/2007_000000.jpg") + " is not an image javax.imageio can read"
                + " (PNG, JPEG, GIF, BMP)", assertThrows(ModelException.class,
                        () -> d.read(Split.TRAIN, 0, image, 0, labels, 0)).getMessage());
        // A label of class 30 is no VOC label.
        int[] bad = new int[30 * 40];
        java.util.Arrays.fill(bad, 30);
        Images.writePng(Images.indexed(bad, 30, 40), dir.resolve("SegmentationClass/2007_000001.png"));
        assertEquals("voc: " + dir.resolve("SegmentationClass/2007_000001.png") + " holds class 30; VOC labels are 0..20"
                + " and 255 (ignored)", assertThrows(ModelException.class,
                        () -> d.read(Split.TRAIN, 1, image, 0, labels, 0)).getMessage());
        // An RGB label is refused: its colours are not classes.
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png",
                dir.resolve("SegmentationClass/2007_000001.png").toFile());
        assertTrue(assertThrows(ModelException.class, () -> d.read(Split.TRAIN, 1, image, 0, labels, 0)).getMessage()
                .contains("is not a palette-indexed or single-channel PNG"));
    }

    private static String message(String spec) {
        return assertThrows(DataSpecException.class, () -> DataSpec.parse(spec)).getMessage();
    }
}
