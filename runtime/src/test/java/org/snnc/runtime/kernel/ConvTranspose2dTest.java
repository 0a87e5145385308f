package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class ConvTranspose2dTest {

    @Test
    void strideTwoPlacesScaledKernelsSideBySide() {
        // Input [[1,2],[3,4]], kernel [[1,10],[100,1000]], stride 2: each input value stamps its
        // scaled kernel onto its own 2x2 block of the 4x4 output ((2-1)*2 + (2-1) + 1 = 4).
        ConvTranspose2dSpec spec = ConvTranspose2dSpec.of(1, 1, 2, 2, 0, 0, 1, false);
        float[] y = new float[16];
        ConvTranspose2d.forward(spec, new float[] {1, 2, 3, 4}, 1, 2, 2, new float[] {1, 10, 100, 1000}, null, y,
                Parallel.serial());
        assertArrayEquals(new float[] {
            1, 10, 2, 20,
            100, 1000, 200, 2000,
            3, 30, 4, 40,
            300, 3000, 400, 4000}, y);
    }

    @Test
    void strideOneOverlapsAndAddsBias() {
        // 2x2 ones kernel, stride 1 on [[1,2],[3,4]]: output 3x3, each cell the sum of the
        // inputs whose stamp covers it; plus bias 1.
        //   [1, 1+2, 2; 1+3, 1+2+3+4, 2+4; 3, 3+4, 4] + 1
        ConvTranspose2dSpec spec = ConvTranspose2dSpec.of(1, 1, 2, 1, 0, 0, 1, true);
        float[] y = new float[9];
        ConvTranspose2d.forward(spec, new float[] {1, 2, 3, 4}, 1, 2, 2, new float[] {1, 1, 1, 1}, new float[] {1},
                y, Parallel.serial());
        assertArrayEquals(new float[] {2, 4, 3, 5, 11, 7, 4, 8, 5}, y);
    }

    @Test
    void outputSizeFollowsPyTorchFormula() {
        // (in-1)*s - 2p + d(k-1) + op + 1
        assertEquals(16, ConvTranspose2dSpec.of(21, 21, 4, 2, 1, 0, 1, false).outH(8));
        assertEquals(16, ConvTranspose2dSpec.of(21, 21, 3, 2, 1, 1, 1, false).outW(8));
        assertEquals(7, ConvTranspose2dSpec.of(1, 1, 3, 1, 0, 0, 2, false).outH(3));
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2dSpec.of(1, 1, 3, 2, 1, 2, 1, false));
        // output padding below the dilation is allowed even with stride 1, as in PyTorch
        assertEquals(8, ConvTranspose2dSpec.of(1, 1, 3, 1, 0, 1, 2, false).outH(3));
    }

    private static ConvTranspose2dSpec[] geometries() {
        return new ConvTranspose2dSpec[] {
            ConvTranspose2dSpec.of(3, 2, 3, 2, 1, 1, 1, true),
            ConvTranspose2dSpec.of(2, 3, 4, 2, 1, 0, 1, false),
            new ConvTranspose2dSpec(2, 2, 3, 2, 1, 2, 0, 1, 0, 1, 1, 2, true),
            ConvTranspose2dSpec.of(2, 2, 3, 1, 2, 1, 2, false),
        };
    }

    static double[] direct(ConvTranspose2dSpec s, float[] x, int n, int h, int w, float[] wt, float[] b) {
        int oh = s.outH(h);
        int ow = s.outW(w);
        double[] y = new double[n * s.cOut() * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < s.cOut(); co++) {
                for (int q = 0; q < oh * ow; q++) {
                    y[(i * s.cOut() + co) * oh * ow + q] = b == null ? 0 : b[co];
                }
            }
            for (int ci = 0; ci < s.cIn(); ci++) {
                for (int yy = 0; yy < h; yy++) {
                    for (int xx = 0; xx < w; xx++) {
                        double v = x[((i * s.cIn() + ci) * h + yy) * w + xx];
                        for (int co = 0; co < s.cOut(); co++) {
                            for (int ky = 0; ky < s.kH(); ky++) {
                                for (int kx = 0; kx < s.kW(); kx++) {
                                    int oy = yy * s.strideH() - s.padH() + ky * s.dilationH();
                                    int ox = xx * s.strideW() - s.padW() + kx * s.dilationW();
                                    if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                                        y[((i * s.cOut() + co) * oh + oy) * ow + ox] +=
                                                v * wt[((ci * s.cOut() + co) * s.kH() + ky) * s.kW() + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesDirectScatter() {
        Rand rnd = new Rand(11);
        for (ConvTranspose2dSpec spec : geometries()) {
            int n = 2;
            int h = 4;
            int w = 5;
            float[] x = rnd.uniform(n * spec.cIn() * h * w);
            float[] wt = rnd.uniform(spec.weightSize());
            float[] b = spec.bias() ? rnd.uniform(spec.cOut()) : null;
            float[] y = new float[n * spec.cOut() * spec.outH(h) * spec.outW(w)];
            ConvTranspose2d.forward(spec, x, n, h, w, wt, b, y, Parallel.serial());
            double[] ref = direct(spec, x, n, h, w, wt, b);
            for (int i = 0; i < y.length; i++) {
                assertEquals(ref[i], y[i], 1e-5, spec + " element " + i);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rand rnd = new Rand(12);
        for (ConvTranspose2dSpec spec : geometries()) {
            int n = 2;
            int h = 3;
            int w = 4;
            int oh = spec.outH(h);
            int ow = spec.outW(w);
            float[] x = rnd.uniform(n * spec.cIn() * h * w);
            float[] wt = rnd.uniform(spec.weightSize());
            float[] b = spec.bias() ? rnd.uniform(spec.cOut()) : null;
            float[] r = rnd.uniform(n * spec.cOut() * oh * ow);
            float[] y = new float[r.length];
            DoubleSupplier loss = () -> {
                ConvTranspose2d.forward(spec, x, n, h, w, wt, b, y, Parallel.serial());
                return GradCheck.dot(r, y);
            };
            float[] dx = new float[x.length];
            float[] dw = new float[wt.length];
            ConvTranspose2d.backwardInput(spec, r, n, h, w, wt, dx, Parallel.serial());
            ConvTranspose2d.backwardWeight(spec, x, r, n, h, w, dw, Parallel.serial());
            GradCheck.check("convT dx " + spec, x, dx, loss, 0.25, 1e-4);
            GradCheck.check("convT dW " + spec, wt, dw, loss, 0.25, 1e-4);
            if (b != null) {
                float[] db = new float[b.length];
                ConvTranspose2d.backwardBias(spec, r, n, oh, ow, db, Parallel.serial());
                GradCheck.check("convT db " + spec, b, db, loss, 0.25, 1e-4);
            }
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Rand rnd = new Rand(13);
        ConvTranspose2dSpec spec = ConvTranspose2dSpec.of(4, 3, 3, 2, 1, 1, 1, true);
        int n = 3;
        int h = 5;
        int w = 4;
        float[] x = rnd.uniform(n * spec.cIn() * h * w);
        float[] wt = rnd.uniform(spec.weightSize());
        float[] b = rnd.uniform(spec.cOut());
        float[] dy = rnd.uniform(n * spec.cOut() * spec.outH(h) * spec.outW(w));
        float[][] results = new float[2][];
        float[][] dxs = new float[2][];
        float[][] dws = new float[2][];
        try (Parallel two = new Parallel(2)) {
            Parallel[] pars = {Parallel.serial(), two};
            for (int i = 0; i < 2; i++) {
                results[i] = new float[dy.length];
                dxs[i] = new float[x.length];
                dws[i] = new float[wt.length];
                ConvTranspose2d.forward(spec, x, n, h, w, wt, b, results[i], pars[i]);
                ConvTranspose2d.backwardInput(spec, dy, n, h, w, wt, dxs[i], pars[i]);
                ConvTranspose2d.backwardWeight(spec, x, dy, n, h, w, dws[i], pars[i]);
            }
        }
        assertTrue(Rand.sameBits(results[0], results[1]));
        assertTrue(Rand.sameBits(dxs[0], dxs[1]));
        assertTrue(Rand.sameBits(dws[0], dws[1]));
    }
}
