package org.snnc.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.Encoding;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.testing.Rand;

/**
 * The surrogate gradient of a spiking network cannot be checked by finite differences, so the
 * trainer's gradient of {@code conv(3x3) -> LIF -> conv(1x1) -> accumulate} over T = 3 steps is
 * held against an independent reference: the same equations unrolled below in plain double
 * loops (dense convolution, LIF with reset, mean readout, softmax cross-entropy, and BPTT written
 * out by hand), reading only the network's initial weights.
 */
class NetworkBpttReferenceTest {

    static final int N = 2;
    static final int C_IN = 2;
    static final int C_MID = 3;
    static final int C_OUT = 3;
    static final int H = 4;
    static final int W = 4;
    static final int T = 3;

    record Neuron(double leak, double theta, boolean subtract, boolean detach, double scale) {
    }

    static String source(String encoding, String neuron) {
        return """
                network R(T: int = 3) {
                  timesteps T
                  input x: [2, 4, 4] encode %s
                  output y = x -> conv(3, kernel: 3) -> %s -> conv(3, kernel: 1) -> accumulate
                }
                """.formatted(encoding, neuron);
    }

    @Test
    void softResetDetachedOnAnalogInput() {
        check("direct", "LIF(leak: 0.9, threshold: 1.0, reset: subtract, surrogate: triangle(scale: 0.3), detach_reset: true)",
                new Neuron(0.9, 1.0, true, true, 0.3), 11);
    }

    @Test
    void hardResetAttachedOnAnalogInput() {
        check("direct", "LIF(leak: 0.8, threshold: 0.7, reset: zero, surrogate: triangle(scale: 1.0), detach_reset: false)",
                new Neuron(0.8, 0.7, false, false, 1.0), 12);
    }

    @Test
    void softResetOnSignedPoissonInputThroughTheSpikeDrivenConv() {
        check("signed_poisson", "LIF(leak: 0.99, threshold: 0.5, reset: subtract, surrogate: triangle(scale: 0.3))",
                new Neuron(0.99, 0.5, true, true, 0.3), 13);
    }

    private static void check(String encoding, String neuron, Neuron nm, long seed) {
        Network net = Nets.build(source(encoding, neuron), seed);
        Rand r = new Rand(seed);
        float[] x = r.uniform(N * C_IN * H * W, 0, 1);
        int[] labels = new int[N * H * W];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 5 == 0 ? 255 : r.nextInt(C_OUT);
        }
        long key = 99;
        Tensor w1 = net.tensor("conv1.weight");
        Tensor w2 = net.tensor("conv2.weight");
        double[] ref1 = new double[w1.data().length];
        double[] ref2 = new double[w2.data().length];
        double refLoss = reference(encoding, x, labels, key, w1.data(), w2.data(), nm, ref1, ref2);

