package org.snnc.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/** The sample encoders, the segmentation readout and the sums over samples. */
class SampleInputReadoutTest {

    @Test
    void poissonSpikesAtTheValueAsRate() {
        float[] x = {0f, 1f, 0.25f};
        EncodedInput in = EncodedInput.of("poisson", 10, x, 7);
        int[] counts = new int[3];
        int steps = 20_000;
        for (int t = 0; t < steps; t++) for (int c : in.at(t)) counts[c - 10]++;
        assertEquals(0, counts[0]);
        assertEquals(steps, counts[1]);
        assertEquals(0.25, counts[2] / (double) steps, 0.01);
        assertEquals(0, in.negativeSpikes(100));
        // Pure in the step: asking again gives the same spikes.
        assertArrayEquals(in.at(5), EncodedInput.of("poisson", 10, x, 7).at(5));
    }

    @Test
    void signedPoissonCentresAndKeepsTheSign() {
        // c = x - 0.5: 0 never fires; 1 and 0 fire at rate 0.5 with signs +1 and -1; 0.3 at 0.2, negative.
        float[] x = {0.5f, 1f, 0f, 0.3f};
        EncodedInput in = EncodedInput.of("signed_poisson", 0, x, 3);
        int[] all = new int[4];
        int[] neg = new int[4];
        int steps = 20_000;
        for (int t = 0; t < steps; t++) {
            int[] at = in.at(t);
            for (int c : at) all[c]++;
            for (int c : in.negativeAt(t)) {
                neg[c]++;
                assertTrue(Arrays.binarySearch(at, c) >= 0, "a -1 spike is also delivered");
            }
        }
        assertEquals(0, all[0]);
        assertEquals(0.5, all[1] / (double) steps, 0.015);
        assertEquals(0, neg[1]);
        assertEquals(0.5, all[2] / (double) steps, 0.015);
        assertEquals(all[2], neg[2]);
        assertEquals(0.2, all[3] / (double) steps, 0.015);
        assertEquals(all[3], neg[3]);
        assertEquals(neg[2] + neg[3], in.negativeSpikes(steps));
    }

