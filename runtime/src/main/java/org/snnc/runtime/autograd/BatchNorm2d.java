package org.snnc.runtime.autograd;

import org.snnc.runtime.kernel.Parallel;

/**
 * One batch normalisation over NCHW maps with its parameters, gradients and running statistics,
 * as PyTorch's {@code nn.BatchNorm2d}:
 *
 * <ul>
 *   <li>training: per channel, {@code mean} and biased {@code var} over {@code (n, h, w)};
 *       {@code y = scale * (x - mean) / sqrt(var + eps) + shift}; running mean and variance move
 *       by {@code momentum} towards the batch mean and the <em>unbiased</em> batch variance;
 *   <li>eval: the same with the running mean and variance in place of the batch statistics.
 * </ul>
 *
 * Statistics are summed in double, per channel, and channels are split across threads, so the
 * result does not depend on the thread count. Forward overwrites its output; backward adds into
 * the input gradient and into {@link #scaleGrad()} / {@link #shiftGrad()}.
 */
public final class BatchNorm2d {

    /** What a training-mode forward leaves for its backward: per-channel batch mean and {@code 1/sqrt(var+eps)}. */
    public record Saved(float[] mean, float[] invStd) {
    }

    private final BatchNormSpec spec;
    private final float[] scale;
    private final float[] shift;
    private final float[] scaleGrad;
    private final float[] shiftGrad;
    private final float[] runningMean;
    private final float[] runningVar;

