package org.snnc.runtime.kernel;

/**
 * Per-pixel softmax cross-entropy for segmentation, as PyTorch's
 * {@code F.cross_entropy(logits, labels, ignore_index=255, reduction='mean')}: logits
 * {@code [n][C][h][w]}, labels {@code [n][h][w]} in {@code [0, C)} or {@link #IGNORE}; the loss is
 * the mean of {@code -log softmax(logits)[label]} over the pixels that are not ignored.
 *
 * <p>If every pixel is ignored the mean is 0/0: the loss is NaN, as in PyTorch, and the gradient
 * is zero (no pixel contributes). Softmax sums are in double; per-sample partial losses are added
 * in sample order, so the result does not depend on the thread count.
 */
public final class CrossEntropy2d {

    /** The label of pixels that take no part (VOC object borders). */
    public static final int IGNORE = 255;

    private CrossEntropy2d() {
    }

    /**
     * Returns the mean loss and, if {@code grad} is not null, overwrites it with
     * {@code dLoss/dLogits [n][C][h][w]} = {@code (softmax - onehot(label)) / count} on counted
     * pixels and 0 on ignored ones.
     */
    public static double lossAndGradient(float[] logits, int[] labels, int n, int c, int h, int w,
                                         float[] grad, Parallel par) {
        int grid = h * w;
        Checks.positive("batch", n);
        Checks.positive("classes", c);
        Checks.length("logits", logits, (long) n * c * grid);
        Checks.length("labels", labels, (long) n * grid);
        if (grad != null) {
            Checks.length("logit gradient", grad, (long) n * c * grid);
        }
        long count = 0;
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l == IGNORE) {
                continue;
            }
            if (l < 0 || l >= c) {
                int s = i / grid;
                int q = i % grid;
                throw new IllegalArgumentException("label " + l + " at sample " + s + " pixel (" + q / w + ", " + q % w
                        + ") is outside [0, " + c + ") and is not the ignore label " + IGNORE);
            }
            count++;
        }
        double[] perSample = new double[n];
        double invCount = count == 0 ? 0 : 1.0 / count;
        par.forRange(n, (from, to, chunk) -> {
            float[] max = new float[grid];
            double[] sum = new double[grid];
            for (int s = from; s < to; s++) {
                perSample[s] = sample(logits, labels, s, c, grid, grad, invCount, max, sum);
            }
        });
        if (count == 0) {
            return Double.NaN;
        }
        double total = 0;
        for (double v : perSample) {
            total += v;
        }
        return total / count;
    }

    private static double sample(float[] logits, int[] labels, int s, int c, int grid, float[] grad,
                                 double invCount, float[] max, double[] sum) {
        int base = s * c * grid;
        int lab = s * grid;
        System.arraycopy(logits, base, max, 0, grid);
        for (int k = 1; k < c; k++) {
            int row = base + k * grid;
            for (int q = 0; q < grid; q++) {
                max[q] = Math.max(max[q], logits[row + q]);
            }
        }
        java.util.Arrays.fill(sum, 0, grid, 0.0);
        for (int k = 0; k < c; k++) {
            int row = base + k * grid;
            for (int q = 0; q < grid; q++) {
                sum[q] += Math.exp(logits[row + q] - max[q]);
            }
        }
        double loss = 0;
        for (int q = 0; q < grid; q++) {
            int l = labels[lab + q];
            if (l != IGNORE) {
                loss += Math.log(sum[q]) + max[q] - logits[base + l * grid + q];
            }
        }
        if (grad != null) {
            for (int k = 0; k < c; k++) {
                int row = base + k * grid;
                for (int q = 0; q < grid; q++) {
                    int l = labels[lab + q];
                    if (l == IGNORE) {
                        grad[row + q] = 0f;
                    } else {
                        double p = Math.exp(logits[row + q] - max[q]) / sum[q];
                        grad[row + q] = (float) ((l == k ? p - 1 : p) * invCount);
                    }
                }
            }
        }
        return loss;
    }
}