        Parallel par = new Parallel(2);
        net.zeroGrad();
        net.forward(x, N, key, true, par);
        double loss = net.backward(labels, par);
        par.close();
        assertEquals(refLoss, loss, 1e-5 * Math.abs(refLoss));
        assertClose("conv1.weight", ref1, w1.grad());
        assertClose("conv2.weight", ref2, w2.grad());
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 1e-4, what + ": reference gradient is ~0, the test would prove nothing");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * scale, what + "[" + i + "]");
        }
    }

    /** The reference: returns the loss and fills the two weight gradients. */
    static double reference(String encoding, float[] x, int[] labels, long key, float[] w1, float[] w2, Neuron nm,
                            double[] g1, double[] g2) {
        int plane = H * W;
        double[][] in = new double[T][N * C_IN * plane];
        for (int t = 0; t < T; t++) {
            if (encoding.equals("direct")) {
                for (int i = 0; i < in[t].length; i++) {
                    in[t][i] = x[i];
                }
            } else {
                byte[] b = new byte[C_IN * plane];
                for (int s = 0; s < N; s++) {
                    Encoder.encode(Encoding.Kind.SIGNED_POISSON, x, s * C_IN * plane, C_IN * plane, b, 0, key, s, t);
                    for (int i = 0; i < b.length; i++) {
                        in[t][s * C_IN * plane + i] = b[i];
                    }
                }
            }
        }
        // Forward, keeping v (pre-reset) and o per step.
        double[][] v = new double[T][N * C_MID * plane];
        double[][] o = new double[T][N * C_MID * plane];
        double[] u = new double[N * C_MID * plane];
        double[] logits = new double[N * C_OUT * plane];
        double minGap = Double.MAX_VALUE;
        for (int t = 0; t < T; t++) {
            for (int s = 0; s < N; s++) {
                for (int m = 0; m < C_MID; m++) {
                    for (int py = 0; py < H; py++) {
                        for (int px = 0; px < W; px++) {
                            double a = 0;
                            for (int c = 0; c < C_IN; c++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    for (int kx = 0; kx < 3; kx++) {
                                        int iy = py + ky - 1;
                                        int ix = px + kx - 1;
                                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                        a += w1[((m * C_IN + c) * 3 + ky) * 3 + kx] * in[t][(s * C_IN + c) * plane + iy * W + ix];
                                    }
                                }
                            }
                            int i = (s * C_MID + m) * plane + py * W + px;
                            double vi = nm.leak() * u[i] + a;
                            v[t][i] = vi;
                            minGap = Math.min(minGap, Math.abs(vi - nm.theta()));
                            o[t][i] = vi > nm.theta() ? 1 : 0;
                            u[i] = o[t][i] == 0 ? vi : nm.subtract() ? vi - nm.theta() : 0;
                        }
                    }
                }
            }
            for (int s = 0; s < N; s++) {
                for (int k = 0; k < C_OUT; k++) {
                    for (int q = 0; q < plane; q++) {
                        double z = 0;
                        for (int m = 0; m < C_MID; m++) {
                            z += w2[k * C_MID + m] * o[t][(s * C_MID + m) * plane + q];
                        }
                        logits[(s * C_OUT + k) * plane + q] += z / T;
                    }
                }
            }
        }
        // Float and double must agree on every spike for the comparison to be meaningful.
        assertTrue(minGap > 1e-4, "a membrane is within " + minGap + " of threshold; pick another seed");
        int count = 0;
        for (int l : labels) {
            if (l != 255) count++;
        }
        double loss = 0;
        double[] dLogits = new double[logits.length];
        for (int s = 0; s < N; s++) {
            for (int q = 0; q < plane; q++) {
                int l = labels[s * plane + q];
                if (l == 255) continue;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < C_OUT; k++) max = Math.max(max, logits[(s * C_OUT + k) * plane + q]);
                double sum = 0;
                for (int k = 0; k < C_OUT; k++) sum += Math.exp(logits[(s * C_OUT + k) * plane + q] - max);
                loss += Math.log(sum) + max - logits[(s * C_OUT + l) * plane + q];
                for (int k = 0; k < C_OUT; k++) {
                    double p = Math.exp(logits[(s * C_OUT + k) * plane + q] - max) / sum;
                    dLogits[(s * C_OUT + k) * plane + q] = ((k == l) ? p - 1 : p) / count;
                }
            }
        }
        // Backward: every step's conv2 output gets dLogits / T.
        double[] carry = new double[u.length];
        for (int t = T - 1; t >= 0; t--) {
            double[] dO = new double[u.length];
            for (int s = 0; s < N; s++) {
                for (int k = 0; k < C_OUT; k++) {
                    for (int q = 0; q < plane; q++) {
                        double dz = dLogits[(s * C_OUT + k) * plane + q] / T;
                        for (int m = 0; m < C_MID; m++) {
                            int i = (s * C_MID + m) * plane + q;
                            g2[k * C_MID + m] += dz * o[t][i];
                            dO[i] += dz * w2[k * C_MID + m];
                        }
                    }
                }
            }
            double[] dA = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                double sg = nm.scale() * Math.max(0, 1 - Math.abs((v[t][i] - nm.theta()) / nm.theta()));
                double d = carry[i];
                double dv;
                if (nm.subtract()) {
                    // u = v - theta o:  du/dv = 1 - theta do/dv (reset term dropped when detached)
                    dv = d + (dO[i] - (nm.detach() ? 0 : nm.theta()) * d) * sg;
                } else {
                    // u = v (1 - o):  du/dv = (1 - o) - v do/dv
                    dv = d * (1 - o[t][i]) + (dO[i] - (nm.detach() ? 0 : v[t][i]) * d) * sg;
                }
                dA[i] = dv;
                carry[i] = nm.leak() * dv;
            }
            for (int s = 0; s < N; s++) {
                for (int m = 0; m < C_MID; m++) {
                    for (int py = 0; py < H; py++) {
                        for (int px = 0; px < W; px++) {
                            double da = dA[(s * C_MID + m) * plane + py * W + px];
                            for (int c = 0; c < C_IN; c++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    for (int kx = 0; kx < 3; kx++) {
                                        int iy = py + ky - 1;
                                        int ix = px + kx - 1;
                                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                        g1[((m * C_IN + c) * 3 + ky) * 3 + kx] += da * in[t][(s * C_IN + c) * plane + iy * W + ix];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return loss / count;
    }
}
