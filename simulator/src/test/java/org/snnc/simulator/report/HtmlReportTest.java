package org.snnc.simulator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.SeededWeights;
import org.snnc.compiler.program.SequentialPlacement;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;
import org.snnc.simulator.Costs;
import org.snnc.simulator.Engine;
import org.snnc.simulator.EventEngine;
import org.snnc.simulator.InputSpikes;
import org.snnc.simulator.SimReport;
import org.snnc.simulator.SimResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The HTML report of a real run: well-formed, one bar per spiking layer at the right height, escaped names, one heat-map cell per core. */
class HtmlReportTest {

    static final String NET = """
            network Small(T: int = 10) {
              timesteps T
              neuron lif = LIF(leak: 0.95, threshold: 1.0, reset: subtract)
              input x: [2, 8, 8] encode poisson
              output y = x -> conv(6, kernel: 3) -> lif -> avgpool(2) -> conv(8, kernel: 3) -> lif
                           -> flatten -> dense(40) -> lif -> dense(5) -> accumulate
            }
            """;

    static SimReport run(String target) {
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("small.snn", NET, Map.of(), d).orElseThrow(() -> new AssertionError(d.sorted()));
        Target t = TargetLoader.preset(target);
        Program p = ProgramBuilder.build(ir, t, new SeededWeights(5, 3.0, 0.2), new SequentialPlacement()).program();
        Costs costs = Costs.of(t);
        SimResult r = new EventEngine(1).run(p, costs, 10, InputSpikes.poisson(p.inputChannels(), 0.3, 7), Engine.Options.quiet());
        return SimReport.of(p, t, costs, "event", 7, 0.3, r, false, List.of("a note with <b>markup</b> & ampersand"));
    }

    static Document parse(String page) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // The page must stand alone: no DTD or entity is fetched to parse it.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    }

