package org.snnc.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("small.snn", NET, Map.of(), d).orElseThrow(() -> new AssertionError(d.sorted()));
        Target t = TargetLoader.preset(target);
        return ProgramBuilder.build(ir, t, new SeededWeights(11, 3.0, 0.2), new SequentialPlacement()).program();
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
