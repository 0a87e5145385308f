package org.snnc.runtime.kernel;

/**
 * Cache-blocked single-precision matrix product {@code C += A · B} on row-major flat arrays.
 *
 * <p>Every element {@code C[i][j]} receives its terms one at a time in ascending {@code p}
 * order, each as one fused multiply-add ({@code c = fma(a, b, c)}), whatever the blocking and
 * whatever row range a thread is given: the result is bit-identical for any split of the rows,
 * and equal to a plain sequential chain of {@link Math#fma} started from the old value of
 * {@code C[i][j]}. The spike-sparse kernels rely on that order to reproduce the dense results
 * exactly: with a factor of 1 (or -1) a fused multiply-add rounds exactly as a plain addition.
 *
 * <p>Fused multiply-adds need the CPU's FMA instructions (x86 since Haswell, AArch64); without
 * them the JVM computes {@link Math#fma} exactly in software, many times slower.
 *
 * <p>Two implementations with the same bits: {@link VectorGemm}'s register-blocked tiles when the
 * JVM runs with {@code --add-modules jdk.incubator.vector} on 512-bit vectors (the launcher passes
 * it) and C2 has compiled them ({@link VectorWarmup}), and the scalar kernels below, which C2
 * vectorises itself, before that and everywhere else.
 */
public final class Gemm {

    /** Whether this JVM can run {@link VectorGemm}; the module check comes first, so its class loads only when it can. */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorGemm.worthwhile();

    static {
        if (VECTOR) {
            VectorWarmup.start();
        }
    }

    /** Whether this JVM computes products with the vector tiles once they are compiled (reported by benchmarks and tests). */
    public static boolean vectorised() {
        return VECTOR;
    }

    /** Whether the vector kernels are compiled and in use now. */
    static boolean vectorReady() {
        return VECTOR && VectorWarmup.ready();
    }

