package org.snnc.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.testing.Rand;

class EventInputTest {

    static final String NET = """
            network E(T: int = 3) {
              timesteps T
              input ev: [2, 4, 4] encode events(polarity: 2, window_ms: 50)
              neuron lif = LIF(leak: 0.99, threshold: 1.0, surrogate: triangle(scale: 0.3))
              output y = ev -> conv(3, kernel: 3) -> bntt -> lif -> conv(2, kernel: 1) -> accumulate
            }
            """;

    private static InputLayer input(String text, int n) {
        org.snnc.compiler.ir.SpikingIr ir = Nets.ir(text);
        InputLayer input = new InputLayer(ir.nodes().get(0));
        input.allocate(n, ir.timesteps());
        return input;
    }

    @Test
    void stepTReadsFrameTAndSpikesWhereEventsFell() {
        InputLayer input = input(NET, 2);
        int n = 2;
        int frame = 2 * 4 * 4;
        Rand r = new Rand(4);
        float[] frames = new float[n * 3 * frame];
        for (int i = 0; i < frames.length; i++) {
            // Mostly empty, some counts above 1: the rule is count > 0, not a probability.
            frames[i] = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
        }
        try (Parallel par = new Parallel(1)) {
            input.set(frames, 99);
            for (int t = 0; t < 3; t++) {
                input.forward(t, false, par);
                byte[] spikes = input.spikes(t);
                for (int s = 0; s < n; s++) {
                    for (int i = 0; i < frame; i++) {
                        assertEquals(frames[(s * 3 + t) * frame + i] > 0 ? 1 : 0, spikes[s * frame + i],
                                "sample " + s + " step " + t + " location " + i);
                    }
                }
            }
            // Nothing random: another key gives the same output.
            Network net = Nets.build(NET, 1);
            float[] out = net.forward(frames, n, 99, false, par).clone();
            assertArrayEquals(out, net.forward(frames, n, 12345, false, par));
        }
    }

    @Test
    void aStaticImageIsStillPoissonSampledEachStep() {
        InputLayer input = input(NET, 2);
        float[] image = new float[2 * 2 * 4 * 4];
        java.util.Arrays.fill(image, 0.5f);
        try (Parallel par = new Parallel(1)) {
            input.set(image, 7);
            input.forward(0, false, par);
            input.forward(1, false, par);
            byte[] a = input.spikes(0);
            byte[] b = input.spikes(1);
            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
            int fired = 0;
            for (byte x : a) fired += x;
            assertTrue(fired > 0 && fired < a.length);
        }
    }

    @Test
    void aBatchOfAnotherLengthIsRefused() {
        Network net = Nets.build(NET, 1);
        try (Parallel par = new Parallel(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(new float[2 * 2 * 32], 1, 7, false, par));
            assertEquals("input batch has 128 values, expected 1 x [2,4,4] or 1 x 3 frames of [2,4,4]", e.getMessage());
        }
    }

    @Test
    void poissonInputsDoNotTakeFrames() {
        Network net = Nets.build(NET.replace("encode events(polarity: 2, window_ms: 50)", "encode poisson"), 1);
        try (Parallel par = new Parallel(1)) {
            assertThrows(IllegalArgumentException.class, () -> net.forward(new float[3 * 32], 1, 7, false, par));
        }
    }
}
