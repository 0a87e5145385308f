package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.Rand;

class GemmTest {

    /** Flat-array products: the public entry and both implementations behind it. */
    private interface Product {
        void multiplyAdd(int rowFrom, int rowTo, int n, int k, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc);
    }

    /**
     * Odd shapes on both sides of every block edge of both kernels (scalar: pairs of C rows, K
     * blocks of 96, N strips of 512; vector: tiles of 8 rows x 32 columns, K blocks of 256, N
     * blocks of 256), with strided operands at offsets and runs of zeros in A, including whole
     * zero rows and steps: every element equals the plain chain of fused multiply-adds in p order.
     */
    @Test
    void scalarKernelsEqualNaiveFmaChainOnOddShapes() {
        checkAgainstNaiveChain(Gemm::scalarMultiplyAdd, new int[] {1, 2, 3, 7}, new int[] {1, 17, 513, 1030},
                new int[] {1, 2, 5, 97, 98, 200});
    }

    @Test
    void vectorTilesEqualNaiveFmaChainOnOddShapes() {
        checkAgainstNaiveChain(VectorGemm::multiplyAdd, new int[] {1, 7, 8, 9, 17}, new int[] {1, 31, 32, 33, 1030},
                new int[] {1, 5, 255, 256, 257, 520});
    }

    @Test
    void publicEntryEqualsNaiveFmaChain() {
        checkAgainstNaiveChain(Gemm::multiplyAdd, new int[] {3, 16}, new int[] {17, 64}, new int[] {9, 300});
    }

    /**
     * The launcher, tests and benchmarks run with the vector module: the fast path is the one
     * measured, and on 512-bit vectors its warm-up ends (C2 compiles the tile, which then
     * allocates nothing).
     */
    @Test
    void vectorTilesAreInUseUnderTheBuildsJvmOptions() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "surefire must pass --add-modules jdk.incubator.vector (parent POM)");
        assertEquals(VectorGemm.worthwhile(), Gemm.vectorised());
        assertEquals(VectorGemm.worthwhile(), Gemm.awaitVectorTiles(120));
    }

    private static void checkAgainstNaiveChain(Product product, int[] ms, int[] ns, int[] ks) {
        Rand rnd = new Rand(11);
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    int lda = k + 3;
                    int ldb = n + 5;
                    int ldc = n + 2;
                    int aOff = 4;
                    int bOff = 7;
                    int cOff = 1;
                    float[] a = sparseA(rnd, aOff, m, k, lda);
                    float[] b = rnd.uniform(bOff + k * ldb);
                    float[] c = rnd.uniform(cOff + m * ldc);
                    float[] expected = c.clone();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float acc = expected[cOff + i * ldc + j];
                            for (int p = 0; p < k; p++) {
                                acc = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], acc);
                            }
                            expected[cOff + i * ldc + j] = acc;
                        }
                    }
                    product.multiplyAdd(0, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
                    for (int i = 0; i < c.length; i++) {
                        assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(c[i]),
                                "m=" + m + " n=" + n + " k=" + k + " at " + i);
                    }
                }
            }
        }
    }

    /** A third of A's entries zero, plus a zero row and a column of zeros (a step skipped by a whole tile). */
    private static float[] sparseA(Rand rnd, int aOff, int m, int k, int lda) {
        float[] a = rnd.uniform(aOff + m * lda);
        for (int i = 0; i < a.length; i++) {
            if (rnd.nextInt(3) == 0) {
                a[i] = 0f;
            }
        }
        for (int i = 0; i < m; i++) {
            a[aOff + i * lda + k / 2] = 0f;
        }
        if (m > 2) {
            java.util.Arrays.fill(a, aOff + lda, aOff + lda + k, 0f);
        }
        return a;
    }

    /** The spike kernels' gather: vector and scalar forms equal the naive chain bit for bit. */
    @Test
    void vectorGatherEqualsScalarGatherAndNaiveChain() {
        Rand rnd = new Rand(17);
        float[][] rows = new float[40][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = rnd.uniform(300);
        }
        for (int width : new int[] {1, 15, 16, 17, 63, 64, 65, 100, 256, 300}) {
            for (int count : new int[] {0, 1, 3, 4, 9, 33}) {
                int[] index = new int[count];
                float[] f = new float[count];
                for (int i = 0; i < count; i++) {
                    index[i] = rnd.nextInt(rows.length);
                    f[i] = rnd.nextInt(3) - 1;
                }
                float[] acc = rnd.uniform(width + 2);
                float[] expected = acc.clone();
                for (int j = 0; j < width; j++) {
                    for (int i = 0; i < count; i++) {
                        expected[j] = Math.fma(f[i], rows[index[i]][j], expected[j]);
                    }
                }
                float[] scalar = acc.clone();
                float[] vector = acc.clone();
                SpikeConv2d.scalarGather(scalar, rows, index, f, count, width);
                VectorGemm.gather(vector, rows, index, f, count, width);
                for (int j = 0; j < acc.length; j++) {
                    String at = "width=" + width + " count=" + count + " at " + j;
                    assertEquals(Float.floatToIntBits(expected[j]), Float.floatToIntBits(scalar[j]), "scalar " + at);
                    assertEquals(Float.floatToIntBits(expected[j]), Float.floatToIntBits(vector[j]), "vector " + at);
                }
            }
        }
    }


    @Test
    void rowsOutsideTheRangeAreUntouched() {
        Rand rnd = new Rand(12);
        int m = 6;
        int n = 40;
        int k = 9;
        float[] a = rnd.uniform(m * k);
        float[] b = rnd.uniform(k * n);
        float[] c = rnd.uniform(m * n);
        float[] before = c.clone();
        Gemm.multiplyAdd(1, 4, n, k, a, 0, k, b, 0, n, c, 0, n);
        for (int j = 0; j < n; j++) {
            assertEquals(before[j], c[j]);
            assertEquals(before[4 * n + j], c[4 * n + j]);
            assertEquals(before[5 * n + j], c[5 * n + j]);
        }
    }
}