    /** Scale 1, shift 0, running mean 0, running variance 1, as PyTorch initialises them. */
    public BatchNorm2d(BatchNormSpec spec) {
        this.spec = spec;
        int c = spec.channels();
        scale = spec.scale() ? filled(c, 1f) : null;
        scaleGrad = spec.scale() ? new float[c] : null;
        shift = spec.shift() ? new float[c] : null;
        shiftGrad = spec.shift() ? new float[c] : null;
        runningMean = new float[c];
        runningVar = filled(c, 1f);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    public BatchNormSpec spec() {
        return spec;
    }

    /** Learnable scale {@code [C]}, or null without one; mutable in place by the optimiser. */
    public float[] scale() {
        return scale;
    }

    /** Learnable shift {@code [C]}, or null without one. */
    public float[] shift() {
        return shift;
    }

    public float[] scaleGrad() {
        return scaleGrad;
    }

    public float[] shiftGrad() {
        return shiftGrad;
    }

    public float[] runningMean() {
        return runningMean;
    }

    public float[] runningVar() {
        return runningVar;
    }

    /**
     * Training-mode forward on {@code x [n][C][h][w]} into {@code y}; updates the running
     * statistics. Keep {@code x} and the returned {@link Saved} for {@link #backwardTrain}.
     */
    public Saved forwardTrain(float[] x, int n, int h, int w, float[] y, Parallel par) {
        int c = spec.channels();
        int grid = h * w;
        long count = (long) n * grid;
        check(x, n, h, w, "input");
        check(y, n, h, w, "output");
        if (count < 2) {
            // The unbiased variance for the running average needs two values, as in PyTorch.
            throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got "
                    + count + " (batch " + n + ", " + h + "x" + w + ")");
        }
        float[] mean = new float[c];
        float[] invStd = new float[c];
        par.forRange(c, (from, to, chunk) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    sum += sum(x, (s * c + ch) * grid, grid);
                }
                double mu = sum / count;
                double sq = 0;
                for (int s = 0; s < n; s++) {
                    sq += squaredDeviations(x, (s * c + ch) * grid, grid, mu);
                }
                double var = sq / count;
                double inv = 1.0 / Math.sqrt(var + spec.eps());
                mean[ch] = (float) mu;
                invStd[ch] = (float) inv;
                float m = spec.momentum();
                runningMean[ch] = (1 - m) * runningMean[ch] + m * (float) mu;
                runningVar[ch] = (1 - m) * runningVar[ch] + m * (float) (sq / (count - 1));
                normalise(x, y, n, c, grid, ch, (float) mu, (float) inv);
            }
        });
        return new Saved(mean, invStd);
    }

    /** Eval-mode forward with the running statistics. */
    public void forwardEval(float[] x, int n, int h, int w, float[] y, Parallel par) {
        int c = spec.channels();
        check(x, n, h, w, "input");
        check(y, n, h, w, "output");
        par.forRange(c, (from, to, chunk) -> {
            for (int ch = from; ch < to; ch++) {
                normalise(x, y, n, c, h * w, ch, runningMean[ch], evalInvStd(ch));
            }
        });
    }

    private float evalInvStd(int ch) {
        return (float) (1.0 / Math.sqrt((double) runningVar[ch] + spec.eps()));
    }

    private void normalise(float[] x, float[] y, int n, int c, int grid, int ch, float mean, float invStd) {
        float a = scale == null ? invStd : scale[ch] * invStd;
        float b = shift == null ? 0f : shift[ch];
        for (int s = 0; s < n; s++) {
            int base = (s * c + ch) * grid;
            for (int q = 0; q < grid; q++) {
                y[base + q] = (x[base + q] - mean) * a + b;
            }
        }
    }

    /**
     * Training-mode backward: with {@code xhat = (x - mean) * invStd} and {@code M = n h w},
     * {@code dx += scale * invStd * (dy - sum(dy)/M - xhat * sum(dy xhat)/M)},
     * {@code dScale += sum(dy xhat)}, {@code dShift += sum(dy)}.
     */
    public void backwardTrain(float[] x, Saved saved, float[] dy, int n, int h, int w, float[] dx, Parallel par) {
        int c = spec.channels();
        int grid = h * w;
        long count = (long) n * grid;
        check(x, n, h, w, "input");
        check(dy, n, h, w, "output gradient");
        check(dx, n, h, w, "input gradient");
        par.forRange(c, (from, to, chunk) -> {
            for (int ch = from; ch < to; ch++) {
                float mu = saved.mean()[ch];
                float inv = saved.invStd()[ch];
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int s = 0; s < n; s++) {
                    int base = (s * c + ch) * grid;
                    sumDy += sum(dy, base, grid);
                    sumDyXhat += dotXhat(dy, x, base, grid, mu, inv);
                }
                if (scaleGrad != null) {
                    scaleGrad[ch] += (float) sumDyXhat;
                }
                if (shiftGrad != null) {
                    shiftGrad[ch] += (float) sumDy;
                }
                float k = (scale == null ? 1f : scale[ch]) * inv;
                float meanDy = (float) (sumDy / count);
                float meanDyXhat = (float) (sumDyXhat / count);
                for (int s = 0; s < n; s++) {
                    int base = (s * c + ch) * grid;
                    for (int q = 0; q < grid; q++) {
                        float xhat = (x[base + q] - mu) * inv;
                        dx[base + q] += k * (dy[base + q] - meanDy - xhat * meanDyXhat);
                    }
                }
            }
        });
    }

    /** Eval-mode backward: the statistics are constants, so {@code dx += dy * scale / sqrt(runningVar + eps)}. */
    public void backwardEval(float[] x, float[] dy, int n, int h, int w, float[] dx, Parallel par) {
        int c = spec.channels();
        int grid = h * w;
        check(x, n, h, w, "input");
        check(dy, n, h, w, "output gradient");
        check(dx, n, h, w, "input gradient");
        par.forRange(c, (from, to, chunk) -> {
            for (int ch = from; ch < to; ch++) {
                float inv = evalInvStd(ch);
                float mu = runningMean[ch];
                double sumDy = 0;
                double sumDyXhat = 0;
                float k = (scale == null ? 1f : scale[ch]) * inv;
                for (int s = 0; s < n; s++) {
                    int base = (s * c + ch) * grid;
                    for (int q = 0; q < grid; q++) {
                        float g = dy[base + q];
                        sumDy += g;
                        sumDyXhat += g * ((x[base + q] - mu) * inv);
                        dx[base + q] += k * g;
                    }
                }
                if (scaleGrad != null) {
                    scaleGrad[ch] += (float) sumDyXhat;
                }
                if (shiftGrad != null) {
                    shiftGrad[ch] += (float) sumDy;
                }
            }
        });
    }

    // The per-channel sums below run four interleaved double sums, added up in a fixed order:
    // one chain of dependent double additions costs a full add latency per element, and the
    // statistics are a pass over every activation of every step. The order does not depend on
    // the thread count (a channel is one thread's).

    /** {@code sum x[base .. base + len)}. */
    static double sum(float[] x, int base, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int q = 0;
        for (; q + 3 < len; q += 4) {
            s0 += x[base + q];
            s1 += x[base + q + 1];
            s2 += x[base + q + 2];
            s3 += x[base + q + 3];
        }
        for (; q < len; q++) {
            s0 += x[base + q];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code sum (x - mu)^2} over {@code x[base .. base + len)}. */
    static double squaredDeviations(float[] x, int base, int len, double mu) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int q = 0;
        for (; q + 3 < len; q += 4) {
            double d0 = x[base + q] - mu;
            double d1 = x[base + q + 1] - mu;
            double d2 = x[base + q + 2] - mu;
            double d3 = x[base + q + 3] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; q < len; q++) {
            double d = x[base + q] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code sum dy * ((x - mu) * inv)} over {@code [base, base + len)}, each product in float. */
    static double dotXhat(float[] dy, float[] x, int base, int len, float mu, float inv) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int q = 0;
        for (; q + 3 < len; q += 4) {
            s0 += dy[base + q] * ((x[base + q] - mu) * inv);
            s1 += dy[base + q + 1] * ((x[base + q + 1] - mu) * inv);
            s2 += dy[base + q + 2] * ((x[base + q + 2] - mu) * inv);
            s3 += dy[base + q + 3] * ((x[base + q + 3] - mu) * inv);
        }
        for (; q < len; q++) {
            s0 += dy[base + q] * ((x[base + q] - mu) * inv);
        }
        return (s0 + s1) + (s2 + s3);
    }

    private void check(float[] a, int n, int h, int w, String what) {
        long expected = (long) n * spec.channels() * h * w;
        if (n < 1 || h < 1 || w < 1 || a.length != expected) {
            throw new IllegalArgumentException(what + " has " + a.length + " elements, expected [" + n + ", "
                    + spec.channels() + ", " + h + ", " + w + "] = " + expected);
        }
    }
}