    /**
     * Waits up to {@code seconds} for the vector kernels to be compiled and in use; false when
     * this JVM has none, they were not ready in time, or the wait was interrupted (the interrupt
     * stays set). A network about to run waits for them (see {@code Network.build}), so that the
     * warm-up's garbage is collected while the heap is still small, and benchmarks time the
     * kernels a long run has.
     */
    public static boolean awaitVectorTiles(long seconds) {
        if (!VECTOR) {
            return false;
        }
        try {
            return VectorWarmup.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Rows of B packed per pass, a multiple of 3 for {@link #rowPairPanel}: 96 rows x
     * {@link #N_BLOCK} floats = 192 KiB, in L2 while every row of C sweeps it.
     */
    static final int K_BLOCK = 96;
    /** Columns of C (and B) per pass: two 2 KiB strips of C rows stay in L1 across the K block. */
    static final int N_BLOCK = 512;

    /**
     * Per-thread packing buffers: {@code K_BLOCK} rows of B and two C strips, each its own array
     * starting at index 0. C2 (JDK 17) only vectorises a loop whose float loads and stores it
     * can prove are equally aligned; {@code c[cOff + j] += a * b[bOff + j]} with two unrelated
     * offsets into float arrays is left scalar (they might overlap), while
     * {@code acc[j] += a * row[j]} on separate arrays is vectorised.
     */
    private static final ThreadLocal<float[][]> PACK = ThreadLocal.withInitial(() -> new float[K_BLOCK + 2][N_BLOCK]);

    private Gemm() {
    }

    /**
     * {@code C[i][j] += sum_p A[i][p] * B[p][j]} for rows {@code i} in {@code [rowFrom, rowTo)}.
     *
     * @param k   inner dimension
     * @param n   columns of B and C
     * @param a   A, element (i, p) at {@code aOff + i * lda + p}
     * @param b   B, element (p, j) at {@code bOff + p * ldb + j}
     * @param c   C, element (i, j) at {@code cOff + i * ldc + j}
     */
    public static void multiplyAdd(int rowFrom, int rowTo, int n, int k,
                                   float[] a, int aOff, int lda,
                                   float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc) {
        if (rowFrom >= rowTo || n <= 0 || k <= 0) {
            return;
        }
        if (vectorReady()) {
            VectorGemm.multiplyAdd(rowFrom, rowTo, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            scalarMultiplyAdd(rowFrom, rowTo, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** {@link #multiplyAdd} on the scalar kernels. */
    static void scalarMultiplyAdd(int rowFrom, int rowTo, int n, int k,
                                  float[] a, int aOff, int lda,
                                  float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        float[][] pack = PACK.get();
        float[] acc0 = pack[K_BLOCK];
        float[] acc1 = pack[K_BLOCK + 1];
        for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
            int jn = Math.min(N_BLOCK, n - j0);
            for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
                int pEnd = Math.min(p0 + K_BLOCK, k);
                for (int p = p0; p < pEnd; p++) {
                    System.arraycopy(b, bOff + p * ldb + j0, pack[p - p0], 0, jn);
                }
                int i = rowFrom;
                for (; i + 1 < rowTo; i += 2) {
                    int c0 = cOff + i * ldc + j0;
                    int c1 = c0 + ldc;
                    System.arraycopy(c, c0, acc0, 0, jn);
                    System.arraycopy(c, c1, acc1, 0, jn);
                    rowPairPanel(a, aOff + i * lda, lda, pack, p0, pEnd, acc0, acc1, jn);
                    System.arraycopy(acc0, 0, c, c0, jn);
                    System.arraycopy(acc1, 0, c, c1, jn);
                }
                if (i < rowTo) {
                    int c0 = cOff + i * ldc + j0;
                    System.arraycopy(c, c0, acc0, 0, jn);
                    rowPanel(a, aOff + i * lda, pack, p0, p0, pEnd, acc0, jn);
                    System.arraycopy(acc0, 0, c, c0, jn);
                }
            }
        }
    }

    /**
     * Two C rows (in {@code acc0}, {@code acc1}) against a packed K block of B, three B rows per
     * sweep: each B vector loaded feeds both rows, six fused multiply-adds per five loads and two
     * stores. (Larger blocks exceed what C2 unrolls for vectorisation and run scalar.)
     */
    private static void rowPairPanel(float[] a, int aRow, int lda, float[][] pack, int p0, int pEnd,
                                     float[] acc0, float[] acc1, int jn) {
        int p = p0;
        int bRow = aRow + lda;
        for (; p + 2 < pEnd; p += 3) {
            float a0 = a[aRow + p];
            float a1 = a[aRow + p + 1];
            float a2 = a[aRow + p + 2];
            float e0 = a[bRow + p];
            float e1 = a[bRow + p + 1];
            float e2 = a[bRow + p + 2];
            if (a0 == 0f && a1 == 0f && a2 == 0f && e0 == 0f && e1 == 0f && e2 == 0f) {
                // With finite B, adding (+/-)0 products leaves every nonzero sum unchanged, so
                // skipping them keeps the value and saves the sweep (common for padded and
                // spike-derived operands); an infinite or NaN B entry would not propagate here.
                continue;
            }
            float[] b0 = pack[p - p0];
            float[] b1 = pack[p - p0 + 1];
            float[] b2 = pack[p - p0 + 2];
            for (int j = 0; j < jn; j++) {
                float x0 = b0[j];
                float x1 = b1[j];
                float x2 = b2[j];
                acc0[j] = Math.fma(a2, x2, Math.fma(a1, x1, Math.fma(a0, x0, acc0[j])));
                acc1[j] = Math.fma(e2, x2, Math.fma(e1, x1, Math.fma(e0, x0, acc1[j])));
            }
        }
        if (p < pEnd) {
            rowPanel(a, aRow, pack, p0, p, pEnd, acc0, jn);
            rowPanel(a, bRow, pack, p0, p, pEnd, acc1, jn);
        }
    }

    /**
     * One strip of one C row (in {@code acc}) against rows {@code [pFrom, pEnd)} of a packed K
     * block of B that starts at row {@code p0}; four B rows per sweep.
     */
    private static void rowPanel(float[] a, int aRow, float[][] pack, int p0, int pFrom, int pEnd, float[] acc, int jn) {
        int p = pFrom;
        for (; p + 3 < pEnd; p += 4) {
            float a0 = a[aRow + p];
            float a1 = a[aRow + p + 1];
            float a2 = a[aRow + p + 2];
            float a3 = a[aRow + p + 3];
            if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
                // With finite B, adding (+/-)0 products leaves every nonzero sum unchanged, so
                // skipping them keeps the value and saves the sweep (common for padded and
                // spike-derived operands); an infinite or NaN B entry would not propagate here.
                continue;
            }
            float[] b0 = pack[p - p0];
            float[] b1 = pack[p - p0 + 1];
            float[] b2 = pack[p - p0 + 2];
            float[] b3 = pack[p - p0 + 3];
            // Four fused multiply-adds in p order. C2 turns Math.fma into vfmadd and vectorises
            // it: about 1.7x the throughput of a separate multiply and add on AVX2/AVX-512.
            for (int j = 0; j < jn; j++) {
                acc[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], acc[j]))));
            }
        }
        for (; p < pEnd; p++) {
            float a0 = a[aRow + p];
            if (a0 == 0f) {
                continue;
            }
            float[] b0 = pack[p - p0];
            for (int j = 0; j < jn; j++) {
                acc[j] = Math.fma(a0, b0[j], acc[j]);
            }
        }
    }

    /** {@code dst[j][i] = src[i][j]} for a {@code rows x cols} row-major {@code src}. */
    public static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        for (int i = 0; i < rows; i++) {
            int s = srcOff + i * cols;
            for (int j = 0; j < cols; j++) {
                dst[dstOff + j * rows + i] = src[s + j];
            }
        }
    }
}
