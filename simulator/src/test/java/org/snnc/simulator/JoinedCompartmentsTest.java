package org.snnc.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.lower.Quantize;
import org.snnc.compiler.program.MappedPlacement;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.ProgramReader;
import org.snnc.compiler.program.ProgramWriter;
import org.snnc.compiler.program.SeededWeights;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/**
 * Joined compartments are exact: integer sums do not depend on how they are split, so a program
 * whose neurons' inputs are shared out over compartment cores must fire spike for spike as the
 * same network on cores large enough to hold every neuron's inputs.
 */
class JoinedCompartmentsTest {

    /** Convs (kernels), a sum of two paths and a dense layer (explicit synapses), a readout: every kind of input joins. */
    static final String NET = """
            network Joined(T: int = 12) {
              timesteps T
              neuron lif = LIF(leak: 0.95, threshold: 1.0, reset: subtract)
              input x: [3, 10, 10] encode poisson
              a = x -> conv(8, kernel: 3, padding: 1) -> bntt -> lif
              b = add(a -> conv(6, kernel: 3, padding: 1), a -> avgpool(2, stride: 1) -> conv(6, kernel: 2, padding: 1)) -> lif
              output y = b -> flatten -> dense(5) -> accumulate
            }
            """;

    /** Loihi with {@code axons} input axons per core. */
    static Target loihi(int axons) throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "targets", "loihi.yaml"), StandardCharsets.UTF_8)
                .replace("max_input_axons:     { value: 4096,", "max_input_axons:     { value: " + axons + ",");
        return TargetLoader.load("loihi-" + axons + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static Program build(Target t) {
        return build(t, Quantize.Scaling.LAYER);
    }

    static Program build(Target t, Quantize.Scaling scaling) {
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("joined.snn", NET, Map.of(), d).orElseThrow(() -> new AssertionError(d.sorted()));
        return ProgramBuilder.build(ir, t, new SeededWeights(5, 3.0, 0.1), MappedPlacement.of(ir, t),
                ProgramBuilder.SynapseForm.KERNELS, scaling).program();
    }

    static InputSpikes poisson(Program p, long seed) {
        return InputSpikes.poisson(p.inputChannels(), 0.3, seed);
    }

    @Test
    void joinedNeuronsFireAsWholeOnes(@TempDir Path dir) throws Exception {
        check(dir, Quantize.Scaling.LAYER);
    }

    /** Per-channel scales: each channel fires at its own level, in both engines and through joins alike. */
    @Test
    void perChannelScalesToo(@TempDir Path dir) throws Exception {
        Program p = check(dir, Quantize.Scaling.CHANNEL);
        Program.Population lif1 = p.populations().get(0);
        assertEquals(8, lif1.channels().count());
        long distinct = java.util.Arrays.stream(lif1.channels().threshold()).distinct().count();
        assertTrue(distinct > 1, "every channel has the same threshold");
    }

    private static Program check(Path dir, Quantize.Scaling scaling) throws Exception {
        Program joined = build(loihi(64), scaling);
        Program whole = build(loihi(4096), scaling);
        long compartments = joined.populations().stream().filter(Program.Population::compartments).count();
        assertTrue(compartments >= 3, "expected joins in every layer, got " + compartments + " compartment populations");
        assertEquals(0, whole.populations().stream().filter(Program.Population::compartments).count());
        // The file keeps the compartments.
        Path file = dir.resolve("joined.snnp");
        ProgramWriter.write(joined, file);
        Program back = ProgramReader.read(file);
        for (int i = 0; i < joined.populations().size(); i++) {
            Program.Population a = joined.populations().get(i), b = back.populations().get(i);
            assertEquals(a.soma(), b.soma());
            assertEquals(a.channels() == null, b.channels() == null);
            if (a.channels() != null) assertArrayEquals(a.channels().threshold(), b.channels().threshold());
        }

        int steps = joined.header().timesteps() + 3;
        Costs costs = Costs.of(loihi(64));
        Engine.Options rec = Engine.Options.recording();
        SimResult event = new EventEngine(1).run(back, costs, steps, poisson(joined, 9), rec);
        SimResult event2 = new EventEngine(2).run(back, costs, steps, poisson(joined, 9), rec);
        SimResult dense = new DenseEngine().run(back, costs, steps, poisson(joined, 9), rec);
        SimResult reference = new EventEngine(1).run(whole, Costs.of(loihi(4096)), steps, poisson(whole, 9), rec);

        long spikes = 0;
        for (int t = 0; t < steps; t++) {
            assertArrayEquals(reference.spikeTrain().get(t), event.spikeTrain().get(t), "step " + t + ": joined vs whole");
            assertArrayEquals(event.spikeTrain().get(t), event2.spikeTrain().get(t), "step " + t + ": 1 vs 2 threads");
            assertArrayEquals(event.spikeTrain().get(t), dense.spikeTrain().get(t), "step " + t + ": event vs dense");
            spikes += event.spikeTrain().get(t).length;
        }
        assertTrue(spikes > 50, "too few spikes to tell anything: " + spikes);
        int neurons = whole.neurons();
        for (int n = 0; n < neurons; n++) {
            assertEquals(reference.finalV()[n], event.finalV()[n], "v of neuron " + n);
        }
        // Every count of both engines agrees, joins included.
        assertArrayEquals(dense.popSynOps(), event.popSynOps());
        assertArrayEquals(dense.popUpdates(), event.popUpdates());
        assertArrayEquals(dense.core().packets(), event.core().packets());
        assertArrayEquals(dense.core().hopsEastWest(), event.core().hopsEastWest());
        assertArrayEquals(dense.core().hopsNorthSouth(), event.core().hopsNorthSouth());
        assertArrayEquals(dense.stepTicks(), event.stepTicks());
        // A joined neuron's synaptic ops are its whole twin's plus one per non-zero partial sum.
        for (Program.Population pop : whole.populations()) {
            long join = event.popSynOps()[pop.id()] - reference.popSynOps()[pop.id()];
            for (Program.Population c : joined.populations()) {
                if (c.soma() == pop.id()) join += event.popSynOps()[c.id()];
            }
            assertTrue(join >= 0, pop.layer());
        }
        return back;
    }
}
