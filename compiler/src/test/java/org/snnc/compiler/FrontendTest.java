package org.snnc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.diag.Code;
import org.snnc.compiler.diag.Diagnostic;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.Renderer;
import org.snnc.compiler.ir.IrText;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;

/** Semantics of elaboration that golden files do not show at a glance. */
class FrontendTest {

    @TempDir
    Path dir;

    private SpikingIr ok(String text, Map<String, String> params) {
        Diagnostics d = new Diagnostics();
        Optional<SpikingIr> ir = Frontend.compileText("t.snn", text, params, d);
        StringBuilder b = new StringBuilder();
        for (Diagnostic x : d.sorted()) b.append(Renderer.render(x));
        assertTrue(ir.isPresent() && !d.hasErrors(), b.toString());
        return ir.get();
    }

    private List<Diagnostic> errors(String text) {
        Diagnostics d = new Diagnostics();
        Frontend.compileText("t.snn", text, Map.of(), d);
        return d.sorted();
    }

    @Test
    void valuesMayBeUsedBeforeTheyAreDefined() {
        SpikingIr ir = ok("""
                network N(T: int = 3) {
                  output y = h -> dense(2) -> accumulate
                  h = x -> flatten -> dense(8) -> LIF
                  timesteps T
                  input x: [1, 4, 4] encode direct
                }
                """, Map.of());
        assertEquals(List.of("x", "flatten1", "dense1", "lif1", "dense2", "accumulate1"),
                ir.nodes().stream().map(Node::name).toList());
        assertEquals(3, ir.timesteps());
    }

    @Test
    void parametersAreOverriddenByTypeAndArithmeticFollowsTheirTypes() {
        String text = """
                network N(size: int = 8, width: float = 1.0, T: int = 2) {
                  timesteps T
                  input x: [3, size, size] encode poisson
                  output y = x -> conv(round(10 * width), kernel: 3, stride: 2) -> LIF
                }
                """;
        SpikingIr ir = ok(text, Map.of("size", "16", "width", "0.25"));
        Node conv = ir.node(1);
        assertEquals(2, ((Op.Conv) conv.op()).outChannels()); // round(2.5) is 2: half to even, as Python
        assertEquals("[2,8,8]", conv.shape().toString());
        assertEquals(16L, ir.params().get("size"));
        assertEquals(0.25, ir.params().get("width"));
    }

    @Test
    void unusedValuesArePrunedAndOnlyWarned() {
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("t.snn", """
                network N(T: int = 2) {
                  timesteps T
                  input x: [4] encode poisson
                  probe = x -> dense(100)
                  output y = x -> dense(2) -> LIF
                }
                """, Map.of(), d).orElseThrow();
        assertEquals(1, d.size());
        assertEquals(Code.UNUSED, d.sorted().get(0).code());
        assertEquals(3, ir.nodes().size());
    }

    @Test
    void blocksTakeTensorAndNeuronParametersAndSeeTheirNetwork() {
        SpikingIr ir = ok("""
                network N(T: int = 2, c: int = 4) {
                  timesteps T
                  neuron fast = LIF(leak: 0.5)
                  input x: [2, 8, 8] encode poisson
                  block merge(skip: tensor, act: neuron) {
                    y = in -> conv(c, kernel: 1)
                    return add(y, skip -> conv(c, kernel: 1)) -> act
                  }
                  output o = x -> conv(2, kernel: 3) -> merge(x, fast)
                }
                """, Map.of());
        Node last = ir.node(ir.outputs().get(0).node());
        assertEquals(0.5, ((Op.Spiking) last.op()).model().leak());
        assertEquals("[4,8,8]", last.shape().toString());
    }

    @Test
    void importsResolveRelativeToTheImportingFile() throws IOException {
        Files.createDirectories(dir.resolve("lib/deeper"));
        Files.writeString(dir.resolve("lib/a.snn"), "import \"deeper/b.snn\"\nblock twice(c: int) = one(c) -> one(c)\n");
        Files.writeString(dir.resolve("lib/deeper/b.snn"), "block one(c: int) = conv(c, kernel: 3) -> LIF\n");
        Files.writeString(dir.resolve("main.snn"), """
                import "lib/a.snn"
                network N(T: int = 2) {
                  timesteps T
                  input x: [1, 8, 8] encode poisson
                  output y = x -> twice(3)
                }
                """);
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compile(dir.resolve("main.snn"), "main.snn", Map.of(), d).orElseThrow();
        assertEquals(5, ir.nodes().size());
        assertEquals(3, ir.sources().size());
        assertEquals(64, ir.sources().get(0).sha256().length());
    }

    @Test
    void missingMainFileAndDirectoriesAreLocatedIoErrors() throws IOException {
        Diagnostics d = new Diagnostics();
        Frontend.compile(dir.resolve("nope.snn"), "nope.snn", Map.of(), d);
        assertEquals(Code.IO, d.sorted().get(0).code());
        assertEquals("nope.snn:1:1: error[SNN126]: cannot find 'nope.snn'\n", Renderer.render(d.sorted().get(0)));
        Diagnostics d2 = new Diagnostics();
        Frontend.compile(dir, "somedir", Map.of(), d2);
        assertTrue(Renderer.render(d2.sorted().get(0)).contains("somedir is a directory, not a .snn file"));
    }

    @Test
    void allSemanticErrorsOfAFileAreReportedInOneRun() {
        List<Diagnostic> errors = errors("""
                network N(T: int = 2) {
                  timesteps T
                  input x: [3, 8, 8] encode poisson
                  a = x -> conv(4, kernel: 0)
                  b = x -> dense(3)
                  c = x -> nolayer
                  output o = add(a, b, c, zz)
                }
                """);
        assertEquals(List.of(Code.BAD_VALUE, Code.SHAPE_MISMATCH, Code.UNKNOWN_LAYER, Code.UNKNOWN_VALUE),
                errors.stream().map(Diagnostic::code).toList());
    }

    @Test
    void severalOutputsKeepTheirOrderAndShareLayers() {
        SpikingIr ir = ok("""
                network N(T: int = 2) {
                  timesteps T
                  input x: [2, 8, 8] encode poisson
                  trunk = x -> conv(4, kernel: 3) -> LIF
                  output coarse = trunk -> avgpool(2) -> conv(3, kernel: 1) -> accumulate
                  output fine = trunk -> conv(3, kernel: 1) -> accumulate
                  output spikes = trunk
                }
                """, Map.of());
        assertEquals(List.of("coarse", "fine", "spikes"), ir.outputs().stream().map(SpikingIr.OutputRef::name).toList());
        assertEquals("[3,4,4]", ir.node(ir.outputs().get(0).node()).shape().toString());
        assertEquals("lif1", ir.node(ir.outputs().get(2).node()).name());
        assertEquals(1, ir.nodes().stream().filter(n -> n.op() instanceof Op.Spiking).count());
    }

    @Test
    void irTextIsStableAcrossRuns() {
        String text = "network N(T: int = 2) { timesteps T\n input x: [2, 4, 4] encode direct\n output y = x -> avgpool(2) -> LIF }";
        assertEquals(IrText.write(ok(text, Map.of())), IrText.write(ok(text, Map.of())));
    }
}
