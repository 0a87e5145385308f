package org.snnc.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s products on the JDK's vector API ({@code jdk.incubator.vector}), register-blocked:
 * a tile of {@link #MR} rows by {@link #NR} columns of C lives in sixteen vector registers while a
 * packed block of A and B streams past it, one fused multiply-add per element per p. C2's own
 * vectorisation cannot keep C in registers (every step of its loops loads and stores C), which
 * held the scalar kernels to 10-25 GMAC/s per core on this project's machines; this tile reaches
 * 60-75 on AVX-512.
 *
 * <p>Same bits as the scalar kernels: every C element still takes its terms one at a time in
 * ascending p as {@code fma(a, b, c)}, from its old value. Zero A values are not skipped: a zero
 * product added to a sum leaves its value (the scalar kernels skip them for speed alone; only a
 * {@code -0} start or an infinite B would tell the two apart).
 *
 * <p>Only loaded when the module is in the boot layer ({@code --add-modules jdk.incubator.vector},
 * which the launcher, the tests and the benchmarks pass); {@link Gemm} runs its scalar kernels
 * otherwise.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = S.length();
    /** Rows of a tile. Eight rows by two vectors: 16 accumulators, 2 B vectors, 1 broadcast. */
    static final int MR = 8;
    /** Columns of a tile: two vectors. */
    static final int NR = 2 * L;
    /** Steps p per block: a B panel of KC x NR floats is 32 KiB, in L1 while A rows stream past. */
    static final int KC = 256;
    /** Columns per packed B block: KC x NC floats = 256 KiB, in L2. */
    static final int NC = 8 * NR;

    /** Per thread: a packed B block, the rows of a short last A strip, a C tile for the edges. */
    private static final class Scratch {
        final float[] b = new float[KC * NC];
        final float[] a = new float[MR * KC];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private VectorGemm() {
    }

    /**
     * Whether this JVM's vectors are the 512 bits the tile is written for: elsewhere (AVX2, NEON)
     * a 512-bit species is emulated and slow, and {@link Gemm}'s scalar kernels run instead.
     */
    static boolean worthwhile() {
        return FloatVector.SPECIES_PREFERRED.length() >= L;
    }

    /**
     * As {@link Gemm#multiplyAdd}, rows {@code [rowFrom, rowTo)}. One B panel ({@link #KC} x
     * {@link #NR}) stays in L1 while every strip of {@link #MR} A rows passes it, the loop order of
     * Goto's GEMM; the A rows are read in place, eight sequential streams.
     */
    static void multiplyAdd(int rowFrom, int rowTo, int n, int k, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        Scratch s = SCRATCH.get();
        for (int j0 = 0; j0 < n; j0 += NC) {
            int jn = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kn = Math.min(KC, k - p0);
                packB(b, bOff + p0 * ldb + j0, ldb, kn, jn, s.b);
                for (int q = 0; q * NR < jn; q++) {
                    int w = Math.min(NR, jn - q * NR);
                    int bAt = q * kn * NR;
                    for (int i0 = rowFrom; i0 < rowTo; i0 += MR) {
                        int mr = Math.min(MR, rowTo - i0);
                        int cAt = cOff + i0 * ldc + j0 + q * NR;
                        int aAt = aOff + i0 * lda + p0;
                        if (mr == MR && w == NR) {
                            tile(kn, a, aAt, lda, s.b, bAt, c, cAt, ldc);
                        } else {
                            float[] t = s.tile;
                            for (int r = 0; r < mr; r++) {
                                System.arraycopy(c, cAt + r * ldc, t, r * NR, w);
                            }
                            edgeTile(kn, a, aAt, lda, mr, s, bAt);
                            for (int r = 0; r < mr; r++) {
                                System.arraycopy(t, r * NR, c, cAt + r * ldc, w);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The scratch tile against a strip of {@code mr} A rows: in place when the strip is whole,
     * else from a copy with zero rows below (their sums are discarded).
     */
    private static void edgeTile(int kn, float[] a, int aAt, int lda, int mr, Scratch s, int bAt) {
        if (mr == MR) {
            tile(kn, a, aAt, lda, s.b, bAt, s.tile, 0, NR);
            return;
        }
        float[] rowsCopy = s.a;
        for (int r = 0; r < MR; r++) {
            if (r < mr) {
                System.arraycopy(a, aAt + r * lda, rowsCopy, r * KC, kn);
            } else {
                java.util.Arrays.fill(rowsCopy, r * KC, r * KC + kn, 0f);
            }
        }
        tile(kn, rowsCopy, 0, KC, s.b, bAt, s.tile, 0, NR);
    }

    /**
     * B rows {@code [0, kn)} (row p at {@code at + p * ldb}), columns {@code [0, jn)}, as panels of
     * {@link #NR} columns, each {@code kn x NR} contiguous; the last panel's missing columns zero.
     */
    private static void packB(float[] b, int at, int ldb, int kn, int jn, float[] packed) {
        for (int q = 0; q * NR < jn; q++) {
            int w = Math.min(NR, jn - q * NR);
            int dst = q * kn * NR;
            for (int p = 0; p < kn; p++, dst += NR) {
                System.arraycopy(b, at + p * ldb + q * NR, packed, dst, w);
                if (w < NR) {
                    java.util.Arrays.fill(packed, dst + w, dst + NR, 0f);
                }
            }
        }
    }

    /**
     * {@code C[r][j] = fma(A[r][p], B[p][j], C[r][j])} for p ascending from 0 to {@code kn}, r < 8,
     * j < NR: A row r at {@code aAt + r * lda}, the B panel at {@code bAt}, the C tile at
     * {@code cAt} (rows {@code ldc} apart) in registers throughout.
     */
    private static void tile(int kn, float[] a, int aAt, int lda, float[] b, int bAt, float[] c, int cAt, int ldc) {
        int a1 = aAt + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        int c1 = cAt + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        int c6 = c5 + ldc;
        int c7 = c6 + ldc;
        FloatVector x00 = FloatVector.fromArray(S, c, cAt);
        FloatVector x01 = FloatVector.fromArray(S, c, cAt + L);
        FloatVector x10 = FloatVector.fromArray(S, c, c1);
        FloatVector x11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector x20 = FloatVector.fromArray(S, c, c2);
        FloatVector x21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector x30 = FloatVector.fromArray(S, c, c3);
        FloatVector x31 = FloatVector.fromArray(S, c, c3 + L);
        FloatVector x40 = FloatVector.fromArray(S, c, c4);
        FloatVector x41 = FloatVector.fromArray(S, c, c4 + L);
        FloatVector x50 = FloatVector.fromArray(S, c, c5);
        FloatVector x51 = FloatVector.fromArray(S, c, c5 + L);
        FloatVector x60 = FloatVector.fromArray(S, c, c6);
        FloatVector x61 = FloatVector.fromArray(S, c, c6 + L);
        FloatVector x70 = FloatVector.fromArray(S, c, c7);
        FloatVector x71 = FloatVector.fromArray(S, c, c7 + L);
        for (int p = 0; p < kn; p++) {
            int bp = bAt + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector v = FloatVector.broadcast(S, a[aAt + p]);
            x00 = b0.fma(v, x00);
            x01 = b1.fma(v, x01);
            v = FloatVector.broadcast(S, a[a1 + p]);
            x10 = b0.fma(v, x10);
            x11 = b1.fma(v, x11);
            v = FloatVector.broadcast(S, a[a2 + p]);
            x20 = b0.fma(v, x20);
            x21 = b1.fma(v, x21);
            v = FloatVector.broadcast(S, a[a3 + p]);
            x30 = b0.fma(v, x30);
            x31 = b1.fma(v, x31);
            v = FloatVector.broadcast(S, a[a4 + p]);
            x40 = b0.fma(v, x40);
            x41 = b1.fma(v, x41);
            v = FloatVector.broadcast(S, a[a5 + p]);
            x50 = b0.fma(v, x50);
            x51 = b1.fma(v, x51);
            v = FloatVector.broadcast(S, a[a6 + p]);
            x60 = b0.fma(v, x60);
            x61 = b1.fma(v, x61);
            v = FloatVector.broadcast(S, a[a7 + p]);
            x70 = b0.fma(v, x70);
            x71 = b1.fma(v, x71);
        }
        x00.intoArray(c, cAt);
        x01.intoArray(c, cAt + L);
        x10.intoArray(c, c1);
        x11.intoArray(c, c1 + L);
        x20.intoArray(c, c2);
        x21.intoArray(c, c2 + L);
        x30.intoArray(c, c3);
        x31.intoArray(c, c3 + L);
        x40.intoArray(c, c4);
        x41.intoArray(c, c4 + L);
        x50.intoArray(c, c5);
        x51.intoArray(c, c5 + L);
        x60.intoArray(c, c6);
        x61.intoArray(c, c6 + L);
        x70.intoArray(c, c7);
        x71.intoArray(c, c7 + L);
    }

    /**
     * As {@link SpikeConv2d#gather}: {@code acc[j] = fma(f[i], rows[index[i]][j], acc[j])} for
     * {@code i} ascending, {@code j < width}. Sixty-four columns of {@code acc} stay in four
     * registers while every listed row passes: one load per vector of a row and no load or store
     * of {@code acc} per term, against C2's loop that loads and stores {@code acc} every four.
     */
    static void gather(float[] acc, float[][] rows, int[] index, float[] f, int count, int width) {
        int j = 0;
        for (; j + 4 * L <= width; j += 4 * L) {
            FloatVector a0 = FloatVector.fromArray(S, acc, j);
            FloatVector a1 = FloatVector.fromArray(S, acc, j + L);
            FloatVector a2 = FloatVector.fromArray(S, acc, j + 2 * L);
            FloatVector a3 = FloatVector.fromArray(S, acc, j + 3 * L);
            for (int i = 0; i < count; i++) {
                float[] r = rows[index[i]];
                FloatVector v = FloatVector.broadcast(S, f[i]);
                a0 = FloatVector.fromArray(S, r, j).fma(v, a0);
                a1 = FloatVector.fromArray(S, r, j + L).fma(v, a1);
                a2 = FloatVector.fromArray(S, r, j + 2 * L).fma(v, a2);
                a3 = FloatVector.fromArray(S, r, j + 3 * L).fma(v, a3);
            }
            a0.intoArray(acc, j);
            a1.intoArray(acc, j + L);
            a2.intoArray(acc, j + 2 * L);
            a3.intoArray(acc, j + 3 * L);
        }
        for (; j + L <= width; j += L) {
            FloatVector a0 = FloatVector.fromArray(S, acc, j);
            for (int i = 0; i < count; i++) {
                a0 = FloatVector.fromArray(S, rows[index[i]], j).fma(FloatVector.broadcast(S, f[i]), a0);
            }
            a0.intoArray(acc, j);
        }
        for (; j < width; j++) {
            float a = acc[j];
            for (int i = 0; i < count; i++) {
                a = Math.fma(f[i], rows[index[i]][j], a);
            }
            acc[j] = a;
        }
    }
}
