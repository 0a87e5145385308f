package org.snnc.runtime.kernel;

/**
 * Convolution weights (or their gradient) stored tap-major: {@code rows[r][o] = W[o][r]} for
 * {@code W} in PyTorch's {@code [cOut][cIn * kH * kW]} layout, one {@code float[]} of at least
 * {@code cOut} floats per tap {@code r = (ci * kH + ky) * kW + kx}. The spike kernels
 * ({@link SpikeConv2d}) add whole rows of {@code cOut} floats per spike; separate row arrays are
 * what C2 vectorises (see {@link RowScratch}).
 */
public final class TapMajor {

    private TapMajor() {
    }

    /** Rows for a {@code [cOut][k]} weight: {@code k} rows of {@code cOut} floats. */
    public static float[][] allocate(int cOut, int k) {
        Checks.positive("cOut", cOut);
        Checks.positive("k", k);
        return new float[k][cOut];
    }

    /** {@code rows[r][o] = weight[o * k + r]}; rows split across threads. */
    public static void fromWeights(float[] weight, int cOut, int k, float[][] rows, Parallel par) {
        Checks.length("weight", weight, (long) cOut * k);
        check(rows, k, cOut);
        par.forRange(k, (from, to, chunk) -> {
            for (int r = from; r < to; r++) {
                float[] row = rows[r];
                for (int o = 0; o < cOut; o++) {
                    row[o] = weight[o * k + r];
                }
            }
        });
    }

    /** {@code weight[o * k + r] = rows[r][o]}; output channels split across threads. */
    public static void toWeights(float[][] rows, int cOut, int k, float[] weight, Parallel par) {
        Checks.length("weight", weight, (long) cOut * k);
        check(rows, k, cOut);
        par.forRange(cOut, (from, to, chunk) -> {
            for (int o = from; o < to; o++) {
                int dst = o * k;
                for (int r = 0; r < k; r++) {
                    weight[dst + r] = rows[r][o];
                }
            }
        });
    }

    static void check(float[][] rows, int k, int cOut) {
        if (rows.length < k) {
            throw new IllegalArgumentException("tap-major rows: " + rows.length + " rows, expected at least " + k);
        }
        for (int r = 0; r < k; r++) {
            if (rows[r].length < cOut) {
                throw new IllegalArgumentException("tap-major row " + r + " has " + rows[r].length
                        + " floats, expected at least " + cOut);
            }
        }
    }
}
