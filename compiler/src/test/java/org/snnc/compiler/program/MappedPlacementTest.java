package org.snnc.compiler.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.mapping.Mapping;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/**
 * {@link MappedPlacement}: a program's neurons sit on the cores the mapping gave their tiles, and
 * those cores where the place pass put them. The expected core of a neuron is computed here from
 * the mapping report's tile {@code [C,H,W]} alone, not from the partition's tile boxes that the
 * placement itself reads.
 */
class MappedPlacementTest {

    /** Two conv layers of many tiles each (16,384 and 2,048 neurons on 1,024-neuron Loihi cores), then a readout. */
    static final String CONV = """
            network Conv(T: int = 4) {
              timesteps T
              neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
              input x: [3, 32, 32] encode poisson
              output y = x -> conv(16, kernel: 3, padding: 1) -> lif
                -> conv(32, kernel: 3, stride: 4, padding: 1) -> lif
                -> flatten -> dense(10) -> accumulate
            }
            """;

    @TempDir
    Path dir;

    static SpikingIr mlp() {
        Diagnostics d = new Diagnostics();
        Path file = Path.of("..", "examples", "mlp.snn");
        return Frontend.compile(file, file.toString(), Map.of(), d).orElseThrow(() -> new AssertionError(d.sorted()));
    }

    @Test
    void convNeuronsSitOnTheirTilesCore() throws Exception {
        Program p = checkAgainstMapping(ProgramFixtures.ir(CONV), TargetLoader.resolve("loihi"));
        assertTrue(p.cores().count() > 16, "cores " + p.cores().count());
    }

    @Test
    void mlpNeuronsSitOnTheirTilesCore() throws Exception {
        checkAgainstMapping(mlp(), TargetLoader.resolve("loihi"));
        checkAgainstMapping(mlp(), TargetLoader.resolve("generic"));
    }

    /** Builds with the mapped placement and checks every neuron and core against the mapping report. */
    private Program checkAgainstMapping(SpikingIr ir, Target t) throws Exception {
        return checkAgainstMapping(ir, t, MappedPlacement.of(ir, t));
    }

    private Program checkAgainstMapping(SpikingIr ir, Target t, MappedPlacement placement) throws Exception {
        assertTrue(placement.unsupported().isEmpty(), placement.unsupported().toString());
        Mapping m = placement.mapping();
        Program p = ProgramBuilder.build(ir, t, new SeededWeights(3, 2.0, 0.0), placement).program();
        Validator.check(p);
        assertEquals(m.cores().size(), p.cores().count());

        int[] coreOf = p.cores().coreOfNeuron();
        long[] perCore = new long[p.cores().count()];
        for (Program.Population pop : p.populations()) {
            // Joined compartments of share j sit on slice j of their soma layer's tiles.
            String name = pop.compartments() ? p.populations().get(pop.soma()).layer() : pop.layer();
            int slice = pop.compartments() ? Integer.parseInt(pop.layer().substring(name.length() + 2)) : 0;
            assertEquals(pop.compartments() ? name + "/c" + slice : name, pop.layer());
            Mapping.Layer layer = m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
            int first = -1;
            for (Mapping.Core c : m.cores()) {
                if (c.layer().equals(name)) {
                    first = c.id();
                    break;
                }
            }
            Shape s = shapeOf(ir, name);
            int tc = layer.tile()[0];
            int th = layer.tile()[1];
            int tw = layer.tile()[2];
            int colTiles = (s.width() + tw - 1) / tw;
            int groups = (s.channels() + tc - 1) / tc;
            for (int c = 0; c < s.channels(); c++) {
                for (int y = 0; y < s.height(); y++) {
                    for (int x = 0; x < s.width(); x++) {
                        int n = pop.offset() + (c * s.height() + y) * s.width() + x;
                        // Partition numbers a layer's cores row tile, column tile, channel group.
                        int expected = first + (((y / th) * colTiles + x / tw) * groups + c / tc) * layer.join() + slice;
                        assertEquals(expected, coreOf[n], pop.layer() + " neuron [" + c + "," + y + "," + x + "]");
                        assertEquals(name, m.cores().get(expected).layer());
                        perCore[expected]++;
                    }
                }
            }
        }
        Program.Mesh mesh = p.mesh();
        for (Mapping.Core c : m.cores()) {
            int k = c.id();
            assertEquals(c.neurons(), perCore[k], "neurons of core " + k);
            assertEquals(c.chip(), p.cores().chip()[k], "chip of core " + k);
            // Mapping coordinates are global tiles; a program's are within the chip.
            assertEquals(c.x(), (p.cores().chip()[k] % mesh.chipsX()) * mesh.meshWidth() + p.cores().x()[k], "x of core " + k);
            assertEquals(c.y(), (p.cores().chip()[k] / mesh.chipsX()) * mesh.meshHeight() + p.cores().y()[k], "y of core " + k);
        }

        // The program round-trips through its file with the placement intact.
        Path file = dir.resolve(ir.network() + "-" + t.name() + ".snnp");
        ProgramWriter.write(p, file);
        Program back = ProgramReader.read(file);
        assertArrayEquals(coreOf, back.cores().coreOfNeuron());
        assertArrayEquals(p.cores().x(), back.cores().x());
        return p;
    }

