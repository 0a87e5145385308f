package org.snnc.runtime.kernel;

/**
 * A per-thread matrix of scratch rows, each row its own {@code float[]} starting at index 0.
 *
 * <p>Why rows rather than one flat array: C2 (JDK 17) vectorises {@code dst[j] += src[j]} only
 * when it can see that the loads and the store are equally aligned; with two unrelated offsets
 * into float arrays ({@code acc[d + j] += w[s + j]}) it must assume they may overlap and leaves
 * the loop scalar. Separate row arrays indexed from 0 are vectorised. Rows are reused across
 * calls and only grow, so steady-state kernels allocate nothing.
 */
final class RowScratch {

    private float[][] rows = new float[0][];

    /**
     * At least {@code count} rows, the first {@code count} of them at least {@code width} floats
     * long; contents are stale. Each row grows on its own, so a layer with many narrow rows and
     * another with few wide ones do not leave many wide rows behind.
     */
    float[][] rows(int count, int width) {
        if (count > rows.length) {
            float[][] grown = java.util.Arrays.copyOf(rows, count);
            for (int r = rows.length; r < count; r++) {
                grown[r] = new float[width];
            }
            rows = grown;
        }
        for (int r = 0; r < count; r++) {
            if (rows[r].length < width) {
                rows[r] = new float[width];
            }
        }
        return rows;
    }

    /** A per-thread instance: kernels split work over threads, each chunk uses its own thread's rows. */
    static ThreadLocal<RowScratch> perThread() {
        return ThreadLocal.withInitial(RowScratch::new);
    }
}
