package org.snnc.runtime.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.testing.Rand;

/**
 * The spike function is a step, so finite differences of the real forward pass see a zero or
 * infinite derivative and cannot check a surrogate gradient. Two honest checks instead:
 *
 * <ol>
 *   <li>Hand-derived BPTT over 4 steps for each reset mode, with and without detaching the reset
 *       (the derivations are in the comments).
 *   <li>A smooth stand-in whose exact gradient <em>is</em> the surrogate gradient: replace every
 *       spike by {@code o~_t = o_t + S(v~_t) - S(v_t)}, where {@code S} is an antiderivative of the
 *       surrogate, {@code o_t, v_t} are the recorded spikes and membranes and {@code v~_t} the
 *       membrane recomputed from the perturbed input. At the recorded input {@code o~_t = o_t}
 *       (the forward is unchanged) and {@code do~/dv~ = S' = surrogate}; the reset uses
 *       {@code o~_t} when attached and the constant {@code o_t} when detached. Central
 *       differences in double of {@code L = sum g_t o~_t} must then equal the kernel's backward.
 * </ol>
 */
class LifNeuronsTest {

    private static final float[] I = {0.6f, 0.8f, 0.2f, 1.1f};
    private static final float[] G = {1f, -1f, 2f, 0.5f};

    /** Runs one neuron over the 4 steps of {@link #I} with upstream gradients {@link #G}. */
    private static float[] bptt(LifSpec spec, byte[] spikesSeen) {
        LifNeurons lif = new LifNeurons(spec, 1, 4);
        byte[] o = new byte[1];
        for (int t = 0; t < 4; t++) {
            lif.forward(t, new float[] {I[t]}, o, Parallel.serial());
            spikesSeen[t] = o[0];
        }
        float[] grad = new float[4];
        for (int t = 3; t >= 0; t--) {
            float[] g = new float[1];
            lif.backward(t, new float[] {G[t]}, g, Parallel.serial());
            grad[t] = g[0];
        }
        return grad;
    }

    private static LifSpec spec(LifSpec.Reset reset, boolean detach) {
        // leak 0.5 keeps the hand arithmetic exact in binary; triangle with the paper's scale 1.
        return new LifSpec(0.5f, 1f, reset, detach, new Surrogate.Triangle(1f));
    }

    @Test
    void softResetDetachedByHand() {
        // Forward (u = membrane after reset): v0 = 0.6 -> no spike, u0 = 0.6
        //   v1 = 0.3 + 0.8 = 1.1 -> spike, u1 = 0.1;  v2 = 0.05 + 0.2 = 0.25, u2 = 0.25
        //   v3 = 0.125 + 1.1 = 1.225 -> spike.  Surrogate 1 - |v - 1| = 0.6, 0.9, 0.25, 0.775.
        // Backward, d = dL/du carried, dv = d + g s, d_prev = 0.5 dv:
        //   t3: dv = 0 + 0.5*0.775 = 0.3875                      d = 0.19375
        //   t2: dv = 0.19375 + 2*0.25 = 0.69375                   d = 0.346875
        //   t1: dv = 0.346875 - 0.9 = -0.553125                   d = -0.2765625
        //   t0: dv = -0.2765625 + 0.6 = 0.3234375
        byte[] o = new byte[4];
        float[] grad = bptt(spec(LifSpec.Reset.SUBTRACT, true), o);
        assertArrayEquals(new byte[] {0, 1, 0, 1}, o);
        assertArrayEquals(new float[] {0.3234375f, -0.553125f, 0.69375f, 0.3875f}, grad, 1e-6f);
    }

    @Test
    void softResetAttachedByHand() {
        // Same forward. Through the reset u = v - theta o, so dv = d + (g - theta d) s:
        //   t3: dv = 0 + (0.5 - 0)*0.775 = 0.3875                          d = 0.19375
        //   t2: dv = 0.19375 + (2 - 0.19375)*0.25 = 0.6453125               d = 0.32265625
        //   t1: dv = 0.32265625 + (-1 - 0.32265625)*0.9 = -0.867734375      d = -0.4338671875
        //   t0: dv = -0.4338671875 + (1 + 0.4338671875)*0.6 = 0.426453125
        byte[] o = new byte[4];
        float[] grad = bptt(spec(LifSpec.Reset.SUBTRACT, false), o);
        assertArrayEquals(new float[] {0.426453125f, -0.867734375f, 0.6453125f, 0.3875f}, grad, 1e-6f);
    }

