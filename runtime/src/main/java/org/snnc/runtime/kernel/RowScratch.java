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
    private int width;

    /** At least {@code count} rows of at least {@code width} floats; contents are stale. */
    float[][] rows(int count, int width) {
        if (count > rows.length || width > this.width) {
            int w = Math.max(width, this.width);
            float[][] grown = new float[Math.max(count, rows.length)][];
            for (int r = 0; r < grown.length; r++) {
                grown[r] = new float[w];
            }
            rows = grown;
            this.width = w;
        }
        return rows;
    }

    /** A per-thread instance: kernels split work over threads, each chunk uses its own thread's rows. */
    static ThreadLocal<RowScratch> perThread() {
        return ThreadLocal.withInitial(RowScratch::new);
    }
}
