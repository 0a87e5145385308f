package org.snnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DvsShapesDatasetTest {

    private static DvsShapesDataset set(String options) {
        return (DvsShapesDataset) DataSpec.parse("dvs-shapes:" + options);
    }

    @Test
    void specParsesEveryKeyAndNamesTheBadOne() {
        DvsShapesDataset d = set("classes=5,size=16,timesteps=6,train=10,val=3,seed=9,speed=0.5,noise=0,texture=0.5");
        assertEquals(new DvsShapesDataset.Config(5, 16, 6, 10, 3, 9, 0.5, 0, 0.5), d.config());
        assertEquals("dvs-shapes:classes=5,size=16,timesteps=6,train=10,val=3,seed=9,speed=0.5,noise=0.0,texture=0.5",
                d.spec());
        assertEquals(d.config(), ((DvsShapesDataset) DataSpec.parse(d.spec())).config());
        assertEquals(DvsShapesDataset.Config.DEFAULT, ((DvsShapesDataset) DataSpec.parse("dvs-shapes")).config());
        assertEquals(6, d.timesteps());
        assertEquals(new org.snnc.compiler.ir.Shape(2, 16, 16), d.imageShape());
        assertMessage("dvs-shapes: unknown key 'steps'; known keys: classes, size, timesteps, train, val, seed, speed, noise,"
                + " texture",
                "dvs-shapes:steps=4");
        assertMessage("dvs-shapes: 'noise' must be in [0.0, 1.0], got 2", "dvs-shapes:noise=2");
        assertMessage("dvs-shapes: 'timesteps' must be an integer, got 'x'", "dvs-shapes:timesteps=x");
    }

    private static void assertMessage(String expected, String spec) {
        assertEquals(expected, assertThrows(DataSpecException.class, () -> DataSpec.parse(spec)).getMessage());
    }

    @Test
    void framesAreDeterministicPerSeedSplitAndIndex() {
        DvsShapesDataset d = set("size=24,timesteps=5,train=20,val=5");
        int len = 5 * 2 * 24 * 24;
        float[] a = new float[len];
        float[] b = new float[len];
        int[] la = new int[24 * 24];
        int[] lb = new int[24 * 24];
        d.readFrames(Split.TRAIN, 3, a, 0, la, 0);
        d.readFrames(Split.TRAIN, 3, b, 0, lb, 0);
        assertArrayEquals(a, b);
        assertArrayEquals(la, lb);
        d.readFrames(Split.VAL, 3, b, 0, lb, 0);
        assertFalse(Arrays.equals(a, b));
        set("size=24,timesteps=5,train=20,val=5,seed=2").readFrames(Split.TRAIN, 3, b, 0, lb, 0);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void stillShapesMakeNoEventsAndPlainMovingOnesMakeThemAtTheirOutlines() {
        int s = 32;
        int plane = s * s;
        float[] frames = new float[8 * 2 * plane];
        int[] labels = new int[8 * plane];
        set("size=32,timesteps=8,speed=0,noise=0").readFrames(Split.TRAIN, 0, frames, 0, labels, 0);
        for (float v : frames) assertEquals(0f, v);

        DvsShapesDataset moving = set("size=32,timesteps=8,speed=1.5,noise=0,texture=0,train=40");
        long on = 0;
        long off = 0;
        long eventPixels = 0;
        long far = 0;
        for (int i = 0; i < 40; i++) {
            moving.readSequence(Split.TRAIN, i, frames, 0, labels, 0);
            for (int t = 0; t < 8; t++) {
                int[] now = Arrays.copyOfRange(labels, t * plane, (t + 1) * plane);
                for (int q = 0; q < plane; q++) {
                    float onCount = frames[t * 2 * plane + q];
                    float offCount = frames[t * 2 * plane + plane + q];
                    assertTrue(onCount >= 0 && offCount >= 0 && onCount == Math.rint(onCount));
                    on += (long) onCount;
                    off += (long) offCount;
                    if (onCount + offCount > 0) {
                        eventPixels++;
                        // Events lie within a few pixels of a shape boundary at the window's end.
                        if (!nearBoundary(now, s, q % s, q / s, 4)) {
                            far++;
                        }
                    }
                }
            }
        }
        assertTrue(on > 0 && off > 0, "ON " + on + ", OFF " + off);
        double density = eventPixels / (40.0 * 8 * plane);
        assertTrue(density > 0.01 && density < 0.3, "event density " + density);
        // The shading inside a shape moves with it and makes a few events of its own.
        assertTrue(far < 0.05 * eventPixels, far + " of " + eventPixels + " event pixels are away from every edge");
    }

    @Test
    void texturedShapesMakeEventsAcrossThemAndNowhereElse() {
        int s = 32;
        int plane = s * s;
        float[] frames = new float[8 * 2 * plane];
        int[] labels = new int[8 * plane];
        DvsShapesDataset d = set("size=32,timesteps=8,noise=0,train=40");
        long foreground = 0;
        long foregroundWithEvents = 0;
        for (int i = 0; i < 40; i++) {
            d.readSequence(Split.TRAIN, i, frames, 0, labels, 0);
            for (int t = 1; t < 8; t++) {
                for (int q = 0; q < plane; q++) {
                    boolean event = frames[t * 2 * plane + q] + frames[t * 2 * plane + plane + q] > 0;
                    // The window runs from the end of window t-1 to the end of window t.
                    // Within 2 pixels, for the corners of the 2x2 samples; at the image's border a
                    // shape outside it can cover a sample and no pixel centre.
                    boolean shape = near(labels, (t - 1) * plane, s, q) || near(labels, t * plane, s, q);
                    boolean border = q % s < 2 || q / s < 2 || q % s >= s - 2 || q / s >= s - 2;
                    assertTrue(shape || border || !event, "sample " + i + " window " + t + ": an event at " + q + " off every shape");
                    if (labels[t * plane + q] != 0) {
                        foreground++;
                        if (event) foregroundWithEvents++;
                    }
                }
            }
        }
        double inside = (double) foregroundWithEvents / foreground;
        assertTrue(inside > 0.3, "only " + inside + " of shape pixels have events in a window");
    }

    /** Whether a shape covers pixel {@code q} or a pixel within 2 of it in the label plane at {@code off}. */
    private static boolean near(int[] labels, int off, int s, int q) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int x = q % s + dx;
                int y = q / s + dy;
                if (x >= 0 && y >= 0 && x < s && y < s && labels[off + y * s + x] != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean nearBoundary(int[] labels, int s, int x, int y, int r) {
        int c = labels[y * s + x];
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < s && yy < s && labels[yy * s + xx] != c) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void noiseAddsEventsAtItsRate() {
        int plane = 16 * 16;
        float[] frames = new float[10 * 2 * plane];
        int[] labels = new int[plane];
        long events = 0;
        DvsShapesDataset d = set("size=16,timesteps=10,speed=0,noise=0.05,train=20");
        for (int i = 0; i < 20; i++) {
            d.readFrames(Split.TRAIN, i, frames, 0, labels, 0);
            for (float v : frames) events += (long) v;
        }
        assertEquals(0.05, events / (20.0 * frames.length), 0.005);
    }

    @Test
    void lastSequenceLabelsAreTheSamplesAndTheImageIsTheEventOccupancy() {
        DvsShapesDataset d = set("size=16,timesteps=4");
        int plane = 16 * 16;
        float[] frames = new float[4 * 2 * plane];
        int[] every = new int[4 * plane];
        d.readSequence(Split.VAL, 7, frames, 0, every, 0);
        int[] last = new int[plane];
        float[] again = new float[frames.length];
        d.readFrames(Split.VAL, 7, again, 0, last, 0);
        assertArrayEquals(frames, again);
        assertArrayEquals(Arrays.copyOfRange(every, 3 * plane, 4 * plane), last);
        float[] image = new float[2 * plane];
        int[] labels = new int[plane];
        d.read(Split.VAL, 7, image, 0, labels, 0);
        assertArrayEquals(last, labels);
        for (int i = 0; i < 2 * plane; i++) {
            int fired = 0;
            for (int t = 0; t < 4; t++) {
                if (frames[t * 2 * plane + i] > 0) fired++;
            }
            assertEquals(fired / 4f, image[i]);
        }
    }

    @Test
    void batchLoaderBatchesTheFramesOfEventSets() {
        DvsShapesDataset d = set("size=8,timesteps=3,train=5,val=2");
        int frame = 2 * 8 * 8;
        try (BatchLoader loader = new BatchLoader(d, Split.TRAIN, 2, false, true, 1, 0)) {
            Batch b = loader.next();
            assertEquals(2 * 3 * frame, b.images().length);
            float[] second = new float[3 * frame];
            int[] labels = new int[64];
            d.readFrames(Split.TRAIN, 1, second, 0, labels, 0);
            assertArrayEquals(second, Arrays.copyOfRange(b.images(), 3 * frame, 6 * frame));
            assertArrayEquals(labels, Arrays.copyOfRange(b.labels(), 64, 128));
        }
    }
}