    static Element byId(Document doc, String id) {
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) return e;
        }
        throw new AssertionError("no element with id " + id);
    }

    static List<Element> withClass(Element root, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList l = root.getElementsByTagNameNS("*", tag);
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            if (cls.equals(e.getAttribute("class"))) out.add(e);
        }
        return out;
    }

    static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }

    @Test
    void oneBarPerSpikingLayerWithHeightProportionalToItsRate() throws Exception {
        SimReport rep = run("loihi");
        Document doc = parse(HtmlReport.render(rep, 0.5));
        List<Element> bars = withClass(byId(doc, "spike-rates"), "rect", "bar");
        Program p = rep.program();
        List<String> names = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (Program.Population pop : p.populations()) {
            if (pop.params().integrator()) continue;
            names.add(pop.layer());
            // Eq. 8 counted here from the raw counters, not through the report's helper.
            rates.add((double) rep.result().popSpikes()[pop.id()] / pop.size());
        }
        assertEquals(3, names.size());
        assertEquals(names.size(), bars.size());
        double maxRate = rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(maxRate > 0, "the test network should spike");
        double axisMax = Axis.covering(maxRate, 5).max();
        for (int i = 0; i < bars.size(); i++) {
            Element bar = bars.get(i);
            assertEquals(names.get(i), bar.getAttribute("data-category"));
            double expected = rates.get(i) / axisMax * BarChart.PLOT_HEIGHT;
            assertEquals(expected, num(bar, "height"), 0.006, names.get(i));
            // The bar stands on the axis: its bottom is the same for all.
            assertEquals(num(bars.get(0), "y") + num(bars.get(0), "height"), num(bar, "y") + num(bar, "height"), 0.011);
        }
        // The table gives the per-step probability beside the rate: rate / T as a percentage.
        String page = HtmlReport.render(rep, 0.5);
        assertTrue(page.contains(Fmt.percent(rates.get(0) / rep.result().steps())), "per-step probability of the first layer");
    }

    @Test
    void heatMapHasOneCellPerCoreOnEveryChipInUse() throws Exception {
        SimReport rep = run("loihi");
        Document doc = parse(HtmlReport.render(rep, 0.5));
        Program p = rep.program();
        for (String id : List.of("heat-synops", "heat-packets")) {
            List<Element> cells = withClass(byId(doc, id), "rect", "core");
            assertEquals(p.cores().count(), cells.size(), id);
            Set<String> seen = new HashSet<>();
            for (Element c : cells) {
                assertTrue(seen.add(c.getAttribute("data-core")), "core drawn twice: " + c.getAttribute("data-core"));
                Element title = (Element) c.getElementsByTagNameNS("*", "title").item(0);
                assertTrue(title.getTextContent().startsWith("core " + c.getAttribute("data-core") + " "), title.getTextContent());
            }
        }
        // The busiest core takes the top of the scale.
        List<Element> cells = withClass(byId(doc, "heat-synops"), "rect", "core");
        long max = 0;
        for (long v : rep.result().core().synOps()) max = Math.max(max, v);
        for (Element c : cells) {
            int k = Integer.parseInt(c.getAttribute("data-core"));
            if (rep.result().core().synOps()[k] == max) assertEquals("#fde725", c.getAttribute("fill"));
        }
        // Each core's tooltip names its layer.
        String title = cells.get(0).getElementsByTagNameNS("*", "title").item(0).getTextContent();
        assertTrue(title.contains("layer " + p.populations().get(0).layer() + ":"), title);
    }

    @Test
    void namesFromUserFilesAreEscaped() throws Exception {
        SimReport rep = run("loihi");
        Program p = rep.program();
        String evil = "<script>alert('x')</script>";
        List<Program.Population> pops = new ArrayList<>(p.populations());
        Program.Population first = pops.get(0);
        pops.set(0, new Program.Population(first.id(), evil, first.size(), first.offset(), first.params(), first.quant()));
        Program.Header h = p.header();
        Program.Header header = new Program.Header(h.formatVersion(), "Net&\"Co\"", List.of(new Program.SourceHash("a<b>.snn", "00")),
                h.target(), h.seed(), h.timesteps());
        Program renamed = new Program(header, p.mesh(), p.inputs(), pops, p.synapses(), p.layers(), p.cores(), p.routes(), p.host());
        SimReport hostile = new SimReport(renamed, rep.target(), rep.costs(), rep.engine(), rep.inputSeed(), rep.inputRate(),
                rep.result(), rep.paper(), rep.hardware(), rep.notes());
        String page = HtmlReport.render(hostile, 0.5);
        assertFalse(page.contains("<script"), "an unescaped script element");
        assertFalse(page.contains("<b>"), "an unescaped note");
        assertTrue(page.contains("&lt;script&gt;"));
        Document doc = parse(page);
        assertEquals(evil, withClass(byId(doc, "spike-rates"), "rect", "bar").get(0).getAttribute("data-category"));
        assertEquals("Net&\"Co\" on loihi — snnc sim report", doc.getElementsByTagNameNS("*", "title").item(0).getTextContent());
    }

    @Test
    void energyByLayerAndStaticAddUpToTheHardwareTotal() throws Exception {
        for (String target : TargetLoader.PRESETS) {
            SimReport rep = run(target);
            double sum = rep.hardware().staticPj();
            for (double[] layer : HtmlReport.forTest(rep).layerEnergy()) for (double v : layer) sum += v;
            assertEquals(rep.hardware().totalPj(), sum, 1e-9 * rep.hardware().totalPj(), target);
            // The stacked bar of the run: its segments are the energy kinds and sum to the total.
            Document doc = parse(HtmlReport.render(rep, 0.5));
            double drawn = 0;
            for (Element s : withClass(byId(doc, "energy-kinds"), "rect", "segment")) drawn += num(s, "data-value");
            assertEquals(rep.hardware().totalPj(), drawn, 1e-9 * rep.hardware().totalPj(), target);
        }
    }

    @Test
    void writeReplacesTheFileAtomicallyAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        SimReport rep = run("loihi");
        Path out = dir.resolve("report.html");
        Files.writeString(out, "old");
        HtmlReport.write(rep, 0.25, out);
        String page = Files.readString(out);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        parse(page);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList());
        }
    }

    @Test
    void aCoreSlotBeyondTheTileIsRefused() {
        Program.Mesh mesh = new Program.Mesh(1, 1, 1, 1, 1);
        Program.Cores cores = new Program.Cores(new int[] {0, 0}, new int[] {0, 0}, new int[] {0, 0}, new int[] {0, 1});
        assertThrows(IllegalArgumentException.class, () -> HeatMap.slots(mesh, cores));
    }
}
