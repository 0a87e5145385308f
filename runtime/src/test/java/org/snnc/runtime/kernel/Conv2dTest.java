package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class Conv2dTest {

    private static final Parallel TWO = new Parallel(2);

    @AfterAll
    static void shutdown() {
        TWO.close();
    }

    /** Input 1..16 row-major in a 1x1x4x4 map. */
    private static float[] ramp16() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void paddedStridedConvMatchesHandComputation() {
        // Diagonal kernel [[1,0,0],[0,2,0],[0,0,-1]], pad 1, stride 2, bias 0.5 on in[i][j] = 4i+j+1.
        // Output (oy, ox) reads in[2oy-1+ky][2ox-1+kx]; out size floor((4+2-3)/2)+1 = 2:
        //  (0,0): 0 (pad) + 2*in[0][0]=2  - in[1][1]=6   -> -4 + 0.5 = -3.5
        //  (0,1): 0 (pad) + 2*in[0][2]=6  - in[1][3]=8   -> -2 + 0.5 = -1.5
        //  (1,0): 0 (pad) + 2*in[2][0]=18 - in[3][1]=14  ->  4 + 0.5 =  4.5
        //  (1,1): in[1][1]=6 + 2*in[2][2]=22 - in[3][3]=16 -> 12 + 0.5 = 12.5
        Conv2dSpec spec = Conv2dSpec.of(1, 1, 3, 2, 1, 1, true);
        float[] w = {1, 0, 0, 0, 2, 0, 0, 0, -1};
        float[] y = new float[4];
        Conv2d.forward(spec, ramp16(), 1, 4, 4, w, new float[] {0.5f}, y, Parallel.serial());
        assertArrayEquals(new float[] {-3.5f, -1.5f, 4.5f, 12.5f}, y);
    }

    @Test
    void dilatedConvMatchesHandComputation() {
        // 2x2 kernel [[1,10],[100,1000]] with dilation 2: out(y,x) = in[y][x] + 10 in[y][x+2]
        // + 100 in[y+2][x] + 1000 in[y+2][x+2]; out size 4 - 2*1 - 1 + 1 = 2.
        //  (0,0): 1 + 30 + 900 + 11000 = 11931     (0,1): 2 + 40 + 1000 + 12000 = 13042
        //  (1,0): 5 + 70 + 1300 + 15000 = 16375    (1,1): 6 + 80 + 1400 + 16000 = 17486
        Conv2dSpec spec = Conv2dSpec.of(1, 1, 2, 1, 0, 2, false);
        float[] y = new float[4];
        Conv2d.forward(spec, ramp16(), 1, 4, 4, new float[] {1, 10, 100, 1000}, null, y, Parallel.serial());
        assertArrayEquals(new float[] {11931, 13042, 16375, 17486}, y);
    }

    @Test
    void outputSizeFollowsPyTorchFormula() {
        // floor((in + 2p - d(k-1) - 1)/s) + 1
        assertEquals(64, Conv2dSpec.of(3, 64, 3, 1, 1, 1, false).outH(64));
        assertEquals(32, Conv2dSpec.of(3, 64, 3, 2, 1, 1, false).outH(64));
        assertEquals(16, Conv2dSpec.of(256, 1024, 3, 1, 12, 12, false).outW(16));
        assertEquals(3, Conv2dSpec.of(1, 1, 3, 2, 0, 1, false).outH(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2dSpec.of(1, 1, 3, 1, 0, 3, false).outH(6));
        assertTrue(e.getMessage().contains("6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 0, 3, 1, 0, 1, false));
    }

    /** Geometries exercising non-square kernels, strides, padding wider than the kernel reach, dilation. */
    private static Conv2dSpec[] geometries() {
        return new Conv2dSpec[] {
            Conv2dSpec.of(3, 4, 3, 1, 1, 1, true),
            Conv2dSpec.of(2, 5, 3, 2, 1, 1, false),
            Conv2dSpec.of(3, 2, 3, 1, 2, 2, true),
            new Conv2dSpec(2, 3, 2, 3, 2, 1, 0, 2, 1, 2, true),
            Conv2dSpec.of(4, 3, 1, 1, 0, 1, true),
            new Conv2dSpec(2, 2, 3, 1, 3, 2, 2, 0, 1, 1, false),
        };
    }

    @Test
    void forwardMatchesDirectDoubleSum() {
        Rand rnd = new Rand(1);
        for (Conv2dSpec spec : geometries()) {
            int n = 2;
            int h = 7;
            int w = 6;
            float[] x = rnd.uniform(n * spec.cIn() * h * w);
            float[] wt = rnd.uniform(spec.weightSize());
            float[] b = spec.bias() ? rnd.uniform(spec.cOut()) : null;
            int oh = spec.outH(h);
            int ow = spec.outW(w);
            float[] y = new float[n * spec.cOut() * oh * ow];
            Conv2d.forward(spec, x, n, h, w, wt, b, y, Parallel.serial());
            double[] ref = direct(spec, x, n, h, w, wt, b);
            for (int i = 0; i < y.length; i++) {
                assertEquals(ref[i], y[i], 1e-5, spec + " element " + i);
            }
        }
    }

    /** The definition, one output at a time, in double. */
    static double[] direct(Conv2dSpec s, float[] x, int n, int h, int w, float[] wt, float[] b) {
        int oh = s.outH(h);
        int ow = s.outW(w);
        double[] y = new double[n * s.cOut() * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < s.cOut(); o++) {
                for (int yy = 0; yy < oh; yy++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double acc = b == null ? 0 : b[o];
                        for (int c = 0; c < s.cIn(); c++) {
                            for (int ky = 0; ky < s.kH(); ky++) {
                                for (int kx = 0; kx < s.kW(); kx++) {
                                    int iy = yy * s.strideH() - s.padH() + ky * s.dilationH();
                                    int ix = xx * s.strideW() - s.padW() + kx * s.dilationW();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        acc += (double) wt[((o * s.cIn() + c) * s.kH() + ky) * s.kW() + kx]
                                                * x[((i * s.cIn() + c) * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        y[((i * s.cOut() + o) * oh + yy) * ow + xx] = acc;
                    }
                }
            }
        }
        return y;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rand rnd = new Rand(2);
        for (Conv2dSpec spec : geometries()) {
            int n = 2;
            int h = 6;
            int w = 5;
            float[] x = rnd.uniform(n * spec.cIn() * h * w);
            float[] wt = rnd.uniform(spec.weightSize());
            float[] b = spec.bias() ? rnd.uniform(spec.cOut()) : null;
            int oh = spec.outH(h);
            int ow = spec.outW(w);
            float[] r = rnd.uniform(n * spec.cOut() * oh * ow);
            float[] y = new float[r.length];
            java.util.function.DoubleSupplier loss = () -> {
                Conv2d.forward(spec, x, n, h, w, wt, b, y, Parallel.serial());
                return GradCheck.dot(r, y);
            };
            float[] dx = new float[x.length];
            float[] dw = new float[wt.length];
            Conv2d.backwardInput(spec, r, n, h, w, wt, dx, Parallel.serial());
            Conv2d.backwardWeight(spec, x, r, n, h, w, dw, Parallel.serial());
            // The loss is linear in each argument, so a large step has no truncation error and
            // keeps float rounding in the loss small relative to the difference.
            GradCheck.check("conv dx " + spec, x, dx, loss, 0.25, 1e-4);
            GradCheck.check("conv dW " + spec, wt, dw, loss, 0.25, 1e-4);
            if (b != null) {
                float[] db = new float[b.length];
                Conv2d.backwardBias(spec, r, n, oh, ow, db, Parallel.serial());
                GradCheck.check("conv db " + spec, b, db, loss, 0.25, 1e-4);
            }
        }
    }

    @Test
    void backwardAccumulatesIntoExistingGradients() {
        Rand rnd = new Rand(3);
        Conv2dSpec spec = Conv2dSpec.of(2, 3, 3, 1, 1, 1, true);
        float[] x = rnd.uniform(2 * 5 * 5);
        float[] wt = rnd.uniform(spec.weightSize());
        float[] dy = rnd.uniform(3 * 5 * 5);
        float[] once = new float[wt.length];
        Conv2d.backwardWeight(spec, x, dy, 1, 5, 5, once, Parallel.serial());
        float[] twice = once.clone();
        Conv2d.backwardWeight(spec, x, dy, 1, 5, 5, twice, Parallel.serial());
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-5 * Math.abs(once[i]) + 1e-7);
        }
    }

    @Test
    void sparseForwardEqualsDenseBitForBit() {
        Rand rnd = new Rand(4);
        for (Conv2dSpec spec : geometries()) {
            for (int n : new int[] {1, 3}) {
                int h = 9;
                int w = 8;
                byte[] s = rnd.spikes(n * spec.cIn() * h * w, 0.2);
                byte[] signed = rnd.signedSpikes(s.length, 0.3);
                float[] wt = rnd.uniform(spec.weightSize());
                float[] b = spec.bias() ? rnd.uniform(spec.cOut()) : null;
                int len = n * spec.cOut() * spec.outH(h) * spec.outW(w);
                for (byte[] input : new byte[][] {s, signed}) {
                    for (Parallel par : new Parallel[] {Parallel.serial(), TWO}) {
                        float[] dense = new float[len];
                        float[] sparse = new float[len];
                        Conv2d.forward(spec, Rand.toFloat(input), n, h, w, wt, b, dense, par);
                        SpikeConv2d.forward(spec, input, n, h, w, wt, b, sparse, par);
                        assertTrue(Rand.sameValues(dense, sparse), spec + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void denseForwardOnLargeMapsBlocksOverSamplesWithTheSameBits() {
        // 66 x 66 outputs exceed one product's columns, so the dense forward runs sample by sample.
        Rand rnd = new Rand(14);
        Conv2dSpec spec = Conv2dSpec.of(2, 5, 3, 1, 1, 1, true);
        int n = 3;
        int h = 66;
        int w = 66;
        byte[] s = rnd.spikes(n * spec.cIn() * h * w, 0.2);
        float[] wt = rnd.uniform(spec.weightSize());
        float[] b = rnd.uniform(spec.cOut());
        float[] dense = new float[n * spec.cOut() * h * w];
        float[] sparse = new float[dense.length];
        Conv2d.forward(spec, Rand.toFloat(s), n, h, w, wt, b, dense, TWO);
        SpikeConv2d.forward(spec, s, n, h, w, wt, b, sparse, TWO);
        assertTrue(Rand.sameValues(dense, sparse));
    }

    @Test
    void sparseWeightGradientEqualsDenseBitForBit() {
        Rand rnd = new Rand(5);
        for (Conv2dSpec spec : geometries()) {
            int n = 3;
            int h = 9;
            int w = 8;
            int len = n * spec.cOut() * spec.outH(h) * spec.outW(w);
            byte[] s = rnd.spikes(n * spec.cIn() * h * w, 0.15);
            float[] dy = rnd.uniform(len);
            float[] start = rnd.uniform(spec.weightSize());
            for (Parallel par : new Parallel[] {Parallel.serial(), TWO}) {
                float[] dense = start.clone();
                float[] sparse = start.clone();
                Conv2d.backwardWeight(spec, Rand.toFloat(s), dy, n, h, w, dense, par);
                SpikeConv2d.backwardWeight(spec, s, dy, n, h, w, sparse, par);
                assertTrue(Rand.sameValues(dense, sparse), spec.toString());
            }
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Rand rnd = new Rand(6);
        Conv2dSpec spec = Conv2dSpec.of(5, 7, 3, 1, 2, 2, true);
        for (int n : new int[] {1, 3}) {
            int h = 10;
            int w = 9;
            int oh = spec.outH(h);
            int ow = spec.outW(w);
            float[] x = rnd.uniform(n * spec.cIn() * h * w);
            byte[] s = rnd.spikes(x.length, 0.2);
            float[] wt = rnd.uniform(spec.weightSize());
            float[] b = rnd.uniform(spec.cOut());
            float[] dy = rnd.uniform(n * spec.cOut() * oh * ow);
            float[][] one = runAll(spec, x, s, n, h, w, wt, b, dy, Parallel.serial());
            float[][] two = runAll(spec, x, s, n, h, w, wt, b, dy, TWO);
            try (Parallel three = new Parallel(3)) {
                float[][] many = runAll(spec, x, s, n, h, w, wt, b, dy, three);
                for (int i = 0; i < one.length; i++) {
                    assertTrue(Rand.sameBits(one[i], two[i]), "result " + i + " n=" + n);
                    assertTrue(Rand.sameBits(one[i], many[i]), "result " + i + " n=" + n);
                }
            }
        }
    }

    private static float[][] runAll(Conv2dSpec spec, float[] x, byte[] s, int n, int h, int w,
                                    float[] wt, float[] b, float[] dy, Parallel par) {
        float[] y = new float[dy.length];
        float[] ys = new float[dy.length];
        float[] dx = new float[x.length];
        float[] dw = new float[wt.length];
        float[] dws = new float[wt.length];
        float[] db = new float[b.length];
        Conv2d.forward(spec, x, n, h, w, wt, b, y, par);
        SpikeConv2d.forward(spec, s, n, h, w, wt, b, ys, par);
        Conv2d.backwardInput(spec, dy, n, h, w, wt, dx, par);
        Conv2d.backwardWeight(spec, x, dy, n, h, w, dw, par);
        SpikeConv2d.backwardWeight(spec, s, dy, n, h, w, dws, par);
        Conv2d.backwardBias(spec, dy, n, spec.outH(h), spec.outW(w), db, par);
        return new float[][] {y, ys, dx, dw, dws, db};
    }

    @Test
    void gemmRowSplitGivesTheSameBits() {
        Rand rnd = new Rand(7);
        int m = 9;
        int n = 700;
        int k = 150;
        float[] a = rnd.uniform(m * k);
        float[] b = rnd.uniform(k * n);
        float[] whole = new float[m * n];
        Gemm.multiplyAdd(0, m, n, k, a, 0, k, b, 0, n, whole, 0, n);
        float[] split = new float[m * n];
        Gemm.multiplyAdd(0, 4, n, k, a, 0, k, b, 0, n, split, 0, n);
        Gemm.multiplyAdd(4, m, n, k, a, 0, k, b, 0, n, split, 0, n);
        assertTrue(Rand.sameBits(whole, split));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                // a sequential chain of fused multiply-adds in p order is the documented contract
                float acc = 0;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[i * k + p], b[p * n + j], acc);
                }
                assertEquals(Float.floatToIntBits(acc), Float.floatToIntBits(whole[i * n + j]));
            }
        }
    }
}