    @Test
    void hardResetDetachedByHand() {
        // Forward: v0 = 0.6, u0 = 0.6; v1 = 1.1 -> spike, u1 = 0; v2 = 0.2, u2 = 0.2;
        //   v3 = 0.1 + 1.1 = 1.2 -> spike.  Surrogate: 0.6, 0.9, 0.2, 0.8.
        // u = v (1 - o) with o constant: dv = d (1 - o) + g s:
        //   t3: dv = 0 + 0.5*0.8 = 0.4            d = 0.2
        //   t2: dv = 0.2 + 2*0.2 = 0.6            d = 0.3
        //   t1: dv = 0.3*0 - 0.9 = -0.9           d = -0.45
        //   t0: dv = -0.45 + 0.6 = 0.15
        byte[] o = new byte[4];
        float[] grad = bptt(spec(LifSpec.Reset.ZERO, true), o);
        assertArrayEquals(new byte[] {0, 1, 0, 1}, o);
        assertArrayEquals(new float[] {0.15f, -0.9f, 0.6f, 0.4f}, grad, 1e-6f);
    }

    @Test
    void hardResetAttachedByHand() {
        // Through the reset du/do = -v: dv = d (1 - o) + (g - v d) s:
        //   t3: dv = 0 + (0.5 - 0)*0.8 = 0.4                                 d = 0.2
        //   t2: dv = 0.2 + (2 - 0.2*0.2)*0.2 = 0.592                           d = 0.296
        //   t1: dv = 0 + (-1 - 1.1*0.296)*0.9 = -1.19304                       d = -0.59652
        //   t0: dv = -0.59652 + (1 + 0.6*0.59652)*0.6 = 0.2182272
        byte[] o = new byte[4];
        float[] grad = bptt(spec(LifSpec.Reset.ZERO, false), o);
        assertArrayEquals(new float[] {0.2182272f, -1.19304f, 0.592f, 0.4f}, grad, 1e-6f);
    }

    @Test
    void surrogateValues() {
        // triangle 0.3 * max(0, 1 - |u - 1|): 0.3 at threshold, 0.15 half-way, 0 beyond 2 theta
        assertEquals(0.3f, Surrogate.Triangle.released().derivative(1f, 1f), 1e-7f);
        assertEquals(0.15f, Surrogate.Triangle.released().derivative(1.5f, 1f), 1e-7f);
        assertEquals(0f, Surrogate.Triangle.released().derivative(2.5f, 1f));
        // threshold 2: |(u - 2)/2| = 0.5 at u = 1
        assertEquals(0.5f, new Surrogate.Triangle(1f).derivative(1f, 2f), 1e-7f);
        // fast sigmoid 1 / (1 + 10 |u - 1|)^2: 1 at threshold, 1/4 at distance 0.1
        assertEquals(1f, new Surrogate.FastSigmoid(1f, 10f).derivative(1f, 1f));
        assertEquals(0.25f, new Surrogate.FastSigmoid(1f, 10f).derivative(0.9f, 1f), 1e-6f);
        // atan with alpha 2: alpha/2 = 1 at threshold; at u - theta = 1/pi, (pi/2 * 2 / pi)^2 = 1 -> 1/2
        assertEquals(1f, new Surrogate.Atan(1f, 2f).derivative(1f, 1f));
        assertEquals(0.5f, new Surrogate.Atan(1f, 2f).derivative(1f + (float) (1 / Math.PI), 1f), 1e-6f);
        // the batched fill agrees with the scalar form
        for (Surrogate s : new Surrogate[] {Surrogate.Triangle.released(), new Surrogate.FastSigmoid(0.5f, 4f),
            new Surrogate.Atan(1f, 2f)}) {
            float[] u = {-1f, 0.3f, 0.99f, 1f, 1.7f, 3f};
            float[] out = new float[8];
            s.fill(u, 1, out, 2, 5, 1f);
            for (int i = 0; i < 5; i++) {
                assertEquals(s.derivative(u[1 + i], 1f), out[2 + i]);
            }
        }
    }

