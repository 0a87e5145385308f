package org.snnc.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.optim.Adam;
import org.snnc.runtime.testing.Rand;

/**
 * Convolutions that recompute their outputs in backward (above a size threshold) instead of
 * keeping every step's must train to exactly the same weights as ones that keep them, on both
 * the dense and the event-driven forward (64 or more outputs) and for any thread count.
 */
class ConvRecomputeTest {

    static final String NET = """
            network R(T: int = 4) {
              timesteps T
              input x: [3, 8, 8] encode signed_poisson
              neuron lif = LIF(leak: 0.99, threshold: 1.0, surrogate: triangle(scale: 0.3))
              output y = x -> conv(8, kernel: 3) -> bntt -> lif
                -> conv(64, kernel: 3, dilation: 2) -> bntt -> lif -> avgpool(2)
                -> conv(64, kernel: 3) -> bntt -> lif -> conv(3, kernel: 1) -> accumulate
                -> upsample(8, mode: bilinear, align_corners: true)
            }
            """;

    private static List<float[]> train(long recomputeAbove, int threads) {
        long saved = ConvLayer.recomputeAboveBytes;
        ConvLayer.recomputeAboveBytes = recomputeAbove;
        try {
            Network net = Nets.build(NET, 5);
            Adam adam = new Adam(net.parameters(), Adam.Config.released());
            Rand r = new Rand(9);
            int n = 3;
            try (Parallel par = new Parallel(threads)) {
                for (int step = 0; step < 3; step++) {
                    float[] x = r.uniform(n * 3 * 64, 0, 1);
                    int[] labels = new int[n * 64];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = r.nextInt(3);
                    }
                    net.zeroGrad();
                    net.forward(x, n, Seeds.mix(5, step), true, par);
                    net.backward(labels, par);
                    adam.step(1e-2);
                }
            }
            List<float[]> values = new ArrayList<>();
            for (Tensor t : net.tensors()) {
                values.add(t.data().clone());
            }
            return values;
        } finally {
            ConvLayer.recomputeAboveBytes = saved;
        }
    }

    @Test
    void recomputedOutputsTrainToTheSameBitsAsStoredOnes() {
        List<float[]> stored = train(Long.MAX_VALUE, 1);
        List<float[]> recomputed = train(0, 1);
        List<float[]> recomputedTwoThreads = train(0, 2);
        assertEquals(stored.size(), recomputed.size());
        for (int i = 0; i < stored.size(); i++) {
            assertTrue(Rand.sameBits(stored.get(i), recomputed.get(i)), "tensor " + i);
            assertTrue(Rand.sameBits(stored.get(i), recomputedTwoThreads.get(i)), "tensor " + i + ", 2 threads");
        }
    }

    @Test
    void onlyLayersAboveTheThresholdStopKeepingEveryStep() {
        long saved = ConvLayer.recomputeAboveBytes;
        try {
            // Outputs of all steps, 2 samples, 4 bytes: conv1 8 x 8 x 8 -> 16 KiB, conv2 64 x 8 x 8 ->
            // 128 KiB, conv3 64 x 4 x 4 -> 32 KiB; the classifier's feed an accumulate, never kept.
            ConvLayer.recomputeAboveBytes = 64 * 1024;
            Network net = Nets.build(NET, 5);
            net.forward(new Rand(1).uniform(2 * 3 * 64, 0, 1), 2, 1, true, Parallel.serial());
            List<Boolean> keeps = new ArrayList<>();
            for (Layer l : net.layers()) {
                if (l instanceof ConvLayer && !l.readout) {
                    keeps.add(l.keepsEveryStep());
                }
            }
            assertEquals(List.of(true, false, true, false), keeps);
        } finally {
            ConvLayer.recomputeAboveBytes = saved;
        }
    }
}
