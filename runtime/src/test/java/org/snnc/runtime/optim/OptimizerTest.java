package org.snnc.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.model.Tensor;

/** Single updates against hand computation (PyTorch's update equations written out). */
class OptimizerTest {

    private static Tensor param(float... values) {
        return new Tensor("w", new int[] {values.length}, values.clone(), new float[values.length]);
    }

    @Test
    void adamFirstStepMovesEachWeightByTheRateAgainstTheGradientSign() {
        // t = 1: m = 0.1 g, v = 0.001 g², m / (1 - 0.9) = g, sqrt(v / (1 - 0.999)) = |g|,
        // so p -= lr * g / (|g| + eps).
        Tensor w = param(1f, -2f);
        w.grad()[0] = 0.5f;
        w.grad()[1] = -4f;
        Adam adam = new Adam(List.of(w), new Adam.Config(0.9, 0.999, 1e-8, 0, false));
        adam.step(0.1);
        assertArrayEquals(new float[] {0.9f, -1.9f}, w.data(), 1e-6f);
        assertEquals(1, adam.steps());
    }

    @Test
    void adamSecondStepWithWeightDecayAndAmsgrad() {
        double lr = 0.01;
        double wd = 0.1;
        Tensor w = param(2f);
        Adam adam = new Adam(List.of(w), new Adam.Config(0.9, 0.999, 1e-8, wd, true));
        w.grad()[0] = 3f;
        adam.step(lr);
        // Step 1: g = 3 + 0.1*2 = 3.2; m = 0.32; v = 0.01024; p = 2 - 0.01 * 3.2 / 3.2 = 1.99.
        assertEquals(1.99, w.data()[0], 1e-6);
        w.grad()[0] = 0.1f;
        adam.step(lr);
        // Step 2: g = 0.1 + 0.199 = 0.299; m = 0.9*0.32 + 0.0299 = 0.3179;
        // v = 0.999*0.01024 + 0.001*0.089401 = 0.01031916...; vmax = max(0.01024, v) = v.
        double g = 0.1 + wd * 1.99;
        double m = 0.9 * 0.32 + 0.1 * g;
        double v = 0.999 * (0.001 * 3.2 * 3.2) + 0.001 * g * g;
        double p = 1.99 - lr / (1 - 0.81) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8);
        assertEquals(p, w.data()[0], 1e-5);
        // AMSGrad keeps the larger second moment when the gradient shrinks.
        float[] vmax = adam.state().get(2).data();
        assertEquals("optimizer.max_exp_avg_sq.w", adam.state().get(2).name());
        assertEquals(v, vmax[0], 1e-6 * v);
        w.grad()[0] = 0f;
        adam.step(lr);
        float[] vNow = adam.state().get(1).data();
        assertEquals(Math.max(v, vNow[0]), vmax[0], 1e-9);
    }

    @Test
    void sgdMomentumBufferStartsAtTheGradient() {
        Tensor w = param(1f);
        Sgd sgd = new Sgd(List.of(w), new Sgd.Config(0.9, 0.5));
        w.grad()[0] = 2f;
        sgd.step(0.1);
        // g = 2 + 0.5 = 2.5; buf = 2.5; p = 1 - 0.25 = 0.75
        assertEquals(0.75f, w.data()[0], 1e-7f);
        sgd.step(0.1);
        // g = 2 + 0.375 = 2.375; buf = 2.25 + 2.375 = 4.625; p = 0.75 - 0.4625 = 0.2875
        assertEquals(0.2875f, w.data()[0], 1e-6f);
    }

    @Test
    void stepScheduleDividesByTenAtEachMilestone() {
        StepSchedule paper = StepSchedule.paper(3e-3, 100);
        assertEquals(3e-3, paper.lr(0));
        assertEquals(3e-3, paper.lr(49));
        assertEquals(3e-4, paper.lr(50), 1e-12);
        StepSchedule released = new StepSchedule(1e-2, new double[] {0.8, 0.5}, 0.1, 10);
        assertEquals(1e-2, released.lr(4), 1e-12);
        assertEquals(1e-3, released.lr(5), 1e-12);
        assertEquals(1e-4, released.lr(8), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new StepSchedule(1e-3, new double[] {1.5}, 0.1, 10));
    }

    @Test
    void clippingScalesTheGlobalNormDown() {
        Tensor a = param(0f, 0f);
        Tensor b = param(0f);
        a.grad()[0] = 3f;
        a.grad()[1] = 0f;
        b.grad()[0] = 4f;
        assertEquals(5.0, GradClip.clipNorm(List.of(a, b), 1.0), 1e-12);
        assertEquals(0.6f, a.grad()[0], 1e-6f);
        assertEquals(0.8f, b.grad()[0], 1e-6f);
        // Below the limit nothing changes.
        assertEquals(1.0, GradClip.clipNorm(List.of(a, b), 2.0), 1e-5);
        assertEquals(0.6f, a.grad()[0], 1e-6f);
    }
}