    @Test
    void forwardSpikesAndResets() {
        // IF (leak 1), threshold 1, soft reset, input 0.75 each step (exact in binary):
        // v = 0.75; 1.5 (spike, u = 0.5); 1.25 (spike, u = 0.25); 1.0 (not > 1: no spike); 1.75 (spike).
        LifNeurons lif = new LifNeurons(new LifSpec(1f, 1f, LifSpec.Reset.SUBTRACT, true,
                Surrogate.Triangle.released()), 1, 5);
        byte[] o = new byte[1];
        byte[] seen = new byte[5];
        for (int t = 0; t < 5; t++) {
            lif.forward(t, new float[] {0.75f}, o, Parallel.serial());
            seen[t] = o[0];
        }
        assertArrayEquals(new byte[] {0, 1, 1, 0, 1}, seen);
        float[] v = new float[1];
        lif.preResetMembrane(3, v);
        assertEquals(1.0f, v[0]);
        assertEquals(0, lif.spikeCount(3));
        assertEquals(1, lif.spikeCount(4));
        assertThrows(IllegalStateException.class, () -> lif.backward(3, new float[1], new float[1], Parallel.serial()));
        // a new sequence starts from 0 again
        lif.begin();
        lif.forward(0, new float[] {0.75f}, o, Parallel.serial());
        lif.preResetMembrane(0, v);
        assertEquals(0.75f, v[0]);
    }

    @Test
    void stepsMustRunInOrder() {
        LifNeurons lif = new LifNeurons(LifSpec.released(), 2, 3);
        assertThrows(IllegalStateException.class, () -> lif.forward(1, new float[2], new byte[2], Parallel.serial()));
        assertThrows(IllegalArgumentException.class, () -> lif.forward(0, new float[3], new byte[2], Parallel.serial()));
    }

    /** Antiderivative S of each surrogate, in double, as a function of {@code x = u - theta}. */
    private static double antiderivative(Surrogate s, double x, double theta) {
        if (s instanceof Surrogate.Triangle tri) {
            double z = x / theta;
            double a;
            if (z <= -1) {
                a = 0;
            } else if (z <= 0) {
                a = (z + 1) * (z + 1) / 2;
            } else if (z < 1) {
                a = 1 - (1 - z) * (1 - z) / 2;
            } else {
                a = 1;
            }
            return tri.scale() * theta * a;
        }
        if (s instanceof Surrogate.FastSigmoid fs) {
            return fs.scale() * x / (1 + fs.slope() * Math.abs(x));
        }
        Surrogate.Atan at = (Surrogate.Atan) s;
        return at.scale() / Math.PI * Math.atan(Math.PI / 2 * at.alpha() * x);
    }

