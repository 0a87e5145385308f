package org.snnc.compiler.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.ResetMode;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/** From IR to program: quantization, folding, host-side layers, placement. */
class ProgramBuilderTest {

    static final WeightSource WEIGHTS = new SeededWeights(3, SeededWeights.PAPER_GAIN, 0);

    static ProgramBuilder.Result build(String source, Target target) {
        return ProgramBuilder.build(ProgramFixtures.ir(source), target, WEIGHTS, new SequentialPlacement());
    }

    @Test
    void denseWeightsAreQuantizedWithOneScalePerPopulation() {
        SpikingIr ir = ProgramFixtures.ir(ProgramFixtures.MLP);
        Program p = ProgramBuilder.build(ir, ProgramFixtures.tiny(4), WEIGHTS, new SequentialPlacement()).program();
        Node dense = ir.nodes().get(1);
        float[] w = WEIGHTS.weights(dense, 30, 6, 5);
        double max = 0;
        for (float x : w) max = Math.max(max, Math.abs(x));
        Program.Population lif = ProgramFixtures.pop(p, "lif1");
        Program.Quantization q = lif.quant();
        assertEquals(127 / max, q.weightScale(), 1e-9);
        assertEquals(0, q.weightExponent());
        // Every synapse input i -> neuron o holds round(w[o][i] * scale); the largest is ±127.
        int largest = 0;
        for (int i = 0; i < 6; i++) {
            for (int e = p.synapses().rowStart()[i]; e < p.synapses().rowStart()[i + 1]; e++) {
                int o = p.synapses().target()[e];
                assertEquals(Math.round(w[o * 6 + i] * q.weightScale()), p.synapses().mantissa()[e], "synapse " + i + "->" + o);
                largest = Math.max(largest, Math.abs(p.synapses().mantissa()[e]));
            }
        }
        assertEquals(127, largest);
        // θ = 1.0 in voltage units: scale * 2^6 (input shift); compared as vth << 6, so vth = round(scale).
        assertEquals(Math.round(q.weightScale()), lif.params().threshold());
        // λ = 0.99 -> dv = round(4096 * 0.01) = 41, λ_eff = 4055 / 4096; the current forgets each step.
        assertEquals(41, lif.params().decayV());
        assertEquals(4096, lif.params().decayU());
        assertEquals(4055.0 / 4096, q.effectiveLeak(), 1e-15);
        assertEquals(ResetMode.ZERO, lif.params().reset());
        assertTrue(ProgramFixtures.pop(p, "accumulate1").params().integrator());
    }

    @Test
    void smallThresholdsRaiseTheSharedExponent() {
        // θ = 0.1 with a max weight near 1.5: 0.1 * 127 / 1.5 ≈ 8.5 units, too coarse; two exponent steps give ≈ 34, three ≈ 68.
        Program p = build("""
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 1.0, threshold: 0.1, reset: subtract)
                  input x: [6] encode poisson
                  output y = x -> dense(5) -> lif
                }
                """, ProgramFixtures.tiny(8)).program();
        Program.Population lif = p.populations().get(0);
        double units = 0.1 * lif.quant().weightScale();
        int e = 0;
        while (units * (1 << e) < ProgramBuilder.MIN_THRESHOLD_UNITS) e++;
        assertEquals(e, lif.quant().weightExponent());
        assertEquals(Math.round(units * (1 << e)), lif.params().threshold());
        // Mantissas are stored; the exponent is the population's.
        int largest = 0;
        for (int k = 0; k < p.synapses().explicit(); k++) largest = Math.max(largest, Math.abs(p.synapses().mantissa()[k]));
        assertEquals(127, largest);
        assertEquals(0, lif.params().decayV());
    }

