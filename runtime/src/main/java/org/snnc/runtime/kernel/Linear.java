package org.snnc.runtime.kernel;

import java.util.Arrays;

/**
 * Fully connected layer as PyTorch's {@code nn.Linear}: input {@code [n][in]}, weight
 * {@code [out][in]}, bias {@code [out]}, output {@code [n][out]}, {@code y = x W^T + b}. An NCHW
 * map is already a valid {@code [n][c*h*w]} input (see {@link Flatten}). Forward overwrites;
 * backward methods add. Rows of the result are split across threads.
 */
public final class Linear {

    private Linear() {
    }

    /** @param bias {@code [out]} or null */
    public static void forward(int in, int out, float[] x, int n, float[] weight, float[] bias, float[] y, Parallel par) {
        Checks.positive("in", in);
        Checks.positive("out", out);
        Checks.length("input", x, (long) n * in);
        Checks.length("weight", weight, (long) out * in);
        Checks.length("output", y, (long) n * out);
        if (bias != null) {
            Checks.length("bias", bias, out);
        }
        float[] weightT = new float[in * out];
        Gemm.transpose(weight, 0, out, in, weightT, 0);
        par.forRange(n, (from, to, chunk) -> {
            Arrays.fill(y, from * out, to * out, 0f);
            Gemm.multiplyAdd(from, to, out, in, x, 0, in, weightT, 0, out, y, 0, out);
            if (bias != null) {
                for (int s = from; s < to; s++) {
                    for (int o = 0; o < out; o++) {
                        y[s * out + o] += bias[o];
                    }
                }
            }
        });
    }

    /** {@code dx += dy W}. */
    public static void backwardInput(int in, int out, float[] dy, int n, float[] weight, float[] dx, Parallel par) {
        Checks.length("output gradient", dy, (long) n * out);
        Checks.length("weight", weight, (long) out * in);
        Checks.length("input gradient", dx, (long) n * in);
        par.forRange(n, (from, to, chunk) -> Gemm.multiplyAdd(from, to, in, out, dy, 0, out, weight, 0, in, dx, 0, in));
    }

    /** {@code dW += dy^T x}, summed over samples in ascending order. */
    public static void backwardWeight(int in, int out, float[] x, float[] dy, int n, float[] dWeight, Parallel par) {
        Checks.length("input", x, (long) n * in);
        Checks.length("output gradient", dy, (long) n * out);
        Checks.length("weight gradient", dWeight, (long) out * in);
        float[] dyT = new float[out * n];
        Gemm.transpose(dy, 0, n, out, dyT, 0);
        par.forRange(out, (from, to, chunk) -> Gemm.multiplyAdd(from, to, in, n, dyT, 0, n, x, 0, in, dWeight, 0, in));
    }

    /** {@code dBias[o] += sum_s dy[s][o]}. */
    public static void backwardBias(int out, float[] dy, int n, float[] dBias, Parallel par) {
        Checks.length("output gradient", dy, (long) n * out);
        Checks.length("bias gradient", dBias, out);
        Conv2d.channelSums(dy, n, out, 1, dBias, par);
    }
}
