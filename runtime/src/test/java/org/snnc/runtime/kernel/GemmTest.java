package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.Rand;

class GemmTest {

    /**
     * Odd shapes on both sides of every block edge (pairs of C rows and a lone last row, K blocks
     * of 96 with tails of 1 and 2 rows, N strips of 512), with strided operands at offsets and
     * runs of zeros in A: every element equals the plain chain of fused multiply-adds in p order.
     */
    @Test
    void blockedProductEqualsNaiveFmaChainOnOddShapes() {
        Rand rnd = new Rand(11);
        int[] ms = {1, 2, 3, 7};
        int[] ns = {1, 17, 513, 1030};
        int[] ks = {1, 2, 5, 97, 98, 200};
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    int lda = k + 3;
                    int ldb = n + 5;
                    int ldc = n + 2;
                    int aOff = 4;
                    int bOff = 7;
                    int cOff = 1;
                    float[] a = rnd.uniform(aOff + m * lda);
                    for (int i = 0; i < a.length; i++) {
                        if (rnd.nextInt(3) == 0) {
                            a[i] = 0f;
                        }
                    }
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
                    Gemm.multiplyAdd(0, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
                    for (int i = 0; i < c.length; i++) {
                        assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(c[i]),
                                "m=" + m + " n=" + n + " k=" + k + " at " + i);
                    }
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
