package org.snnc.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;

/**
 * Central finite differences against an analytic gradient. The kernels are single precision, so
 * the loss is evaluated in double over float outputs and the step divides by the perturbation
 * that float rounding actually applied. The error measure is norm-wise,
 * {@code ||fd - analytic|| / max(||fd||, ||analytic||)}, which is insensitive to individual
 * entries that are near zero, plus an element-wise bound relative to the largest entry.
 */
public final class GradCheck {

    private GradCheck() {
    }

    /**
     * @param param    the array being perturbed in place (restored afterwards)
     * @param analytic the gradient the kernel produced for {@code param}
     * @param loss     recomputes the whole forward pass and returns the scalar loss
     * @param step     perturbation size
     * @param tol      largest accepted relative error
     */
    public static void check(String what, float[] param, float[] analytic, DoubleSupplier loss, double step, double tol) {
        double[] fd = numeric(param, loss, step);
        double num = 0;
        double nf = 0;
        double na = 0;
        double maxAbs = 0;
        double maxDiff = 0;
        int worst = -1;
        for (int i = 0; i < fd.length; i++) {
            double d = fd[i] - analytic[i];
            num += d * d;
            nf += fd[i] * fd[i];
            na += (double) analytic[i] * analytic[i];
            maxAbs = Math.max(maxAbs, Math.max(Math.abs(fd[i]), Math.abs(analytic[i])));
            if (Math.abs(d) > maxDiff) {
                maxDiff = Math.abs(d);
                worst = i;
            }
        }
        double denom = Math.sqrt(Math.max(nf, na));
        assertTrue(denom > 0, what + ": gradient is identically zero, the check would prove nothing");
        double rel = Math.sqrt(num) / denom;
        assertTrue(rel < tol, what + ": relative gradient error " + rel + " >= " + tol);
        int w = worst;
        assertTrue(maxDiff <= 10 * tol * maxAbs, () -> what + ": element " + w + " fd " + fd[w]
                + " analytic " + analytic[w]);
    }

    public static double[] numeric(float[] param, DoubleSupplier loss, double step) {
        double[] fd = new double[param.length];
        for (int i = 0; i < param.length; i++) {
            float v = param[i];
            float up = (float) (v + step);
            float down = (float) (v - step);
            param[i] = up;
            double lp = loss.getAsDouble();
            param[i] = down;
            double lm = loss.getAsDouble();
            param[i] = v;
            fd[i] = (lp - lm) / ((double) up - (double) down);
        }
        return fd;
    }

    /** {@code sum_i r[i] * y[i]} in double: a loss whose output gradient is {@code r}. */
    public static double dot(float[] r, float[] y) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += (double) r[i] * y[i];
        }
        return s;
    }
}