    @Test
    void encodingsWithoutSpikesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncodedInput.of("direct", 0, new float[1], 1));
        assertTrue(e.getMessage().contains("direct"), e.getMessage());
    }

    @Test
    void argmaxPerPixelAndNearestUpsample() {
        // [3 classes][1][2]: pixel 0 best class 2, pixel 1 a tie of classes 0 and 1 (goes to 0).
        double[] v = {0.1, 0.5, -1, 0.5, 0.3, 0.2};
        assertArrayEquals(new int[] {2, 0}, Readout.argmax(v, 3, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Readout.argmax(v, 2, 1, 2));
        int[] map = {1, 2, 3, 4};
        assertArrayEquals(new int[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, Readout.upsampleNearest(map, 2, 2, 4, 4));
        assertArrayEquals(map, Readout.upsampleNearest(map, 2, 2, 2, 2));
    }

    @Test
    void bilinearUpsampleWithAndWithoutAlignedCorners() {
        double[] row = {0, 1};
        assertArrayEquals(new double[] {0, 0.5, 1}, Readout.upsampleBilinear(row, 1, 1, 2, 1, 3, true), 1e-12);
        // Half-pixel centres: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last pixel).
        assertArrayEquals(new double[] {0, 0.25, 0.75, 1}, Readout.upsampleBilinear(row, 1, 1, 2, 1, 4, false), 1e-12);
        // Two channels of 2x2 to 3x3 with aligned corners: the centre is the mean of the four.
        double[] v = {0, 2, 4, 6, 1, 1, 1, 1};
        double[] up = Readout.upsampleBilinear(v, 2, 2, 2, 3, 3, true);
        assertEquals(3.0, up[4], 1e-12);
        assertEquals(6.0, up[8], 1e-12);
        assertEquals(1.0, up[9 + 4], 1e-12);
        assertArrayEquals(v, Readout.upsampleBilinear(v, 2, 2, 2, 2, 2, false), 1e-12);
        assertArrayEquals(v, Readout.upsampleBilinear(v, 2, 2, 2, 2, 2, true), 1e-12);
    }

    @Test
    void confusionScores() {
        Readout.Confusion c = new Readout.Confusion(3);
        // labels 0 0 1 1 255 2 ; predictions 0 1 1 1 2 7 (7: outside the data's classes)
        c.add(new int[] {0, 1, 1, 1, 2, 7}, new int[] {0, 0, 1, 1, 255, 2});
        assertEquals(3.0 / 5, c.pixelAccuracy(), 1e-12);
        // IoU 0: 1/(1+0+1) = 0.5; 1: 2/(2+1+0) = 2/3; 2: 0/(0+0+1) = 0.
        assertEquals((0.5 + 2.0 / 3 + 0) / 3, c.meanIou(), 1e-12);
        assertTrue(Double.isNaN(new Readout.Confusion(2).pixelAccuracy()));
        assertThrows(IllegalArgumentException.class, () -> c.add(new int[] {0}, new int[] {3}));
    }

    /** One input channel into an integrator of 2 neurons with weights 3 and -2, voltage scale 2 x 2^1. */
    private static Program integrating() {
        NeuronParams integ = new NeuronParams(0, Overflow.WRAP, 24, Overflow.SATURATE, LeakForm.NONE, 0, 0, 0, 0, 1, 0, 1,
                ResetMode.ZERO, true);
        return Programs.of(new Program.Mesh(1, 1, 1, 1, 1), List.of(new Program.InputGroup("x", "poisson", 0, 1)),
                List.of(new Program.Population(0, "acc", 2, 0, integ, new Program.Quantization(2, 0, 8, 1, 1, 1))),
                new int[][] {{0, 0, 3}, {0, 1, -2}}, new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0, 0},
                List.of());
    }

    @Test
    void readoutMeansUndoTheScaleAndTheSteps() {
        Program p = integrating();
        Program.Population pop = Readout.integrator(p);
        assertEquals("acc", pop.layer());
        // The channel spikes at every step: v = 4 x (3, -2) << 1 = (24, -16); / (2 x 2 x 4) = (1.5, -1).
        SimResult r = new EventEngine(1).run(p, new Costs(1.0, 1, 1, 1, 1, 1, 1, 1, 1, 1), 4,
                EncodedInput.of("poisson", 0, new float[] {1f}, 1), Engine.Options.quiet());
        assertArrayEquals(new double[] {1.5, -1.0}, Readout.means(pop, r.finalV(), 4), 1e-12);
    }

    @Test
    void sumsOfSamplesAddEveryCounter() {
        Program p = Programs.random(new SplittableRandom(5));
        Costs costs = new Costs(1.0, 1, 2, 1, 1, 3, 2, 5, 7, 11);
        SimResult a = new EventEngine(1).run(p, costs, 5, InputSpikes.poisson(p.inputChannels(), 0.5, 1), Engine.Options.quiet());
        SimResult b = new EventEngine(1).run(p, costs, 3, InputSpikes.poisson(p.inputChannels(), 0.3, 2), Engine.Options.quiet());
        SimResult s = SampleTotals.add(a, b);
        assertEquals(8, s.steps());
        assertEquals(a.totalSpikes() + b.totalSpikes(), s.totalSpikes());
        assertEquals(a.totalSynOps() + b.totalSynOps(), s.totalSynOps());
        assertEquals(a.totalInputSpikes() + b.totalInputSpikes(), s.totalInputSpikes());
        assertEquals(a.totalHops() + b.totalHops(), s.totalHops());
        assertEquals(a.totalTicks() + b.totalTicks(), s.totalTicks());
        assertEquals(a.core().busyTicks()[0] + b.core().busyTicks()[0], s.core().busyTicks()[0]);
        assertArrayEquals(b.finalV(), s.finalV());
        assertNull(SampleTotals.add(null, null));
        assertEquals(a, SampleTotals.add(null, a));
    }
}