    @Test
    void avgpoolIsFoldedIntoTheFollowingConv() {
        Program p = build("""
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: zero)
                  input x: [1, 4, 4] encode poisson
                  output y = x -> avgpool(2) -> conv(1, kernel: 1) -> lif
                }
                """, ProgramFixtures.tiny(8)).program();
        assertEquals(16, p.inputChannels());
        assertEquals(4, p.neurons());
        // Stored as one kernel: stride 2, extent 2, one class (no padding anywhere), no explicit synapses.
        assertEquals(0, p.synapses().explicit());
        Program.Kernel k = p.synapses().kernels().get(0);
        assertEquals(List.of(2, 2, 0, 0, 1, 2, 2, 1, 1), List.of(k.strideH(), k.strideW(), k.padH(), k.padW(), k.dilationH(), k.kernelH(),
                k.kernelW(), k.rowClasses(), k.colClasses()));
        // Each output reads its 2x2 window with the conv weight / 4: one equal mantissa of 127 magnitude.
        int[] expectedTarget = {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3};
        for (int i = 0; i < 16; i++) {
            List<int[]> syn = new java.util.ArrayList<>();
            p.forEachSynapse(i, (t, m) -> syn.add(new int[] {t, m}));
            assertEquals(1, syn.size(), "input " + i);
            assertEquals(expectedTarget[i], syn.get(0)[0]);
            assertEquals(127, Math.abs(syn.get(0)[1]));
        }
        assertEquals("conv1", p.layers().get(0).name());
        assertEquals(4, p.layers().get(0).macs());
        assertEquals(0, p.layers().get(0).sourceInput());
    }

    @Test
    void lowerReportsExactlyWhatBuildQuantizes() {
        // Padding, stride, an avgpool folded into a conv, a residual add and a dense layer: lower
        // composes interior neurons once per channel, build composes every neuron; the reports
        // must be equal to the last bit, and the scales those of the program's populations.
        SpikingIr ir = ProgramFixtures.ir("""
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 0.99, threshold: 1.0, reset: zero)
                  input x: [2, 12, 12] encode poisson
                  a = x -> conv(4, kernel: 3, padding: 1) -> bntt -> lif
                  b = a -> avgpool(2) -> conv(4, kernel: 3, padding: 2, stride: 1) -> lif
                  c = add(b -> conv(4, kernel: 3, padding: 1), b -> conv(4, kernel: 1)) -> lif
                  output y = c -> flatten -> dense(3) -> accumulate
                }
                """);
        Target t = TargetLoader.resolve("loihi");
        ProgramBuilder.Result built = ProgramBuilder.build(ir, t, WEIGHTS, new SequentialPlacement());
        ProgramBuilder.Result lowered = ProgramBuilder.lower(ir, t, WEIGHTS);
        assertEquals(null, lowered.program());
        assertEquals(built.lowering().quantize(), lowered.lowering().quantize());
        List<org.snnc.compiler.lower.Quantize.LayerReport> q = lowered.lowering().quantize();
        assertEquals(List.of("lif1", "lif2", "lif3", "accumulate1"), q.stream().map(r -> r.layer()).toList());
        for (int i = 0; i < q.size(); i++) {
            Program.Population pop = built.program().populations().get(i);
            assertEquals(pop.quant().weightScale(), q.get(i).scale());
            assertEquals(pop.params().threshold(), q.get(i).threshold());
        }
        // Every composed weight is tallied; the program holds exactly those that did not round to 0.
        long total = q.stream().mapToLong(r -> r.weights() - r.zeros()).sum();
        assertEquals(built.program().synapses().count(), total);
        assertEquals(List.of("bntt1"), lowered.lowering().fold().stream().map(f -> f.layer()).toList());
        assertEquals(41, q.get(0).decayV());
    }

    @Test
    void layersThatCannotRunOnCoresAreListedAsHostSide() {
        ProgramBuilder.Result r = build("""
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: zero)
                  input x: [1, 4, 4] encode poisson
                  output y = x -> conv(2, kernel: 3) -> bntt -> lif -> conv(2, kernel: 1) -> accumulate -> upsample(8, mode: bilinear)
                }
                """, ProgramFixtures.tiny(32));
        assertEquals(List.of(new Program.HostLayer("upsample1", "upsample", "reads the readout 'accumulate1', whose value is analog")),
                r.program().host());
        assertTrue(r.notes().contains("bntt1: bntt runs as the identity (no trained statistics or scales)"), r.notes().toString());
        assertEquals(List.of("lif1", "accumulate1"), r.program().populations().stream().map(Program.Population::layer).toList());
    }

