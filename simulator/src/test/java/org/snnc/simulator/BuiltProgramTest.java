package org.snnc.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.SeededWeights;
import org.snnc.compiler.program.SequentialPlacement;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/** Programs built from networks for each preset: both engines agree, and the numbers are sane. */
class BuiltProgramTest {

    static final String NET = """
            network Small(T: int = 12) {
              timesteps T
              neuron lif = LIF(leak: 0.95, threshold: 1.0, reset: subtract)
              neuron ifn = IF(threshold: 1.0, reset: zero)
              input x: [2, 8, 8] encode poisson
              output y = x -> conv(4, kernel: 3) -> bntt -> lif -> avgpool(2) -> conv(6, kernel: 3) -> ifn
                           -> flatten -> sparse(40, fan_in: 30, seed: 3) -> lif -> dense(5) -> accumulate
            }
            """;

    static Program build(String target) {
        return build(NET, target, ProgramBuilder.SynapseForm.KERNELS);
    }

    static Program build(String source, String target, ProgramBuilder.SynapseForm form) {
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("small.snn", source, Map.of(), d).orElseThrow(() -> new AssertionError(d.sorted()));
        Target t = TargetLoader.preset(target);
        return ProgramBuilder.build(ir, t, new SeededWeights(11, 3.0, 0.2), new SequentialPlacement(), form).program();
    }

    /** Paddings, strides, dilations, pools with and without padding, a sum of two convs of one source. */
    static final String CONVS = """
            network Convs(T: int = 10) {
              timesteps T
              neuron lif = LIF(leak: 0.95, threshold: 1.0, reset: subtract)
              input x: [2, 9, 9] encode signed_poisson
              a = x -> conv(3, kernel: 3, padding: 1) -> lif
              b = a -> avgpool(3, stride: 2, padding: 1) -> conv(4, kernel: 3, padding: 1) -> lif
              c = add(b -> conv(3, kernel: 3, padding: 2, dilation: 2), b -> conv(3, kernel: 1)) -> lif
              d = c -> avgpool(2) -> conv(2, kernel: 2, stride: 1, padding: 1) -> lif
              output y = d -> flatten -> dense(3) -> accumulate
            }
            """;

    @Test
    void kernelsGiveExactlyTheSynapsesAndSpikesOfTheExplicitForm() {
        for (String source : new String[] {NET, CONVS}) {
            for (String name : TargetLoader.PRESETS) {
                Program kernels = build(source, name, ProgramBuilder.SynapseForm.KERNELS);
                Program explicit = build(source, name, ProgramBuilder.SynapseForm.EXPLICIT);
                assertTrue(kernels.synapses().kernels().size() >= 2, name);
                assertEquals(0, explicit.synapses().kernels().size(), name);
                assertEquals(explicit.synapses().count(), kernels.synapses().count(), name);
                assertTrue(kernels.synapses().explicit() < explicit.synapses().explicit(), name);
                // Same synapses, source by source: the same (target, mantissa) pairs.
                for (int src = 0; src < explicit.synapses().sources(); src++) {
                    assertEquals(synapsesOf(explicit, src), synapsesOf(kernels, src), name + " source " + src);
                }
                assertArrayEquals(explicit.cores().coreOfNeuron(), kernels.cores().coreOfNeuron(), name);
                assertArrayEquals(explicit.routes().dest(), kernels.routes().dest(), name);
                Costs costs = Costs.of(TargetLoader.preset(name));
                InputSpikes in = InputSpikes.poisson(kernels.inputChannels(), 0.3, 4);
                SimResult a = new EventEngine(2).run(kernels, costs, 10, in, Engine.Options.recording());
                SimResult b = new EventEngine(1).run(explicit, costs, 10, in, Engine.Options.recording());
                SimResult c = new DenseEngine().run(kernels, costs, 10, in, Engine.Options.recording());
                assertNull(a.differenceFrom(b), name);
                assertNull(a.differenceFrom(c), name);
                assertTrue(a.totalSpikes() > 50, name + ": only " + a.totalSpikes() + " spikes");
            }
        }
    }

