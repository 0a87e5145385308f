package org.snnc.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.Encoding;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.optim.Adam;
import org.snnc.runtime.testing.Rand;

class EncoderAndDeterminismTest {

    @Test
    void poissonRatesFollowThePixelAndSignedPoissonFollowsTheCentredPixel() {
        int len = 20000;
        float[] x = new float[len];
        java.util.Arrays.fill(x, 0.3f);
        byte[] out = new byte[len];
        Encoder.encode(Encoding.Kind.POISSON, x, 0, len, out, 0, 7, 0, 0);
        double rate = 0;
        for (byte b : out) rate += b;
        assertEquals(0.3, rate / len, 0.015);
        // 0.3 - 0.5 = -0.2: a spike of -1 with probability 0.2, never +1.
        Encoder.encode(Encoding.Kind.SIGNED_POISSON, x, 0, len, out, 0, 7, 0, 0);
        int neg = 0;
        for (byte b : out) {
            assertTrue(b == 0 || b == -1);
            neg -= b;
        }
        assertEquals(0.2, (double) neg / len, 0.015);
        java.util.Arrays.fill(x, 0.5f);
        Encoder.encode(Encoding.Kind.SIGNED_POISSON, x, 0, len, out, 0, 7, 0, 0);
        for (byte b : out) assertEquals(0, b);
    }

    @Test
    void encodingDependsOnKeySampleAndStepOnly() {
        float[] x = new Rand(1).uniform(64, 0, 1);
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        Encoder.encode(Encoding.Kind.POISSON, x, 0, 64, a, 0, 5, 1, 2);
        Encoder.encode(Encoding.Kind.POISSON, x, 0, 64, b, 0, 5, 1, 2);
        assertArrayEquals(a, b);
        Encoder.encode(Encoding.Kind.POISSON, x, 0, 64, b, 0, 5, 1, 3);
        assertFalse(java.util.Arrays.equals(a, b));
    }

    static final String NET = """
            network D(T: int = 3) {
              timesteps T
              input x: [3, 8, 8] encode signed_poisson
              neuron lif = LIF(leak: 0.99, threshold: 1.0, surrogate: triangle(scale: 0.3))
              output y = x -> conv(4, kernel: 3) -> bntt -> lif -> avgpool(2) -> conv(4, kernel: 3) -> bntt -> lif
                -> conv(3, kernel: 1) -> accumulate -> upsample(8, mode: bilinear, align_corners: true)
            }
            """;

    /** Trains a few Adam steps and returns every tensor's values. */
    static List<float[]> train(long seed, int threads) {
        Network net = Nets.build(NET, seed);
        Adam adam = new Adam(net.parameters(), Adam.Config.released());
        Rand r = new Rand(3);
        int n = 2;
        try (Parallel par = new Parallel(threads)) {
            for (int step = 0; step < 3; step++) {
                float[] x = r.uniform(n * 3 * 64, 0, 1);
                int[] labels = new int[n * 64];
                for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(3);
                net.zeroGrad();
                net.forward(x, n, Seeds.mix(seed, step), true, par);
                net.backward(labels, par);
                adam.step(1e-2);
            }
        }
        List<float[]> values = new ArrayList<>();
        for (Tensor t : net.tensors()) values.add(t.data().clone());
        return values;
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsForAnyThreadCount() {
        List<float[]> a = train(42, 1);
        List<float[]> b = train(42, 1);
        List<float[]> c = train(42, 2);
        List<float[]> other = train(43, 1);
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertTrue(Rand.sameBits(a.get(i), b.get(i)), "tensor " + i + " differs between identical runs");
            assertTrue(Rand.sameBits(a.get(i), c.get(i)), "tensor " + i + " differs between 1 and 2 threads");
            differs |= !Rand.sameBits(a.get(i), other.get(i));
        }
        assertTrue(differs, "another seed should give other weights");
    }
}
