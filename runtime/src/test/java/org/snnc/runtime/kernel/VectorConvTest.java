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

    @Test
    void stridedOrNarrowLayersStayOnTheProduct() {
        assertFalse(VectorConv.applies(Conv2dSpec.of(4, 4, 3, 2, 1, 1, false), 64));
        assertFalse(VectorConv.applies(Conv2dSpec.of(4, 4, 3, 1, 1, 1, false), 8));
        assertTrue(VectorConv.applies(Conv2dSpec.of(4, 4, 3, 1, 1, 1, false), 16));
    }
}