    @Test
    void sequentialPlacementFillsCoresInBoardOrder() {
        Program p = build("""
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: zero)
                  input x: [3] encode poisson
                  output y = x -> dense(9) -> lif -> dense(2) -> lif
                }
                """, ProgramFixtures.tiny(4)).program();
        // lif1: 9 neurons on cores 0,1,2 (4+4+1); lif2 starts its own core 3.
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 3, 3}, p.cores().coreOfNeuron());
        // Cores in row-major tile order on chip 0: (0,0) (1,0) (0,1) (1,1).
        assertArrayEquals(new int[] {0, 1, 0, 1}, p.cores().x());
        assertArrayEquals(new int[] {0, 0, 1, 1}, p.cores().y());
        // Routes: every lif1 core reaches core 3; lif2's core reaches nothing.
        assertArrayEquals(new int[] {0, 1, 2, 3, 3}, p.routes().start());
        assertArrayEquals(new int[] {3, 3, 3}, p.routes().dest());
    }

    @Test
    void aNetworkTooLargeForTheBoardIsRefusedWithTheNumbers() {
        ProgramBuildException e = assertThrows(ProgramBuildException.class, () -> build("""
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: zero)
                  input x: [3] encode poisson
                  output y = x -> dense(40) -> lif
                }
                """, ProgramFixtures.tiny(4)));
        assertEquals("the network needs 10 cores but target 'tiny' has 8 (2 chips of 4); use a larger board or a smaller network",
                e.getMessage());
    }

    @Test
    void fanInBeyondACoreIsRefusedNamingTheLayer() {
        ProgramBuildException e = assertThrows(ProgramBuildException.class, () -> build("""
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: zero)
                  input x: [100] encode poisson
                  output y = x -> dense(2) -> lif
                }
                """, ProgramFixtures.tiny(4)));
        // 100 inputs less those whose weight rounds to 0 and is pruned.
        assertTrue(e.getMessage().matches("layer 'lif1': neuron 0 has 9\\d distinct inputs, more than the 64 input axons of a "
                + "core; reduce its fan-in, or use a placement that splits neurons across compartments"), e.getMessage());
    }

    @Test
    void leaksBecomeEachTargetsForm() {
        String net = """
                network N {
                  timesteps 2
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [6] encode poisson
                  output y = x -> dense(5) -> lif
                }
                """;
        Program.Population generic = build(net, TargetLoader.preset("generic")).program().populations().get(0);
        assertEquals(LeakForm.MULTIPLICATIVE, generic.params().leak());
        assertEquals(410, generic.params().decayV());
        assertEquals(1 - 410 / 4096.0, generic.quant().effectiveLeak(), 1e-15);
        assertEquals(ResetMode.SUBTRACT, generic.params().reset());

        ProgramBuilder.Result tn = build(net, TargetLoader.preset("truenorth"));
        Program.Population linear = tn.program().populations().get(0);
        assertEquals(LeakForm.LINEAR, linear.params().leak());
        assertEquals(0, linear.params().currentBits());
        // The multiplicative loss at the threshold: round(0.1 * vth).
        assertEquals(Math.round(0.1 * linear.params().threshold()), linear.params().linearLeak());
        assertTrue(tn.notes().stream().anyMatch(n -> n.startsWith("lif1: leak 0.9000 approximated by a linear leak of ")), tn.notes().toString());
    }

    @Test
    void sparseDrawIsDistinctSortedAndSeeded() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int inputs = 1 + r.nextInt(300);
            int fanIn = 1 + r.nextInt(inputs);
            long seed = r.nextLong();
            int o = r.nextInt(1000);
            int[] a = SparseDraw.inputs(seed, o, fanIn, inputs);
            assertEquals(fanIn, a.length);
            for (int k = 0; k < a.length; k++) {
                assertTrue(a[k] >= 0 && a[k] < inputs);
                if (k > 0) assertTrue(a[k] > a[k - 1]);
            }
            assertArrayEquals(a, SparseDraw.inputs(seed, o, fanIn, inputs));
        }
        assertTrue(!java.util.Arrays.equals(SparseDraw.inputs(1, 0, 10, 100), SparseDraw.inputs(1, 1, 10, 100)));
    }
}
