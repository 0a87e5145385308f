package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class AvgPool2dTest {

    /** in[i][j] = 4i + j + 1 on a 4x4 plane. */
    private static float[] ramp16() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void paddedWindowCountingPadding() {
        // kernel 3, stride 2, pad 1 (Spiking-DeepLab's pooling): out size floor((4+2-3)/2)+1 = 2.
        // Windows cover rows/cols {-1,0,1} and {1,2,3}; with padding counted every divisor is 9.
        //  (0,0): in[0..1][0..1] = 1+2+5+6 = 14            -> 14/9
        //  (0,1): in[0..1][1..3] = 2+3+4+6+7+8 = 30          -> 30/9
        //  (1,0): in[1..3][0..1] = 5+6+9+10+13+14 = 57       -> 57/9
        //  (1,1): in[1..3][1..3] = 6+7+8+10+11+12+14+15+16 = 99 -> 99/9 = 11
        float[] y = new float[4];
        AvgPool2d.forward(AvgPool2dSpec.of(3, 2, 1, true), ramp16(), 1, 1, 4, 4, y, Parallel.serial());
        assertArrayEquals(new float[] {14f / 9, 30f / 9, 57f / 9, 11f}, y, 1e-6f);
    }

    @Test
    void paddedWindowExcludingPadding() {
        // Same windows, divided by the number of real inputs: 4, 6, 6, 9.
        float[] y = new float[4];
        AvgPool2d.forward(AvgPool2dSpec.of(3, 2, 1, false), ramp16(), 1, 1, 4, 4, y, Parallel.serial());
        assertArrayEquals(new float[] {14f / 4, 30f / 6, 57f / 6, 11f}, y, 1e-6f);
    }

    @Test
    void plainTwoByTwo() {
        // 2x2 stride 2: means of the four quadrants.
        float[] y = new float[4];
        AvgPool2d.forward(AvgPool2dSpec.of(2, 2, 0, true), ramp16(), 1, 1, 4, 4, y, Parallel.serial());
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, y);
    }

    @Test
    void sizesAndValidation() {
        assertEquals(32, AvgPool2dSpec.of(3, 2, 1, true).outH(64));
        assertEquals(32, AvgPool2dSpec.of(2, 2, 0, true).outW(64));
        assertEquals(2, AvgPool2dSpec.of(2, 2, 0, true).outH(5));
        assertThrows(IllegalArgumentException.class, () -> AvgPool2dSpec.of(3, 1, 2, true));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rand rnd = new Rand(21);
        AvgPool2dSpec[] specs = {
            AvgPool2dSpec.of(3, 2, 1, true),
            AvgPool2dSpec.of(3, 2, 1, false),
            new AvgPool2dSpec(2, 3, 1, 2, 1, 1, false),
            AvgPool2dSpec.of(2, 2, 0, true),
        };
        for (AvgPool2dSpec spec : specs) {
            int n = 2;
            int c = 2;
            int h = 7;
            int w = 6;
            float[] x = rnd.uniform(n * c * h * w);
            float[] r = rnd.uniform(n * c * spec.outH(h) * spec.outW(w));
            float[] y = new float[r.length];
            DoubleSupplier loss = () -> {
                AvgPool2d.forward(spec, x, n, c, h, w, y, Parallel.serial());
                return GradCheck.dot(r, y);
            };
            float[] dx = new float[x.length];
            AvgPool2d.backward(spec, r, n, c, h, w, dx, Parallel.serial());
            GradCheck.check("avgpool " + spec, x, dx, loss, 0.25, 1e-4);
        }
    }
}
