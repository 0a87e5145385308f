package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.program.ProgramBuildException;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/** The quantize pass on the Loihi and TrueNorth presets, every expected number worked out by hand. */
class QuantizeTest {

    private static final Target LOIHI = TargetLoader.resolve("loihi");
    private static final Target TRUENORTH = TargetLoader.resolve("truenorth");

    /** The LIF node of {@code input [4] -> dense(2) -> LIF(leak, threshold 1, reset zero)}. */
    private static Node lif(double leak) {
        return node("lif", leak, Op.Spiking.class);
    }

    private static Node node(String layer, double leak, Class<? extends Op> op) {
        String text = "network N {\n  timesteps 2\n  neuron lif = LIF(leak: " + leak + ", threshold: 1.0, reset: zero)\n"
                + "  input x: [4] encode poisson\n  output y = x -> dense(2) -> " + layer + "\n}\n";
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("q.snn", text, Map.of(), d).orElseThrow(() -> new AssertionError(d.sorted()));
        return ir.nodes().stream().filter(n -> op.isInstance(n.op())).findFirst().orElseThrow();
    }

    private static Quantize.LayerReport tally(Quantize.Plan plan, double[]... neurons) {
        Quantize.Tally t = new Quantize.Tally("lif1", plan);
        for (double[] ws : neurons) {
            for (double w : ws) t.mantissa(w);
            t.endNeuron();
        }
        return t.report();
    }

