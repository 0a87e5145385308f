package org.snnc.runtime.kernel;

/**
 * A reusable scratch array that only grows, so kernels called at every time step allocate
 * nothing once the largest layer has run. One instance per thread (see {@link #perThread()}); a
 * kernel may hand its array to worker chunks that touch disjoint parts of it.
 */
final class FlatScratch {

    private float[] data = new float[0];

    /** At least {@code size} floats; contents are stale. */
    float[] get(int size) {
        if (data.length < size) {
            data = new float[size];
        }
        return data;
    }

    static ThreadLocal<FlatScratch> perThread() {
        return ThreadLocal.withInitial(FlatScratch::new);
    }
}
