package org.snnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The closed-form counts against brute force over every neuron and tap, on random layer shapes. */
class LayerMathTest {

    @Test
    void convSynapsesMatchBruteForce() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 2000; trial++) {
            int in = 1 + r.nextInt(20);
            int k = 1 + r.nextInt(6);
            int s = 1 + r.nextInt(3);
            int d = 1 + r.nextInt(3);
            int p = r.nextInt(d * (k - 1) / 2 + 2);
            long out = LayerMath.convOut(in, k, s, p, d);
            if (out < 1) continue;
            long brute = 0;
            for (int o = 0; o < out; o++) {
                for (int t = 0; t < k; t++) {
                    int i = o * s - p + t * d;
                    if (i >= 0 && i < in) brute++;
                }
            }
            assertEquals(brute, LayerMath.validTaps(in, (int) out, k, s, p, d), "in=" + in + " k=" + k + " s=" + s + " p=" + p + " d=" + d);
        }
    }

    @Test
    void transposedSynapsesMatchBruteForce() {
        SplittableRandom r = new SplittableRandom(2);
        for (int trial = 0; trial < 2000; trial++) {
            int in = 1 + r.nextInt(12);
            int k = 1 + r.nextInt(5);
            int s = 1 + r.nextInt(3);
            int d = 1 + r.nextInt(2);
            int p = r.nextInt(k);
            int op = r.nextInt(Math.max(s, d));
            long out = LayerMath.convTransposeOut(in, k, s, p, op, d);
            if (out < 1) continue;
            long brute = 0;
            for (int i = 0; i < in; i++) {
                for (int t = 0; t < k; t++) {
                    int o = i * s - p + t * d;
                    if (o >= 0 && o < out) brute++;
                }
            }
            assertEquals(brute, LayerMath.validTransposedTaps(in, (int) out, k, s, p, d));
        }
    }

    @Test
    void outputSizesFollowPyTorch() {
        // torch.nn.Conv2d(1, 1, 3, padding=12, dilation=12) on 16x16 keeps 16x16 (Spiking-DeepLab's last layer).
        assertEquals(16, LayerMath.convOut(16, 3, 1, 12, 12));
        // AvgPool2d(3, stride=2, padding=1): 64 -> 32 (the released code's pooling).
        assertEquals(32, LayerMath.poolOut(64, 3, 2, 1));
        // ConvTranspose2d(k=4, s=2, p=1) doubles: 8 -> 16.
        assertEquals(16, LayerMath.convTransposeOut(8, 4, 2, 1, 0, 1));
        assertEquals(4, LayerMath.convOut(8, 3, 2, 1, 1));
    }

    @Test
    void equation9CountsPaddedTapsAsTheyAre() {
        Op.Conv conv = new Op.Conv(64, Pair.of(3), Pair.of(1), Pair.of(1), Pair.of(1), false);
        long[] sm = LayerMath.synapsesAndMacs(conv, new Shape(3, 64, 64), new Shape(64, 64, 64));
        assertEquals(9L * 64 * 64 * 3 * 64, sm[1]);
        // per axis 3*64 - 2 taps fall in the padding; synapses exclude them
        assertEquals((3L * 64 - 2) * (3L * 64 - 2) * 3 * 64, sm[0]);
    }
}
