package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fold pass with hand-made statistics. eps = 0.01 and var = 3.99 or 0.99, so that
 * sqrt(var + eps) is exactly 2 or 1 and every number below can be checked by hand.
 */
class FoldNormTest {

    private static final double EPS = 0.01;

    /**
     * Two steps, two channels. Channel 0: γ 2 then 3 over σ 2 -> s = 1, 1.5; β 0.5, mean 0.2 then
     * 0.4 -> b = 0.5 - 0.2 = 0.3, 0.5 - 0.6 = -0.1. Channel 1: γ 1, σ 1, β 0, mean 1 -> s 1, b -1.
     */
    private static FoldNorm.Stats stats() {
        return new FoldNorm.Stats(
                new double[][] {{2, 1}, {3, 1}},
                new double[][] {{0.5, 0}, {0.5, 0}},
                new double[][] {{0.2, 1}, {0.4, 1}},
                new double[][] {{3.99, 0.99}, {3.99, 0.99}},
                EPS);
    }

    @Test
    void averageFoldTakesTheMeanScaleAndReportsTheStepDeviation() {
        FoldNorm.LayerReport f = FoldNorm.fold("bntt1", "bntt", 2, Optional.of(stats()), FoldNorm.Mode.AVERAGE);
        assertArrayEquals(new double[] {1.25, 1.0}, f.scale(), 1e-12);
        assertArrayEquals(new double[] {0.1, -1.0}, f.shift(), 1e-12);
        // |1 - 1.25| / 1.25 = |1.5 - 1.25| / 1.25 = 0.2; channel 1 does not vary.
        assertEquals(0.2, f.maxDeviation(), 1e-12);
        assertEquals(2, f.steps());
        assertFalse(f.identity());
        assertEquals("bntt1: bntt folded (average over 2 step(s)): scale 1.000..1.250, |shift| <= 1.000, max step deviation 20.00%",
                f.summary());
    }

    @Test
    void lastStepFoldMeasuresDeviationFromTheLastStep() {
        FoldNorm.LayerReport f = FoldNorm.fold("bntt1", "bntt", 2, Optional.of(stats()), FoldNorm.Mode.LAST);
        assertArrayEquals(new double[] {1.5, 1.0}, f.scale(), 1e-12);
        assertArrayEquals(new double[] {-0.1, -1.0}, f.shift(), 1e-12);
        assertEquals((1.5 - 1.0) / 1.5, f.maxDeviation(), 1e-12);
    }

    @Test
    void foldedWeightsAreScaledPerOutputChannel() {
        FoldNorm.LayerReport f = FoldNorm.fold("bn", "batchnorm", 2, Optional.of(stats()), FoldNorm.Mode.AVERAGE);
        // Layout [C_out][rest]: two weights per output channel.
        assertArrayEquals(new float[] {1.25f, 2.5f, 3f, 4f}, FoldNorm.foldWeights(new float[] {1, 2, 3, 4}, f), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> FoldNorm.foldWeights(new float[3], f));
    }

    @Test
    void batchnormIsOneStepWithoutDeviation() {
        FoldNorm.Stats one = new FoldNorm.Stats(new double[][] {{4}}, new double[][] {{1}}, new double[][] {{0.5}},
                new double[][] {{3.99}}, EPS);
        FoldNorm.LayerReport f = FoldNorm.fold("bn", "batchnorm", 1, Optional.of(one), FoldNorm.Mode.AVERAGE);
        // s = 4 / 2 = 2, b = 1 - 2 * 0.5 = 0.
        assertArrayEquals(new double[] {2.0}, f.scale(), 1e-12);
        assertArrayEquals(new double[] {0.0}, f.shift(), 1e-12);
        assertEquals(0.0, f.maxDeviation());
    }

    @Test
    void withoutStatisticsTheFoldIsTheIdentity() {
        FoldNorm.LayerReport f = FoldNorm.fold("bntt1", "bntt", 3, Optional.empty(), FoldNorm.Mode.AVERAGE);
        assertTrue(f.identity());
        assertFalse(f.trained());
        assertEquals(0.0, f.maxDeviation());
        assertArrayEquals(new float[] {0.5f, -1f, 2f}, FoldNorm.foldWeights(new float[] {0.5f, -1f, 2f}, f));
        assertEquals("bntt1: bntt runs as the identity (no trained statistics or scales)", f.summary());
    }

    @Test
    void inconsistentStatisticsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FoldNorm.fold("bn", "batchnorm", 3, Optional.of(stats()),
                FoldNorm.Mode.AVERAGE));
        assertThrows(IllegalArgumentException.class, () -> new FoldNorm.Stats(new double[][] {{1}}, new double[][] {{0}},
                new double[][] {{0}}, new double[][] {{-1}}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new FoldNorm.Stats(new double[][] {{1}, {1}}, new double[][] {{0}},
                new double[][] {{0}}, new double[][] {{1}}, 0.5));
    }
}
