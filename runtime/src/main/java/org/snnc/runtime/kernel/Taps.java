package org.snnc.runtime.kernel;

/**
 * For each input position along one axis, the kernel taps that carry it to an output and the
 * output position each reaches ({@code o * stride - pad + k * dilation = i}). Built once per call
 * so the per-spike loops of {@link SpikeConv2d} do no division.
 */
final class Taps {
    /** Number of taps of input position {@code i}. */
    final int[] count;
    /** Tap {@code j} of input {@code i}: kernel index at {@code [i * k + j]}. */
    final int[] tap;
    /** Tap {@code j} of input {@code i}: output position at {@code [i * k + j]}. */
    final int[] out;

    /** Taps in ascending kernel index, so a spike's contributions keep the dense summation order. */
    Taps(int in, int k, int stride, int pad, int dilation, int outN) {
        count = new int[in];
        tap = new int[in * k];
        out = new int[in * k];
        for (int i = 0; i < in; i++) {
            int c = 0;
            for (int t = 0; t < k; t++) {
                int num = i + pad - t * dilation;
                if (num < 0 || num % stride != 0 || num / stride >= outN) {
                    continue;
                }
                tap[i * k + c] = t;
                out[i * k + c] = num / stride;
                c++;
            }
            count[i] = c;
        }
    }
}
