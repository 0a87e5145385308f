package org.snnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.predict.Images;
import org.snnc.runtime.testing.NpyBytes;

class Ddd17DatasetTest {

    @TempDir
    Path dir;

    static final int H = 6;
    static final int W = 8;

    /**
     * Window {@code number} of a recording as Ev-SegNet stores it, {@code [6][8][6]}: ON count
     * {@code on} at (row 0, column 0), OFF count 2 at (5, 7), timestamp channels 0.5 everywhere;
     * labels: class {@code number % 6} on the top half, 9 (out of range, ignored) on the bottom.
     */
    static void window(Path events, Path labels, String name, int number, float on) throws IOException {
        Files.createDirectories(events);
        Files.createDirectories(labels);
        float[] v = new float[H * W * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 6 >= 2 ? 0.5f : 0f;
        }
        v[0] = on;
        v[((H - 1) * W + (W - 1)) * 6 + 1] = 2;
        Files.write(events.resolve(name + "_" + number + ".npy"), NpyBytes.f4(v, H, W, 6));
        int[] y = new int[H * W];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < y.length / 2 ? number % 6 : 9;
        }
        Images.writePng(Images.indexed(y, H, W), labels.resolve(name + "_" + number + ".png"));
    }

    /** train: rec1 windows 0..4 (ON count = number + 1) and rec2 windows 10, 11, 13; test: rec3 windows 0..2. */
    void tree(boolean splitFirst) throws IOException {
        for (int k = 0; k < 5; k++) {
            window(folder(splitFirst, "train", "events"), folder(splitFirst, "train", "labels"), "rec1_export", k, k + 1);
        }
        for (int k : new int[] {10, 11, 13}) {
            window(folder(splitFirst, "train", "events"), folder(splitFirst, "train", "labels"), "rec2_export", k, 1);
        }
        for (int k = 0; k < 3; k++) {
            window(folder(splitFirst, "test", "events"), folder(splitFirst, "test", "labels"), "rec3_export", k, 1);
        }
    }

    private Path folder(boolean splitFirst, String split, String kind) {
        return splitFirst ? dir.resolve(split).resolve(kind) : dir.resolve(kind).resolve(split);
    }

    @Test
    void sequencesAreConsecutiveWindowsOfOneRecording() throws IOException {
        tree(true);
        Dataset d = DataSpec.parse("ddd17:" + dir + ",size=4,timesteps=3");
        assertEquals("ddd17:" + dir + ",size=4,mode=sequence,timesteps=3", d.spec());
        assertEquals(3, d.timesteps());
        assertEquals(6, d.classes());
        // rec1 ends at windows 2, 3, 4; rec2 has no run of 3 (10, 11, then 13).
        assertEquals(3, d.size(Split.TRAIN));
        assertEquals(1, d.size(Split.VAL));
        float[] frames = new float[3 * 2 * 16];
        int[] labels = new int[16];
        d.readFrames(Split.TRAIN, 1, frames, 0, labels, 0);
        for (int t = 0; t < 3; t++) {
            // Sample 1 is windows 1, 2, 3: ON counts 2, 3, 4 at frame pixel (0, 0), which sums
            // sensor rows 0-1 (floor(y·4/6) = 0), columns 0-1.
            assertEquals(2 + t, frames[t * 32]);
            // Frame pixel (3, 3) sums sensor row 5 and columns 6-7: the OFF count 2.
            assertEquals(2f, frames[t * 32 + 16 + 15]);
            float total = 0;
            for (int i = 0; i < 32; i++) total += frames[t * 32 + i];
            assertEquals(2 + t + 2, total, "the timestamp channels are not counts");
        }
        // Window 3's labels: class 3 on top, 9 -> 255 below (rows 0-1 of 4 read sensor rows 0, 2).
        for (int i = 0; i < 16; i++) {
            assertEquals(i < 8 ? 3 : 255, labels[i], "pixel " + i);
        }
    }

    @Test
    void theOtherLayoutAndRateMode() throws IOException {
        tree(false);
        Dataset d = DataSpec.parse("ddd17:" + dir + ",size=4,mode=rate");
        assertEquals(0, d.timesteps());
        assertEquals(8, d.size(Split.TRAIN));
        float[] image = new float[2 * 16];
        int[] labels = new int[16];
        // Sorted by recording then window: index 4 is rec1 window 4 (ON count 5).
        d.read(Split.TRAIN, 4, image, 0, labels, 0);
        float[] expected = new float[32];
        expected[0] = 1;
        expected[16 + 15] = 1;
        assertArrayEquals(expected, image);
        assertEquals(4, labels[0]);
    }

    @Test
    void problemsAreNamed() throws IOException {
        assertEquals("ddd17: " + dir.resolve("x") + " is not a directory; expected Ev-SegNet's DDD17 folder with train/"
                + " and test/, each holding events/*.npy and labels/*.png", message("ddd17:" + dir.resolve("x")));
        tree(true);
        assertEquals("ddd17: the train split of " + dir + " has no run of 6 consecutive windows of one recording; lower"
                + " timesteps or use mode=rate", message("ddd17:" + dir + ",timesteps=6"));
        assertEquals("ddd17: 'mode' must be one of sequence, rate, got 'frames'", message("ddd17:" + dir + ",mode=frames"));
        Files.delete(dir.resolve("test/labels/rec3_export_1.png"));
        assertEquals("ddd17: " + dir.resolve("test/events/rec3_export_1.npy") + " has no labels "
                + dir.resolve("test/labels/rec3_export_1.png"), message("ddd17:" + dir));
        Files.delete(dir.resolve("test/events/rec3_export_1.npy"));
        Files.write(dir.resolve("train/events/rec1_export_2.npy"), NpyBytes.f4(new float[H * W], H, W));
        Dataset d = DataSpec.parse("ddd17:" + dir + ",size=4,timesteps=1");
        assertEquals("ddd17: " + dir.resolve("train/events/rec1_export_2.npy") + " has shape [6, 8]; expected"
                + " [height][width][channels] with at least the 2 count channels (Ev-SegNet's are [200][346][6])",
                assertThrows(ModelException.class, () -> d.readFrames(Split.TRAIN, 2, new float[32], 0, new int[16], 0))
                        .getMessage());
    }

    private static String message(String spec) {
        return assertThrows(DataSpecException.class, () -> DataSpec.parse(spec)).getMessage();
    }
}