    /** The straight-through smooth stand-in described in the class comment. */
    private static double smoothLoss(LifSpec spec, double[] in, int m, int t, byte[] o0, double[] v0, float[] g) {
        double theta = spec.threshold();
        double[] u = new double[m];
        double loss = 0;
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < m; i++) {
                int k = s * m + i;
                double v = spec.leak() * u[i] + in[k];
                double smooth = o0[k] + antiderivative(spec.surrogate(), v - theta, theta)
                        - antiderivative(spec.surrogate(), v0[k] - theta, theta);
                double inReset = spec.detachReset() ? o0[k] : smooth;
                u[i] = spec.reset() == LifSpec.Reset.SUBTRACT ? v - theta * inReset : v * (1 - inReset);
                loss += g[k] * smooth;
            }
        }
        return loss;
    }

    @Test
    void backwardIsTheExactGradientOfTheStraightThroughStandIn() {
        Surrogate[] surrogates = {new Surrogate.Triangle(1f), Surrogate.Triangle.released(),
            new Surrogate.FastSigmoid(0.8f, 3f), new Surrogate.Atan(1f, 2f)};
        Rand rnd = new Rand(81);
        int m = 12;
        int t = 6;
        int checked = 0;
        for (Surrogate sur : surrogates) {
            for (LifSpec.Reset reset : LifSpec.Reset.values()) {
                for (boolean detach : new boolean[] {true, false}) {
                    LifSpec spec = new LifSpec(0.9f, 1f, reset, detach, sur);
                    float[] in = rnd.uniform(m * t, -0.3, 0.9);
                    float[] g = rnd.uniform(m * t);
                    // Forward in double to record o0, v0 (these agree with the kernel's, checked below).
                    byte[] o0 = new byte[m * t];
                    double[] v0 = new double[m * t];
                    double[] u = new double[m];
                    for (int s = 0; s < t; s++) {
                        for (int i = 0; i < m; i++) {
                            int k = s * m + i;
                            double v = spec.leak() * u[i] + in[k];
                            // keep clear of the threshold so float and double agree on every spike
                            assertTrue(Math.abs(v - 1) > 1e-4, "test data too close to threshold; change the seed");
                            v0[k] = v;
                            o0[k] = v > 1 ? (byte) 1 : 0;
                            u[i] = o0[k] == 0 ? v : reset == LifSpec.Reset.SUBTRACT ? v - 1 : 0;
                        }
                    }
                    LifNeurons lif = new LifNeurons(spec, m, t);
                    byte[] spikes = new byte[m];
                    float[] step = new float[m];
                    int fired = 0;
                    for (int s = 0; s < t; s++) {
                        System.arraycopy(in, s * m, step, 0, m);
                        lif.forward(s, step, spikes, Parallel.serial());
                        for (int i = 0; i < m; i++) {
                            assertEquals(o0[s * m + i], spikes[i]);
                            fired += spikes[i];
                        }
                    }
                    assertTrue(fired > 0 && fired < m * t, "want both spikes and silence, got " + fired);
                    float[] analytic = new float[m * t];
                    float[] gs = new float[m];
                    float[] gi = new float[m];
                    for (int s = t - 1; s >= 0; s--) {
                        System.arraycopy(g, s * m, gs, 0, m);
                        java.util.Arrays.fill(gi, 0f);
                        lif.backward(s, gs, gi, Parallel.serial());
                        System.arraycopy(gi, 0, analytic, s * m, m);
                    }
                    double[] x = new double[m * t];
                    for (int k = 0; k < x.length; k++) {
                        x[k] = in[k];
                    }
                    double num = 0;
                    double den = 0;
                    double h = 1e-6;
                    for (int k = 0; k < x.length; k++) {
                        double keep = x[k];
                        x[k] = keep + h;
                        double lp = smoothLoss(spec, x, m, t, o0, v0, g);
                        x[k] = keep - h;
                        double lm = smoothLoss(spec, x, m, t, o0, v0, g);
                        x[k] = keep;
                        double fd = (lp - lm) / (2 * h);
                        num += (fd - analytic[k]) * (fd - analytic[k]);
                        den += fd * fd;
                    }
                    assertTrue(den > 0);
                    double rel = Math.sqrt(num / den);
                    assertTrue(rel < 1e-4, spec + ": relative error " + rel);
                    checked++;
                }
            }
        }
        assertEquals(16, checked);
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Rand rnd = new Rand(82);
        int m = 1001;
        int t = 4;
        float[][] grads = new float[2][m * t];
        byte[][] spikes = new byte[2][m * t];
        float[] in = rnd.uniform(m * t, -0.5, 1.5);
        float[] g = rnd.uniform(m * t);
        try (Parallel two = new Parallel(2)) {
            Parallel[] pars = {Parallel.serial(), two};
            for (int p = 0; p < 2; p++) {
                LifNeurons lif = new LifNeurons(new LifSpec(0.99f, 1f, LifSpec.Reset.ZERO, false,
                        new Surrogate.Atan(1f, 2f)), m, t);
                byte[] o = new byte[m];
                for (int s = 0; s < t; s++) {
                    lif.forward(s, java.util.Arrays.copyOfRange(in, s * m, (s + 1) * m), o, pars[p]);
                    System.arraycopy(o, 0, spikes[p], s * m, m);
                }
                for (int s = t - 1; s >= 0; s--) {
                    float[] gi = new float[m];
                    lif.backward(s, java.util.Arrays.copyOfRange(g, s * m, (s + 1) * m), gi, pars[p]);
                    System.arraycopy(gi, 0, grads[p], s * m, m);
                }
            }
        }
        assertArrayEquals(spikes[0], spikes[1]);
        assertTrue(Rand.sameBits(grads[0], grads[1]));
    }
}
