package org.snnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {

    @Test
    void specParsesKeysAndNamesTheBadOne() {
        ShapesDataset d = (ShapesDataset) DataSpec.parse("shapes:classes=5,size=16,train=10,val=3,seed=9");
        assertEquals(new ShapesDataset.Config(5, 16, 10, 3, 9), d.config());
        assertEquals("shapes:classes=5,size=16,train=10,val=3,seed=9", d.spec());
        assertEquals(ShapesDataset.Config.DEFAULT, ((ShapesDataset) DataSpec.parse("shapes")).config());
        assertMessage("shapes: unknown key 'sizes'; known keys: classes, size, train, val, seed", "shapes:sizes=3");
        assertMessage("shapes: 'size' must be an integer, got 'big'", "shapes:size=big");
        assertMessage("shapes: 'classes' must be in [2, 13], got 40", "shapes:classes=40");
        assertMessage("key 'seed' is given twice in --data shapes:seed=1,seed=2", "shapes:seed=1,seed=2");
        assertMessage("'size' in --data shapes:size is not of the form key=value", "shapes:size");
        assertMessage("unknown data set 'shape' in --data shape; known: shapes, dvs-shapes, voc:DIR, ddd17:DIR", "shape");
    }

    private static void assertMessage(String expected, String spec) {
        assertEquals(expected, assertThrows(DataSpecException.class, () -> DataSpec.parse(spec)).getMessage());
    }

    @Test
    void samplesAreDeterministicInRangeAndSplitsDiffer() {
        ShapesDataset d = new ShapesDataset(new ShapesDataset.Config(7, 24, 50, 20, 3));
        float[] a = new float[3 * 24 * 24];
        float[] b = new float[a.length];
        int[] la = new int[24 * 24];
        int[] lb = new int[la.length];
        d.read(Split.TRAIN, 5, a, 0, la, 0);
        d.read(Split.TRAIN, 5, b, 0, lb, 0);
        assertArrayEquals(a, b);
        assertArrayEquals(la, lb);
        d.read(Split.VAL, 5, b, 0, lb, 0);
        assertFalse(Arrays.equals(a, b));
        int[] histogram = new int[7];
        for (int i = 0; i < 50; i++) {
            d.read(Split.TRAIN, i, a, 0, la, 0);
            for (float v : a) assertTrue(v >= 0 && v <= 1, "pixel " + v);
            for (int l : la) histogram[l]++;
        }
        for (int k = 0; k < 7; k++) {
            assertTrue(histogram[k] > 0, "class " + k + " never appears in 50 images");
        }
        // Shapes cover a real part of the images but leave most of it to the background.
        double fg = 1 - histogram[0] / (50.0 * 24 * 24);
        assertTrue(fg > 0.1 && fg < 0.6, "foreground fraction " + fg);
    }

    @Test
    void loaderVisitsEveryTrainingSampleOncePerEpochInASeededOrder() {
        ShapesDataset d = new ShapesDataset(new ShapesDataset.Config(3, 8, 10, 4, 1));
        List<Integer> seen = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(d, Split.TRAIN, 3, true, true, 7, 0)) {
            assertEquals(3, loader.batches());
            while (loader.hasNext()) {
                Batch b = loader.next();
                assertEquals(3, b.n());
                for (int i : b.indices()) seen.add(i);
            }
        }
        assertEquals(9, seen.stream().distinct().count());
        assertArrayEquals(BatchLoader.order(10, true, 7, 0), BatchLoader.order(10, true, 7, 0));
        assertFalse(Arrays.equals(BatchLoader.order(10, true, 7, 0), BatchLoader.order(10, true, 7, 1)));
        try (BatchLoader val = new BatchLoader(d, Split.VAL, 3, false, false, 7, 0)) {
            assertEquals(3, val.next().n());
            Batch last = val.next();
            assertEquals(1, last.n());
            assertArrayEquals(new int[] {3}, last.indices());
            assertFalse(val.hasNext());
        }
    }
}
