package org.snnc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostic;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.Renderer;
import org.snnc.compiler.ir.IrText;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;

/**
 * The examples compile without a diagnostic, their IR matches the golden text form, and their
 * counts match the paper: Eq. 9 MACs at 64x64 and 21 classes are a regression test (DESIGN.md §6).
 */
class ExamplesTest {

    static final Path EXAMPLES = Path.of(".");
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static List<Path> networks() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".snn")).sorted().toList();
        }
    }

    static SpikingIr compile(String file, Map<String, String> params) {
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compile(EXAMPLES.resolve(file), file, params, d).orElse(null);
        StringBuilder text = new StringBuilder();
        for (Diagnostic x : d.sorted()) text.append(Renderer.render(x));
        assertEquals(0, d.size(), "diagnostics for " + file + ":\n" + text);
        return ir;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleMatchesItsGoldenIr() throws IOException {
        return networks().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String name = p.getFileName().toString();
            String actual = IrText.write(compile(name, Map.of()));
            Path golden = GOLDEN.resolve(name.replaceFirst("\\.snn$", ".ir"));
            if (Boolean.getBoolean("snnc.updateGolden")) {
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            } else {
                assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual,
                        "golden " + golden + " (rerun with -Dsnnc.updateGolden=true to update)");
            }
        }));
    }

    @Test
    void deeplabMacsMatchEquation9() {
        SpikingIr ir = compile("deeplab.snn", Map.of("size", "64", "classes", "21"));
        assertEquals(1_371_537_408L, ir.totals().macs());
    }

    @Test
    void deeplabTable1MacsMatchEquation9() {
        SpikingIr ir = compile("deeplab-table1.snn", Map.of("size", "64", "classes", "21"));
        assertEquals(3_787_456_512L, ir.totals().macs());
        // The paper's own figures (DESIGN.md §6): 3.83 G in all, 2.42 G for the 1024 -> 1024 conv alone.
        long biggest = ir.nodes().stream().mapToLong(Node::macs).max().orElseThrow();
        assertEquals(2_415_919_104L, biggest);
    }

    @Test
    void widthQuarterGivesTheLaptopChannels() {
        SpikingIr ir = compile("deeplab.snn", Map.of("width", "0.25", "size", "32", "T", "8", "classes", "4"));
        List<Integer> channels = new ArrayList<>();
        for (Node n : ir.nodes()) {
            if (n.op() instanceof Op.Conv c) channels.add(c.outChannels());
        }
        assertEquals(List.of(16, 16, 32, 32, 64, 64, 64, 256, 4), channels);
        assertEquals(8, ir.timesteps());
        Node last = ir.node(ir.outputs().get(0).node());
        assertEquals("[4,32,32]", last.shape().toString());
    }

    @Test
    void fcnRestoresInputResolutionWithSkips() {
        SpikingIr ir = compile("fcn.snn", Map.of());
        Node out = ir.node(ir.outputs().get(0).node());
        assertTrue(out.op() instanceof Op.Accumulate);
        assertEquals("[21,64,64]", out.shape().toString());
        assertEquals(3, ir.nodes().stream().filter(n -> n.op() instanceof Op.ConvTranspose).count());
        assertEquals(3, ir.nodes().stream().filter(n -> n.op() instanceof Op.Add).count());
    }

    @Test
    void dvsVariantReadsTwoPolarityChannels() {
        SpikingIr ir = compile("deeplab-dvs.snn", Map.of());
        Node in = ir.node(0);
        assertEquals("[2,64,64]", in.shape().toString());
        assertEquals(6, ir.node(ir.outputs().get(0).node()).shape().channels());
    }

    @Test
    void benchmarkNetworkHasThreeLayersOf4096WithFanIn300() {
        SpikingIr ir = compile("random3x4096.snn", Map.of());
        List<Node> lifs = ir.nodes().stream().filter(n -> n.op() instanceof Op.Spiking).toList();
        assertEquals(3, lifs.size());
        for (Node n : lifs) assertEquals(4096, n.neurons());
        assertEquals(3L * 4096 * 300, ir.totals().synapses());
        assertFalse(ir.nodes().stream().anyMatch(n -> n.op() instanceof Op.Conv));
    }
}
