package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.Rand;

class VectorConvTest {

    /**
     * Random stride-1 layers (kernels 1 to 5, padding 0 to 2, dilation 1 or 2, channel counts on
     * both sides of the 8-channel tile, rows on both sides of the 32-position tile, with and
     * without bias, spike and real inputs): the direct tiles give the product path's bits.
     */
    @Test
    void directTilesEqualImToColProductBitForBit() {
        Rand rnd = new Rand(23);
        try (Parallel par = new Parallel(2)) {
            for (int trial = 0; trial < 60; trial++) {
                int kernel = 1 + rnd.nextInt(5);
                int dilation = 1 + rnd.nextInt(2);
                int pad = rnd.nextInt(3);
                int cIn = 1 + rnd.nextInt(5);
                int cOut = 1 + rnd.nextInt(20);
                int n = 1 + rnd.nextInt(3);
                boolean bias = rnd.nextInt(2) == 0;
                Conv2dSpec spec = Conv2dSpec.of(cIn, cOut, kernel, 1, pad, dilation, bias);
                int reach = (kernel - 1) * dilation - 2 * pad;
                // Output rows of 1 to 12, output columns of 16 to 55.
                int h = Math.max(1, reach + 1 + rnd.nextInt(12));
                int w = Math.max(1, reach + 16 + rnd.nextInt(40));
                assertTrue(VectorConv.applies(spec, w), "ow " + spec.outW(w));
                float[] x = rnd.uniform(n * cIn * h * w);
                if (trial % 2 == 0) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = x[i] < 0.2f ? 1f : 0f;
                    }
                }
                float[] weight = rnd.uniform(spec.weightSize());
                float[] b = bias ? rnd.uniform(cOut) : null;
                int size = n * cOut * spec.outH(h) * spec.outW(w);
                float[] expected = new float[size];
                float[] actual = new float[size];
                Conv2d.productForward(spec, x, n, h, w, weight, b, expected, par);
                VectorConv.forward(spec, x, n, h, w, weight, b, actual, par);
                for (int i = 0; i < size; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                            spec + " h=" + h + " w=" + w + " n=" + n + " at " + i);
                }
            }
        }
    }

    /**
     * The input gradient on random stride-1 layers (padding up to the kernel's reach), added onto
     * an existing gradient as the product path adds: the direct tiles give the same bits.
     */
    @Test
    void directInputGradientEqualsProductAndColToImBitForBit() {
        Rand rnd = new Rand(29);
        try (Parallel par = new Parallel(2)) {
            int checked = 0;
            for (int trial = 0; trial < 80 && checked < 50; trial++) {
                int kernel = 1 + rnd.nextInt(5);
                int dilation = 1 + rnd.nextInt(2);
                int pad = rnd.nextInt(3);
                int cIn = 1 + rnd.nextInt(20);
                int cOut = 1 + rnd.nextInt(6);
                int n = 1 + rnd.nextInt(3);
                Conv2dSpec spec = Conv2dSpec.of(cIn, cOut, kernel, 1, pad, dilation, false);
                int reach = (kernel - 1) * dilation - 2 * pad;
                int h = Math.max(1, reach + 1 + rnd.nextInt(10));
                int w = Math.max(16, reach + 1 + rnd.nextInt(50));
                if (!VectorConv.appliesBackward(spec, w)) {
                    continue;
                }
                checked++;
                float[] dy = rnd.uniform(n * cOut * spec.outH(h) * spec.outW(w));
                float[] weightT = new float[spec.weightSize()];
                Conv2d.transposeWeight(rnd.uniform(spec.weightSize()), cOut, spec.weightSize() / cOut, weightT, par);
                float[] expected = rnd.uniform(n * cIn * h * w);
                float[] actual = expected.clone();
                Conv2d.productBackwardInput(spec, dy, n, h, w, weightT, expected, par);
                VectorConv.backwardInput(spec, dy, n, h, w, weightT, actual, par);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                            spec + " h=" + h + " w=" + w + " n=" + n + " at " + i);
                }
            }
            assertTrue(checked >= 40, "layers checked: " + checked);
        }
    }

    @Test
    void stridedOrNarrowLayersStayOnTheProduct() {
        assertFalse(VectorConv.appliesBackward(Conv2dSpec.of(4, 4, 3, 2, 1, 1, false), 64));
        assertFalse(VectorConv.appliesBackward(Conv2dSpec.of(4, 4, 3, 1, 3, 1, false), 64));
        assertFalse(VectorConv.appliesBackward(Conv2dSpec.of(4, 32, 3, 1, 1, 1, false), 64));
        assertTrue(VectorConv.appliesBackward(Conv2dSpec.of(4, 4, 3, 1, 1, 1, false), 16));
        assertFalse(VectorConv.applies(Conv2dSpec.of(4, 4, 3, 2, 1, 1, false), 64));
        assertFalse(VectorConv.applies(Conv2dSpec.of(4, 4, 3, 1, 1, 1, false), 8));
        assertTrue(VectorConv.applies(Conv2dSpec.of(4, 4, 3, 1, 1, 1, false), 16));
    }
}
