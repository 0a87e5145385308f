package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileMappingTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void deeplabNeedsMoreThanOneLoihiChip() throws Exception {
        CliRun r = CliRun.of("compile", EXAMPLES.resolve("deeplab.snn").toString(), "--target", "loihi", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode m = new ObjectMapper().readTree(r.out()).get("mapping");
        assertEquals("loihi", m.get("target").asText());
        assertTrue(m.get("cores_used").asInt() > 128, "cores " + m.get("cores_used"));
        JsonNode core = m.get("cores").get(0);
        for (String key : new String[] {"id", "layer", "neurons", "input_axons", "synapse_bits", "fanout"}) {
            assertTrue(core.has(key), key);
        }
        assertEquals(m.get("cores_used").asInt(), m.get("cores").size());
        assertEquals("upsample1", m.get("host_ops").get(1).get("node").asText());
    }

    @Test
    void table1JoinsCompartmentsForTheWideConv() throws Exception {
        CliRun r = CliRun.of("compile", EXAMPLES.resolve("deeplab-table1.snn").toString(), "--target", "loihi",
                "--param", "size=32", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode layers = new ObjectMapper().readTree(r.out()).get("mapping").get("layers");
        JsonNode lif9 = null;
        for (JsonNode l : layers) if (l.get("name").asText().equals("lif9")) lif9 = l;
        assertEquals("conv9", lif9.get("inputs").get(0).asText());
        assertTrue(lif9.get("join").asInt() > 1, "9,216 inputs per neuron need joined compartments");
        assertTrue(lif9.get("compartment_cores").asInt() > 0);
    }

    @Test
    void textReportAndPasses() {
        CliRun r = CliRun.of("compile", EXAMPLES.resolve("mlp.snn").toString(), "--target", "loihi", "--emit", "mapping");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("mapping of MLP onto loihi: "), r.out());
        CliRun p = CliRun.of("compile", "--passes");
        assertEquals(0, p.exitCode());
        assertEquals(7, p.out().lines().count());
        assertTrue(p.out().startsWith("fold "), p.out());
        assertTrue(p.out().contains("\nquantize "), p.out());
        assertTrue(p.out().indexOf("\nquantize ") < p.out().indexOf("\npopulations "), "fold, quantize, then populations");
    }

    @Test
    void largeNetworksComputeTheLoweringReportsOnlyOnRequest() throws Exception {
        CliRun t = CliRun.of("compile", EXAMPLES.resolve("deeplab.snn").toString(), "--param", "size=32", "--param",
                "width=0.5", "--target", "loihi", "--emit", "mapping");
        assertEquals(0, t.exitCode(), t.err());
        assertTrue(!t.out().contains("lowering:"), t.out());
        CliRun l = CliRun.of("compile", EXAMPLES.resolve("mlp.snn").toString(), "--target", "loihi", "--emit", "lowered");
        assertEquals(0, l.exitCode(), l.err());
        assertTrue(l.out().startsWith("lowering: weights: seeded"), l.out());
        assertTrue(l.out().contains("  quantize  if1: scale "), l.out());
    }

    @Test
    void foldAndQuantizeReportsInTextAndJson() throws Exception {
        CliRun t = CliRun.of("compile", EXAMPLES.resolve("mlp.snn").toString(), "--target", "loihi");
        assertEquals(0, t.exitCode(), t.err());
        assertTrue(t.out().contains("\nlowering: weights: seeded Xavier-uniform weights (seed 1"), t.out());
        assertTrue(t.out().contains("  fold      batchnorm1: batchnorm runs as the identity"), t.out());
        assertTrue(t.out().contains("  quantize  if1: scale "), t.out());
        CliRun j = CliRun.of("compile", EXAMPLES.resolve("mlp.snn").toString(), "--target", "loihi", "--format", "json");
        assertEquals(0, j.exitCode(), j.err());
        JsonNode l = new ObjectMapper().readTree(j.out()).get("lowering");
        assertEquals("batchnorm1", l.get("fold").get(0).get("layer").asText());
        assertTrue(l.get("fold").get(0).get("identity").asBoolean());
        JsonNode q = l.get("quantize");
        assertEquals(3, q.size());
        assertEquals("if1", q.get(0).get("layer").asText());
        assertEquals(8, q.get(0).get("weight_bits").asInt());
        // IF neurons have no leak; the threshold is the scale's rounding at exponent 0 (θ = 1).
        assertEquals(1.0, q.get(0).get("effective_leak").asDouble());
        assertEquals(Math.round(q.get(0).get("scale").asDouble()), q.get(0).get("threshold").asLong());
        assertTrue(q.get(2).get("readout").asBoolean());
        assertEquals(0, l.get("warnings").size());
    }

    @Test
    void trueNorthRelaysWideFanInAndSaysSoPerLayer() throws Exception {
        CliRun r = CliRun.of("compile", EXAMPLES.resolve("deeplab.snn").toString(), "--target", "truenorth",
                "--param", "size=32", "--param", "width=0.25", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode m = new ObjectMapper().readTree(r.out()).get("mapping");
        JsonNode lif3 = null;
        for (JsonNode l : m.get("layers")) if (l.get("name").asText().equals("lif3")) lif3 = l;
        assertEquals("relay", lif3.get("split").asText(), lif3.toString());
        assertTrue(lif3.get("relay_cores").asInt() > 0);
        boolean said = false;
        for (JsonNode a : m.get("approximations")) said |= a.asText().startsWith("conv3 -> lif3: ");
        assertTrue(said, m.get("approximations").toString());
    }

    @Test
    void infeasibleMappingIsALocatedErrorWithExitOne(@TempDir Path dir) throws Exception {
        // TrueNorth without its relays: a 3x3 conv over 64 channels does not fit 256 axons.
        String tn = Files.readString(EXAMPLES.resolve("targets/truenorth.yaml"));
        Path none = dir.resolve("tn-none.yaml");
        Files.writeString(none, tn.replaceFirst("fan_in_split: +\\{ value: relay,", "fan_in_split: { value: none,"));
        CliRun r = CliRun.of("compile", EXAMPLES.resolve("deeplab.snn").toString(), "--target", none.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("error[MAP001]: layer conv2 (feeding lif2) needs 576 input axons per core"), r.err());
        assertTrue(r.err().contains("help: "));
        assertFalse(r.err().contains("Exception"));
    }

    @Test
    void badTargetGivesLocatedErrorsAndExitOne(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "schema_version: 1\nname: bad\n");
        CliRun r = CliRun.of("compile", EXAMPLES.resolve("mlp.snn").toString(), "--target", bad.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("bad.yaml:"), r.err());
        assertFalse(r.err().contains("Exception"));
        CliRun u = CliRun.of("compile", EXAMPLES.resolve("mlp.snn").toString(), "--target", "lohi");
        assertEquals(1, u.exitCode());
        assertTrue(u.err().contains("did you mean 'loihi'?"), u.err());
    }
}
