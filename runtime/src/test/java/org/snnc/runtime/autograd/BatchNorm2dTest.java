package org.snnc.runtime.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class BatchNorm2dTest {

    @Test
    void trainingForwardAndRunningStatistics() {
        // One channel, x = [1,2,3,4]: mean 2.5, biased var 1.25, unbiased var 5/3.
        // y = 2 * (x - 2.5) / sqrt(1.25 + 1e-5) + 0.5.
        // running mean = 0.9 * 0 + 0.1 * 2.5 = 0.25; running var = 0.9 * 1 + 0.1 * 5/3 = 1.0666667.
        BatchNorm2d bn = new BatchNorm2d(new BatchNormSpec(1, 1e-5f, 0.1f, true, true));
        bn.scale()[0] = 2f;
        bn.shift()[0] = 0.5f;
        float[] y = new float[4];
        BatchNorm2d.Saved saved = bn.forwardTrain(new float[] {1, 2, 3, 4}, 1, 2, 2, y, Parallel.serial());
        double inv = 1 / Math.sqrt(1.25 + 1e-5);
        for (int i = 0; i < 4; i++) {
            assertEquals(2 * (i + 1 - 2.5) * inv + 0.5, y[i], 1e-6);
        }
        assertEquals(2.5f, saved.mean()[0]);
        assertEquals(inv, saved.invStd()[0], 1e-7);
        assertEquals(0.25f, bn.runningMean()[0], 1e-7f);
        assertEquals(0.9 + 0.1 * 5.0 / 3, bn.runningVar()[0], 1e-6);
        // Eval uses the running statistics: x = running mean maps to the shift.
        float[] e = new float[4];
        bn.forwardEval(new float[] {0.25f, 0.25f, 1.25f, -0.75f}, 1, 2, 2, e, Parallel.serial());
        double evalInv = 1 / Math.sqrt(0.9 + 0.1 * 5.0 / 3 + 1e-5);
        assertArrayEquals(new float[] {0.5f, 0.5f, (float) (2 * evalInv + 0.5), (float) (-2 * evalInv + 0.5)}, e, 1e-6f);
    }

    @Test
    void trainingNeedsTwoValuesPerChannel() {
        BatchNorm2d bn = new BatchNorm2d(BatchNormSpec.bntt(2));
        assertThrows(IllegalArgumentException.class,
                () -> bn.forwardTrain(new float[2], 1, 1, 1, new float[2], Parallel.serial()));
    }

    @Test
    void trainingGradientsMatchFiniteDifferences() {
        Rand rnd = new Rand(61);
        for (BatchNormSpec spec : new BatchNormSpec[] {
            new BatchNormSpec(3, 1e-5f, 0.1f, true, true), BatchNormSpec.bntt(3), new BatchNormSpec(2, 1e-3f, 0.1f, false, false)}) {
            int n = 2;
            int c = spec.channels();
            int h = 3;
            int w = 2;
            BatchNorm2d bn = new BatchNorm2d(spec);
            if (spec.scale()) {
                System.arraycopy(rnd.uniform(c, 0.5, 1.5), 0, bn.scale(), 0, c);
            }
            if (spec.shift()) {
                System.arraycopy(rnd.uniform(c), 0, bn.shift(), 0, c);
            }
            float[] x = rnd.uniform(n * c * h * w, -2, 2);
            float[] r = rnd.uniform(x.length);
            float[] y = new float[x.length];
            DoubleSupplier loss = () -> {
                bn.forwardTrain(x, n, h, w, y, Parallel.serial());
                return GradCheck.dot(r, y);
            };
            BatchNorm2d.Saved saved = bn.forwardTrain(x, n, h, w, y, Parallel.serial());
            float[] dx = new float[x.length];
            bn.backwardTrain(x, saved, r, n, h, w, dx, Parallel.serial());
            GradCheck.check("bn train dx " + spec, x, dx, loss, 1e-2, 2e-3);
            if (spec.scale()) {
                GradCheck.check("bn train dscale " + spec, bn.scale(), bn.scaleGrad(), loss, 1e-2, 1e-3);
            } else {
                assertNull(bn.scaleGrad());
            }
            if (spec.shift()) {
                GradCheck.check("bn train dshift " + spec, bn.shift(), bn.shiftGrad(), loss, 1e-2, 1e-3);
            }
        }
    }

    @Test
    void evalGradientsMatchFiniteDifferences() {
        Rand rnd = new Rand(62);
        BatchNorm2d bn = new BatchNorm2d(new BatchNormSpec(3, 1e-4f, 0.1f, true, true));
        System.arraycopy(rnd.uniform(3, 0.5, 1.5), 0, bn.scale(), 0, 3);
        System.arraycopy(rnd.uniform(3), 0, bn.shift(), 0, 3);
        System.arraycopy(rnd.uniform(3), 0, bn.runningMean(), 0, 3);
        System.arraycopy(rnd.uniform(3, 0.5, 2), 0, bn.runningVar(), 0, 3);
        int n = 2;
        int h = 2;
        int w = 3;
        float[] x = rnd.uniform(n * 3 * h * w, -2, 2);
        float[] r = rnd.uniform(x.length);
        float[] y = new float[x.length];
        DoubleSupplier loss = () -> {
            bn.forwardEval(x, n, h, w, y, Parallel.serial());
            return GradCheck.dot(r, y);
        };
        float[] dx = new float[x.length];
        bn.backwardEval(x, r, n, h, w, dx, Parallel.serial());
        GradCheck.check("bn eval dx", x, dx, loss, 0.1, 1e-4);
        GradCheck.check("bn eval dscale", bn.scale(), bn.scaleGrad(), loss, 0.1, 1e-4);
        GradCheck.check("bn eval dshift", bn.shift(), bn.shiftGrad(), loss, 0.1, 1e-4);
    }

    @Test
    void bnttKeepsSeparateStatisticsPerStep() {
        Bntt bntt = new Bntt(BatchNormSpec.bntt(1), 3);
        float[] y = new float[2];
        bntt.step(0).forwardTrain(new float[] {1, 3}, 2, 1, 1, y, Parallel.serial());
        bntt.step(2).forwardTrain(new float[] {10, 30}, 2, 1, 1, y, Parallel.serial());
        // momentum 0.1 towards each step's own batch mean (2 and 20); step 1 untouched.
        assertEquals(0.2f, bntt.step(0).runningMean()[0], 1e-6f);
        assertEquals(0f, bntt.step(1).runningMean()[0]);
        assertEquals(2.0f, bntt.step(2).runningMean()[0], 1e-6f);
        assertNull(bntt.step(1).shift());
        assertTrue(bntt.step(0).scale() != bntt.step(1).scale());
        assertThrows(IndexOutOfBoundsException.class, () -> bntt.step(3));
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Rand rnd = new Rand(63);
        int n = 2;
        int c = 5;
        int h = 4;
        int w = 4;
        float[] x = rnd.uniform(n * c * h * w);
        float[] dy = rnd.uniform(x.length);
        float[][] ys = new float[2][x.length];
        float[][] dxs = new float[2][x.length];
        try (Parallel two = new Parallel(2)) {
            Parallel[] pars = {Parallel.serial(), two};
            for (int i = 0; i < 2; i++) {
                BatchNorm2d bn = new BatchNorm2d(BatchNormSpec.bntt(c));
                BatchNorm2d.Saved s = bn.forwardTrain(x, n, h, w, ys[i], pars[i]);
                bn.backwardTrain(x, s, dy, n, h, w, dxs[i], pars[i]);
            }
        }
        assertTrue(Rand.sameBits(ys[0], ys[1]));
        assertTrue(Rand.sameBits(dxs[0], dxs[1]));
    }
}