    @Test
    void deeplabMapsWithAndWithoutJoins() throws Exception {
        Diagnostics d = new Diagnostics();
        Path file = Path.of("..", "examples", "deeplab.snn");
        SpikingIr ir = Frontend.compile(file, file.toString(), Map.of("size", "32", "width", "0.25"), d)
                .orElseThrow(() -> new AssertionError(d.sorted()));
        Target t = TargetLoader.resolve("loihi");
        MappedPlacement joined = MappedPlacement.of(ir, t);
        assertTrue(joined.joins());
        Program p = checkAgainstMapping(ir, t, joined);
        assertTrue(p.populations().stream().anyMatch(Program.Population::compartments));
        MappedPlacement single = MappedPlacement.withoutJoins(ir, t);
        assertFalse(single.joins());
        for (Mapping.Layer l : single.mapping().layers()) assertEquals(1, l.join(), l.name());
        checkAgainstMapping(ir, t, single);
    }

    @Test
    void mappedDiffersFromSequentialOnTiledConv() {
        SpikingIr ir = ProgramFixtures.ir(CONV);
        Target t = TargetLoader.resolve("loihi");
        int[] mapped = ProgramBuilder.build(ir, t, new SeededWeights(3, 2.0, 0.0), MappedPlacement.of(ir, t))
                .program().cores().coreOfNeuron();
        int[] sequential = ProgramBuilder.build(ir, t, new SeededWeights(3, 2.0, 0.0), new SequentialPlacement())
                .program().cores().coreOfNeuron();
        // Spatial tiles hold parts of many rows: a core's neurons are not one consecutive run.
        boolean interleaved = false;
        for (int n = 1; n < mapped.length; n++) {
            for (int k = n + 1; k < Math.min(mapped.length, n + 64); k++) {
                if (mapped[k] == mapped[n - 1] && mapped[n] != mapped[n - 1]) interleaved = true;
            }
            if (interleaved) break;
        }
        assertTrue(interleaved, "no core holds a non-consecutive set of neurons");
        assertFalse(java.util.Arrays.equals(mapped, sequential));
    }

    @Test
    void aWideDenseLayerJoinsCompartments() throws Exception {
        // 8,192 inputs per neuron: more than Loihi's 4,096 input axons, so the mapping joins compartments.
        SpikingIr ir = ProgramFixtures.ir("""
                network Wide(T: int = 2) {
                  timesteps T
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [2, 64, 64] encode poisson
                  output y = x -> flatten -> dense(4) -> lif
                }
                """);
        Target t = TargetLoader.resolve("loihi");
        MappedPlacement placement = MappedPlacement.of(ir, t);
        int join = placement.mapping().layers().get(0).join();
        assertTrue(join > 1, "join " + join);
        Program p = checkAgainstMapping(ir, t, placement);
        assertEquals(join, p.populations().size());
        // Every input channel reaches exactly one of a neuron's compartments: the shares partition the inputs.
        int[] seen = new int[p.inputChannels()];
        for (int src = 0; src < p.inputChannels(); src++) {
            int from = src;
            p.forEachSynapse(src, (target, m) -> {
                if (target % 4 == 0) seen[from]++;
            });
        }
        for (int src = 0; src < seen.length; src++) assertTrue(seen[src] <= 1, "input " + src + " reaches neuron 0 " + seen[src] + " times");
    }

    @Test
    void joinedCompartmentsOfASparseLayerAreRefusedNamingTheLayer() {
        SpikingIr ir = ProgramFixtures.ir("""
                network WideSparse(T: int = 2) {
                  timesteps T
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [2, 64, 64] encode poisson
                  output y = x -> flatten -> sparse(4, fan_in: 6000, seed: 1) -> lif
                }
                """);
        Target t = TargetLoader.resolve("loihi");
        MappedPlacement placement = MappedPlacement.of(ir, t);
        String why = placement.unsupported().orElseThrow();
        assertTrue(why.startsWith("layer 'lif1': the mapping joins "), why);
        assertTrue(why.contains("sparse layer 'sparse1'"), why);
        ProgramBuildException e = assertThrows(ProgramBuildException.class,
                () -> ProgramBuilder.build(ir, t, new SeededWeights(1, 2.0, 0.0), placement));
        assertEquals(why, e.getMessage());
    }

    @Test
    void aGrownBoardBecomesTheProgramsMesh() throws Exception {
        // 40 neurons on 4-neuron cores need 10 cores; the toy board has 8.
        SpikingIr ir = ProgramFixtures.ir("""
                network Big(T: int = 2) {
                  timesteps T
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [4] encode poisson
                  output y = x -> dense(40) -> lif
                }
                """);
        Target t = ProgramFixtures.tiny(4);
        MappedPlacement placement = MappedPlacement.of(ir, t);
        assertTrue(placement.grewBoard());
        assertTrue(placement.unsupported().isEmpty(), placement.unsupported().toString());
        Program p = ProgramBuilder.build(ir, t, new SeededWeights(1, 2.0, 0.0), placement).program();
        assertEquals(10, p.cores().count());
        assertEquals(2, p.mesh().chipsX());
        assertEquals(2, p.mesh().chipsY());
        Validator.check(p);
    }

    @Test
    void aMappingForAnotherTargetIsRefused() {
        SpikingIr ir = mlp();
        MappedPlacement placement = MappedPlacement.of(ir, TargetLoader.resolve("generic"));
        ProgramBuildException e = assertThrows(ProgramBuildException.class,
                () -> ProgramBuilder.build(ir, TargetLoader.resolve("loihi"), new SeededWeights(1, 2.0, 0.0), placement));
        assertEquals("the mapping was made for target 'generic', the program is built for 'loihi'", e.getMessage());
    }

    private static Shape shapeOf(SpikingIr ir, String name) {
        for (Node n : ir.nodes()) if (n.name().equals(name)) return n.shape();
        throw new AssertionError("no layer " + name);
    }
}
