package org.snnc.simulator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.program.Program;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The chart builders alone: escaping, numbers, axes and a board of several chips. */
class ChartsTest {

    @Test
    void escapeCoversMarkupQuotesAndCharactersXmlForbids() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Svg.esc("<a href=\"x\">&'"));
        assertEquals("a\uFFFDb", Svg.esc("a\u0001b"));
        assertEquals("\uFFFD", Svg.esc("\uD800"));
        assertEquals("😀", Svg.esc("😀"));
    }

    @Test
    void coordinatesAreShort() {
        assertEquals("12", Svg.num(12.0));
        assertEquals("12.5", Svg.num(12.5));
        assertEquals("0.33", Svg.num(1.0 / 3));
        assertEquals("0", Svg.num(-0.001));
    }

    @Test
    void axesEndOnRoundNumbersAboveTheData() {
        assertEquals(new Axis(2.5, 0.5), Axis.covering(2.29, 5));
        assertEquals(new Axis(1000, 200), Axis.covering(913, 5));
        assertEquals(new Axis(0.25, 0.05), Axis.covering(0.25, 5));
        assertEquals(new Axis(1, 0.25), Axis.covering(0, 5));
        Axis a = Axis.covering(7.3e6, 5);
        assertTrue(a.max() >= 7.3e6 && a.max() <= 1e7, a.toString());
    }

    @Test
    void sequentialScaleRunsFromDarkToLight() {
        assertEquals("#440154", Palette.sequential(0));
        assertEquals("#fde725", Palette.sequential(1));
        assertEquals("#21918c", Palette.sequential(0.5));
        assertEquals("#fde725", Palette.sequential(7));
    }

    @Test
    void aBoardOfSeveralChipsDrawsEachChipInUseAndTheBoard() throws Exception {
        // 3 x 2 chips of 2 x 2 tiles with 3 cores each; cores on chips 0, 1 and 5, two sharing a tile.
        Program.Mesh mesh = new Program.Mesh(3, 2, 2, 2, 3);
        int[] chip = {0, 0, 1, 5, 5};
        int[] x = {0, 0, 1, 1, 0};
        int[] y = {0, 0, 1, 0, 1};
        Program.Cores cores = new Program.Cores(chip, x, y, new int[] {0, 1, 2, 3, 4});
        double[] value = {0, 10, 20, 40, 5};
        String[] tips = {"a", "b", "c", "d", "<e>"};
        String html = new HeatMap(mesh, cores, value, tips, "synaptic ops per core", "synaptic ops").html("h");
        Document doc = HtmlReportTest.parse("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>" + html + "</body></html>");
        Element root = HtmlReportTest.byId(doc, "h");
        List<Element> cells = HtmlReportTest.withClass(root, "rect", "core");
        assertEquals(5, cells.size());
        // One SVG per chip in use, plus the legend and the board.
        assertEquals(3 + 2, root.getElementsByTagNameNS("*", "svg").getLength());
        assertEquals(6, HtmlReportTest.withClass(root, "rect", "chip").size());
        // Every slot of the chips in use is drawn, as a core or as empty (one more empty swatch in the legend): 3 chips x 4 tiles x 3 slots.
        assertEquals(36, HtmlReportTest.withClass(root, "rect", "slot").size() - 1 + cells.size());
        // The two cores of one tile sit side by side, not on top of each other.
        assertEquals(HtmlReportTest.num(cells.get(0), "x") + HtmlReportTest.num(cells.get(0), "width") + 1,
                HtmlReportTest.num(cells.get(1), "x"), 1e-9);
        assertEquals("#fde725", cells.get(3).getAttribute("fill"));
        assertEquals("#440154", cells.get(0).getAttribute("fill"));
        assertEquals("<e>", cells.get(4).getElementsByTagNameNS("*", "title").item(0).getTextContent());
        assertEquals(java.util.Arrays.toString(new int[] {0, 1, 0, 0, 0}), java.util.Arrays.toString(HeatMap.slots(mesh, cores)));
    }
}