    private static List<String> synapsesOf(Program p, int src) {
        List<String> out = new ArrayList<>();
        p.forEachSynapse(src, (t, m) -> out.add(t + ":" + m));
        Collections.sort(out);
        return out;
    }

    @Test
    void signedSpikesSubtractInBothEngines() {
        Program p = build(CONVS, "loihi", ProgramBuilder.SynapseForm.KERNELS);
        float[] pixels = new float[p.inputChannels()];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 37 % 101) / 100f;
        EncodedInput signed = EncodedInput.of("signed_poisson", 0, pixels, 5);
        assertTrue(signed.negativeSpikes(10) > 50);
        Costs costs = Costs.of(TargetLoader.preset("loihi"));
        SimResult event = new EventEngine(2).run(p, costs, 10, signed, Engine.Options.recording());
        SimResult dense = new DenseEngine().run(p, costs, 10, signed, Engine.Options.recording());
        assertNull(event.differenceFrom(dense));
        // The same spikes taken as all positive give other membranes: the sign is carried.
        InputSpikes unsigned = signed::at;
        SimResult plus = new EventEngine(1).run(p, costs, 10, unsigned, Engine.Options.recording());
        assertEquals(event.totalInputSpikes(), plus.totalInputSpikes());
        assertEquals(event.popSynOps()[0], plus.popSynOps()[0]);
        assertTrue(!Arrays.equals(event.finalV(), plus.finalV()) || event.totalSpikes() != plus.totalSpikes());
    }

    @Test
    void enginesAgreeOnEveryPreset() {
        for (String name : TargetLoader.PRESETS) {
            Program p = build(name);
            Costs costs = Costs.of(TargetLoader.preset(name));
            InputSpikes in = InputSpikes.poisson(p.inputChannels(), 0.3, 4);
            SimResult event = new EventEngine(2).run(p, costs, 12, in, Engine.Options.recording());
            SimResult dense = new DenseEngine().run(p, costs, 12, in, Engine.Options.recording());
            assertNull(event.differenceFrom(dense), name);
            assertTrue(event.totalSpikes() > 100, name + ": only " + event.totalSpikes() + " spikes");
            // Every neuron is updated every step; the readout never fires.
            assertEquals(12L * p.neurons(), event.totalUpdates(), name);
            assertEquals(0, event.popSpikes()[p.populations().size() - 1], name);
        }
    }

    @Test
    void aTrueNorthStepIsItsOneMillisecondTick() {
        Program p = build("truenorth");
        Costs costs = Costs.of(TargetLoader.preset("truenorth"));
        SimResult r = new EventEngine(1).run(p, costs, 12, InputSpikes.poisson(p.inputChannels(), 0.3, 4), Engine.Options.quiet());
        for (long t : r.stepTicks()) assertEquals(1_000_000_000L, t);
        assertEquals(12.0 * 1e6, r.totalTicks() * costs.tickNs(), 1e-6);
    }

    @Test
    void aLoihiStepLastsItsSlowestCoreItsNetworkAndTheBarrier() {
        Program p = build("loihi");
        Costs costs = Costs.of(TargetLoader.preset("loihi"));
        // Loihi has no clock: ticks are picoseconds; 4.0 ns per synaptic op, 1.8 us barrier.
        assertEquals(4000, costs.synapticOp());
        assertEquals(1_800_000, costs.barrier());
        SimResult r = new EventEngine(1).run(p, costs, 12, InputSpikes.poisson(p.inputChannels(), 0.3, 4), Engine.Options.quiet());
        long maxBusy = 0;
        for (long b : r.core().busyTicks()) maxBusy = Math.max(maxBusy, b);
        for (long t : r.stepTicks()) assertTrue(t >= costs.barrier());
        // Σ_t max_k busy_k(t) >= max_k Σ_t busy_k(t): the run is at least its busiest core plus the barriers.
        assertTrue(r.totalTicks() >= 12 * costs.barrier() + maxBusy);
        assertTrue(maxBusy > 0);
    }
}