    @Test
    void loihiScaleThresholdAndTwelveBitDecay() {
        // max |w| 0.5 takes the 8-bit mantissa's 127: scale 254; θ = 1 * 254 * 2^(0 + 6 - 6) = 254 units.
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.99), false, 0.5);
        assertEquals(254.0, p.quant().weightScale(), 1e-12);
        assertEquals(0, p.quant().weightExponent());
        assertEquals(254, p.params().threshold());
        assertEquals(254L << 6, p.params().firingLevel());
        // λ 0.99 -> dv = round(4096 * 0.01) = round(40.96) = 41; effective 1 - 41/4096 = 4055/4096.
        assertEquals(41, p.params().decayV());
        assertEquals(4096, p.params().decayU());
        assertEquals(4055.0 / 4096, p.quant().effectiveLeak(), 1e-15);
        assertEquals(List.of(), p.notes());
    }

    @Test
    void smallThresholdsRaiseTheExponent() {
        // max |w| 4: scale 127/4 = 31.75 units per 1.0; θ = 31.75 < 64 -> exp 1 (63.5) -> exp 2 (127).
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.99), false, 4.0);
        assertEquals(31.75, p.quant().weightScale(), 1e-12);
        assertEquals(2, p.quant().weightExponent());
        assertEquals(127, p.params().threshold());
    }

    @Test
    void thresholdsTooLargeForTheirBitsLowerTheScale() {
        // max |w| 1e-4: scale 1.27e6 would make θ 1.27e6 units > 2^17 - 1; the scale drops to 131071.
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.99), false, 1e-4);
        assertEquals(131071.0, p.quant().weightScale(), 1e-6);
        assertEquals(131071, p.params().threshold());
        assertEquals(List.of("lif1: weight scale lowered to 1.311e+05 so the threshold fits 17 bits"), p.notes());
    }

    @Test
    void tallyRoundsClipsAndCountsAndWarnsWhenOneStepCannotFire() {
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.99), false, 0.5);
        // 0.5 -> 127, -0.5 -> -127, 0.25 -> round(63.5) = 64, 0.001 -> round(0.254) = 0, 1.0 -> 254 clipped to 127.
        Quantize.LayerReport r = tally(p, new double[] {0.5, -0.5, 0.25, 0.001});
        assertEquals(4, r.weights());
        assertEquals(1, r.zeros());
        assertEquals(0, r.clipped());
        // Positive mantissas 127 + 64 = 191, << 6 = 12224, not above the firing level 254 << 6 = 16256.
        assertEquals(12224, r.maxStepInput());
        assertEquals(List.of("lif1 cannot fire in one step: the most one step can bring a neuron (12224) is not above its"
                + " firing level (16256); it fires only by integrating over steps"), r.warnings());

        Quantize.Tally t = new Quantize.Tally("lif1", p);
        assertEquals(127, t.mantissa(1.0));
        assertEquals(-127, t.mantissa(-3.0));
        assertEquals(64, t.mantissa(0.25));
        t.endNeuron();
        Quantize.LayerReport c = t.report();
        assertEquals(2, c.clipped());
        assertEquals(2.0 / 3, c.clippedFraction(), 1e-12);
        // 127 + 64 = 191 again: the clipped negative weight adds nothing.
        assertEquals(12224, c.maxStepInput());
    }

    @Test
    void aNeuronThatCanFireInOneStepSilencesTheWarning() {
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.99), false, 0.5);
        // Second neuron: 3 x 127 = 381, << 6 = 24384 > 16256.
        Quantize.LayerReport r = tally(p, new double[] {0.5, -0.5, 0.25, 0.001}, new double[] {0.5, 0.5, 0.5});
        assertEquals(24384, r.maxStepInput());
        assertEquals(List.of(), r.warnings());
        assertEquals("lif1: scale 254.0, exp 0, 8-bit weights, threshold 254, clipped 0.00%, zero 14.29%, "
                + "λ 0.9900 -> decay 41/4096, effective 0.989990", r.summary());
    }

    @Test
    void perChannelScalesGiveEachChannelItsFullMantissaAndItsOwnThreshold() {
        // Loihi: 8-bit mantissas (127), threshold 1.0. The layer's largest weight 0.5 sets scale 254
        // and exponent 0 (threshold 254 units is above 64); channel 1's largest weight 0.25 takes the
        // full mantissa at scale 508, threshold 508; channel 2 has no weights and keeps the layer's.
        Quantize.Plan p = Quantize.planChannels(LOIHI, lif(0.99), false, new double[] {0.5, 0.25, 0});
        assertEquals(254.0, p.quant().weightScale(), 1e-9);
        assertEquals(0, p.quant().weightExponent());
        assertArrayEquals(new double[] {254, 508, 254}, p.channels().scale(), 1e-9);
        assertArrayEquals(new int[] {254, 508, 254}, p.channels().threshold());
        assertArrayEquals(new int[] {0, 0, 0}, p.channels().linearLeak());
        assertEquals(508L << 6, p.firingLevel(1));
        Quantize.Tally t = new Quantize.Tally("lif1", p);
        t.channel(1);
        assertEquals(127, t.mantissa(0.25));
        assertEquals(-64, t.mantissa(-0.126));
        t.endNeuron();
        t.channel(0);
        assertEquals(64, t.mantissa(0.25));
        t.endNeuron();
        Quantize.LayerReport r = t.report();
        assertArrayEquals(new double[] {254, 508, 254}, r.channelScale(), 1e-9);
        assertTrue(r.summary().contains("scale 254.0..508.0 over 3 channels"), r.summary());
        // One step brings channel 1's neuron 127 << 6, not above its level 508 << 6: a warning.
        assertEquals(1, r.warnings().size(), r.warnings().toString());
    }

    @Test
    void aNeuronsCountsCanBeCountedAgain() {
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.99), false, 0.5);
        Quantize.Tally t = new Quantize.Tally("lif1", p);
        for (double w : new double[] {0.5, 0.001, 1.0}) t.mantissa(w);
        Quantize.Counts c = t.endNeuron();
        // 127, 0, 254 clipped to 127: 3 weights, 1 clipped, 1 zero, (127 + 127) << 6 = 16256.
        assertEquals(new Quantize.Counts(3, 1, 1, 16256, 1.0), c);
        t.add(c);
        Quantize.LayerReport r = t.report();
        assertEquals(6, r.weights());
        assertEquals(2, r.clipped());
        assertEquals(2, r.zeros());
        // 16256 is not above the firing level 254 << 6 = 16256: v must exceed it.
        assertEquals(1, r.warnings().size());
        t.mantissa(0.5);
        assertThrows(IllegalStateException.class, () -> t.add(c));
    }

    @Test
    void allWeightsRoundingToZeroIsASilentLayer() {
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.99), false, 0.5);
        Quantize.LayerReport r = tally(p, new double[] {0.001, -0.001});
        assertEquals(List.of("lif1 cannot fire: all 2 weights round to a mantissa of 0"), r.warnings());
    }

    @Test
    void aStrongLeakCanMakeALayerSilentForever() {
        // λ 0.5 -> dv 2048, effective 0.5; 0.05 * 254 = 12.7 -> 13, << 6 = 832; 832 / (1 - 0.5) = 1664 <= 16256.
        Quantize.Plan p = Quantize.plan(LOIHI, lif(0.5), false, 0.5);
        assertEquals(2048, p.params().decayV());
        Quantize.LayerReport r = tally(p, new double[] {0.05});
        assertEquals(832, r.maxStepInput());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("lif1 cannot fire: the most one step can bring a neuron (832)"), r.warnings().toString());
        assertTrue(r.warnings().get(0).endsWith("with λ = 0.500000 integration reaches at most 1664"), r.warnings().toString());
    }

    @Test
    void trueNorthLinearLeakApproximatesLambda() {
        // 9-bit mantissa: 255 at max |w| 1; no exponent, no shifts: threshold 255.
        Quantize.Plan p = Quantize.plan(TRUENORTH, lif(0.99), false, 1.0);
        assertEquals(255, p.params().threshold());
        assertEquals(LeakForm.LINEAR, p.params().leak());
        // Linear leak = round(0.01 * 255) = round(2.55) = 3; effective 1 - 3/255.
        assertEquals(3, p.params().linearLeak());
        assertEquals(1 - 3.0 / 255, p.quant().effectiveLeak(), 1e-12);
        assertTrue(p.notes().get(0).startsWith("lif1: leak 0.9900 approximated by a linear leak of 3 per step"), p.notes().toString());
        // 0.01 * 255 = 2.55 -> 3: the leak takes all of it every step.
        Quantize.LayerReport r = tally(p, new double[] {0.01});
        assertEquals(List.of("lif1 cannot fire: the most one step can bring a neuron (3) is not above its firing level (255),"
                + " and the linear leak of 3 per step takes it all"), r.warnings());
    }

    @Test
    void readoutsHaveNoThresholdAndNoWarning() {
        // An accumulate readout integrates without leak (DESIGN.md §6) and never fires.
        Quantize.Plan p = Quantize.plan(LOIHI, node("accumulate", 0.99, Op.Accumulate.class), true, 0.5);
        assertEquals(0, p.params().threshold());
        assertEquals(1.0, p.quant().leak());
        assertEquals(0, p.params().decayV());
        assertEquals(List.of(), tally(p, new double[] {0.001}).warnings());
    }

    @Test
    void targetsWithOnlyNegativeExponentsAreRefused() {
        // A target whose exponents are all negative cannot keep integer weights whole.
        Target t = TargetLoader.resolve("loihi");
        Target neg = new Target(t.name(), t.description(), t.chip(), t.board(), t.core(),
                new org.snnc.compiler.target.NumberFormat(t.numbers().weightBits(), t.numbers().weightExponentMin(),
                        new org.snnc.compiler.target.Sourced<>(-1, "test"), t.numbers().weightExponentShared(),
                        t.numbers().synapticInputShift(), t.numbers().currentBits(), t.numbers().currentOverflow(),
                        t.numbers().voltageBits(), t.numbers().voltageOverflow(), t.numbers().decayBits(),
                        t.numbers().thresholdBits(), t.numbers().thresholdShift()),
                t.neuron(), t.timing(), t.energy());
        ProgramBuildException e = assertThrows(ProgramBuildException.class, () -> Quantize.plan(neg, lif(0.99), false, 0.5));
        assertTrue(e.getMessage().contains("offers only negative weight exponents (-7..-1)"), e.getMessage());
    }
}
