package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class CrossEntropy2dTest {

    @Test
    void ignoredPixelsLeaveTheMeanAndGetNoGradient() {
        // Two pixels (1x1x1x2 map per class), labels [1, 255]. Pixel 0 has logits (0, ln 3), so
        // softmax = (1/4, 3/4) and its loss is -ln(3/4); pixel 1 is ignored, count = 1.
        // Gradient on pixel 0: softmax - onehot(1) = (1/4, -1/4); pixel 1: 0.
        float[] logits = {0f, 5f, (float) Math.log(3), -5f};
        float[] grad = new float[4];
        double loss = CrossEntropy2d.lossAndGradient(logits, new int[] {1, 255}, 1, 2, 1, 2, grad, Parallel.serial());
        assertEquals(-Math.log(0.75), loss, 1e-6);
        assertArrayEquals(new float[] {0.25f, 0f, -0.25f, 0f}, grad, 1e-6f);
    }

    @Test
    void meanIsOverCountedPixels() {
        // labels [1, 0]: pixel 1 has logits (5, -5) and loss ln(1 + e^-10); the mean halves the sum,
        // and so does the gradient: pixel 0 gets (1/4, -1/4) / 2.
        float[] logits = {0f, 5f, (float) Math.log(3), -5f};
        float[] grad = new float[4];
        double loss = CrossEntropy2d.lossAndGradient(logits, new int[] {1, 0}, 1, 2, 1, 2, grad, Parallel.serial());
        assertEquals((-Math.log(0.75) + Math.log1p(Math.exp(-10))) / 2, loss, 1e-6);
        assertEquals(0.125f, grad[0], 1e-6f);
        assertEquals(-0.125f, grad[2], 1e-6f);
    }

    @Test
    void allIgnoredGivesNanLossAndZeroGradient() {
        float[] grad = {9, 9};
        double loss = CrossEntropy2d.lossAndGradient(new float[] {1, 2}, new int[] {255}, 1, 2, 1, 1, grad,
                Parallel.serial());
        assertTrue(Double.isNaN(loss));
        assertArrayEquals(new float[] {0, 0}, grad);
    }

    @Test
    void labelOutsideClassesIsRejectedWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropy2d.lossAndGradient(new float[8], new int[] {0, 1, 3, 0}, 1, 2, 2, 2, null,
                        Parallel.serial()));
        assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("(1, 0)"), e.getMessage());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Rand rnd = new Rand(51);
        int n = 2;
        int c = 4;
        int h = 3;
        int w = 3;
        float[] logits = rnd.uniform(n * c * h * w, -3, 3);
        int[] labels = new int[n * h * w];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 5 == 2 ? CrossEntropy2d.IGNORE : rnd.nextInt(c);
        }
        float[] grad = new float[logits.length];
        CrossEntropy2d.lossAndGradient(logits, labels, n, c, h, w, grad, Parallel.serial());
        DoubleSupplier loss = () -> CrossEntropy2d.lossAndGradient(logits, labels, n, c, h, w, null, Parallel.serial());
        GradCheck.check("cross-entropy", logits, grad, loss, 1e-3, 1e-4);
        try (Parallel two = new Parallel(2)) {
            float[] grad2 = new float[logits.length];
            double l1 = CrossEntropy2d.lossAndGradient(logits, labels, n, c, h, w, null, Parallel.serial());
            double l2 = CrossEntropy2d.lossAndGradient(logits, labels, n, c, h, w, grad2, two);
            assertEquals(l1, l2, 0.0);
            assertTrue(Rand.sameBits(grad, grad2));
        }
    }
}
