package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snnc sim}: the JSON contract of DESIGN.md §9, the engines through the CLI, saved programs, errors. */
class SimCommandTest {

    static final String MLP = "../examples/mlp.snn";

    @TempDir
    Path dir;

    static JsonNode json(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        return CliTest.JSON.readTree(run.out());
    }

    /** The counts and energies, without the wall-clock figures that differ between runs. */
    static JsonNode counts(JsonNode j) {
        ObjectNode o = (ObjectNode) j.deepCopy();
        // A loaded program does not record its placement, so "placement" is left out too.
        o.remove(List.of("wall_seconds", "loop_seconds", "synaptic_events_per_second", "engine", "notes", "placement"));
        return o;
    }

    @Test
    void jsonHasTheContractKeys() throws Exception {
        JsonNode j = json(CliRun.of("sim", MLP, "--target", "loihi", "--steps", "4", "--format", "json"));
        assertEquals(4, j.get("timesteps").asInt());
        List<String> names = List.of("if1", "if2", "accumulate1");
        assertEquals(3, j.get("layers").size());
        for (int i = 0; i < 3; i++) {
            JsonNode l = j.get("layers").get(i);
            assertEquals(names.get(i), l.get("name").asText());
            assertTrue(l.get("spikes").isIntegralNumber());
            assertTrue(l.get("synaptic_ops").asLong() > 0, l.toString());
            assertEquals(4L * l.get("neurons").asLong(), l.get("neuron_updates").asLong());
        }
        JsonNode t = j.get("totals");
        for (String key : List.of("spikes", "synaptic_ops", "hops", "cycles")) assertTrue(t.get(key).isIntegralNumber(), key);
        long spikes = 0;
        for (JsonNode l : j.get("layers")) spikes += l.get("spikes").asLong();
        assertEquals(spikes, t.get("spikes").asLong());
        assertTrue(j.get("energy").get("paper").asDouble() > 0);
        assertTrue(j.get("energy").get("hardware").asDouble() > 0);
        assertEquals("keras-spiking model_energy.py (it adds 3.5 pJ per synop on top); SANA-FE calibrates 24.0 conv, 33.6 sparse, 35.5 dense [S]",
                j.get("energy").get("hardware_detail").get("constants").get("synaptic_op").get("source").asText());
        assertEquals(0.9, j.get("energy").get("paper_detail").get("e_ac").get("value").asDouble());
    }

    @Test
    void denseAndEventEnginesReportTheSameCounts() throws Exception {
        JsonNode event = json(CliRun.of("sim", MLP, "--target", "generic", "--steps", "3", "--format", "json", "--threads", "2"));
        JsonNode dense = json(CliRun.of("sim", MLP, "--target", "generic", "--steps", "3", "--format", "json", "--engine", "dense"));
        assertEquals(counts(event), counts(dense));
        assertTrue(event.get("totals").get("spikes").asLong() > 0);
    }

    @Test
    void aSavedProgramRunsLikeItsSource() throws Exception {
        Path prog = dir.resolve("mlp.snnp");
        JsonNode built = json(CliRun.of("sim", MLP, "--target", "loihi", "--steps", "3", "--seed", "5", "--format", "json",
                "--save-program", prog.toString()));
        JsonNode loaded = json(CliRun.of("sim", "--program", prog.toString(), "--steps", "3", "--seed", "5", "--format", "json"));
        assertEquals(counts(built), counts(loaded));
    }

    @Test
    void textReportShowsLayersAndEnergy() {
        CliRun run = CliRun.of("sim", MLP, "--target", "generic", "--steps", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("if1 "), run.out());
        assertTrue(run.out().contains("paper E_SNN"), run.out());
        assertTrue(run.out().contains("batchnorm1: batchnorm runs as the identity"), run.out());
    }

    @Test
    void badInvocationsAreUsageOrUserErrors() throws Exception {
        assertEquals(2, CliRun.of("sim").exitCode());
        assertEquals(2, CliRun.of("sim", MLP).exitCode());
        assertEquals(2, CliRun.of("sim", MLP, "--target", "loihi", "--program", "x.snnp").exitCode());
        CliRun rate = CliRun.of("sim", MLP, "--target", "loihi", "--input-rate", "1.5");
        assertEquals(1, rate.exitCode());
        assertEquals("snnc: error: --input-rate 1.5 is not in [0, 1]\n", rate.err());
        CliRun target = CliRun.of("sim", MLP, "--target", "lohi");
        assertEquals(1, target.exitCode());
        assertTrue(target.err().contains("did you mean 'loihi'?"), target.err());

        // A TrueNorth core has 256 axons; the MLP's hidden neurons read ~784 pixels, which only the
        // mapped placement's relays fit.
        CliRun fit = CliRun.of("sim", MLP, "--target", "truenorth", "--placement", "sequential");
        assertEquals(1, fit.exitCode());
        assertTrue(fit.err().matches("snnc: error: \\.\\./examples/mlp\\.snn: layer 'if1': neuron 0 has 7\\d\\d distinct inputs, more than "
                + "the 256 input axons of a core; .*\n"), fit.err());

        Path junk = dir.resolve("junk.snnp");
        Files.writeString(junk, "definitely not a program");
        CliRun bad = CliRun.of("sim", "--program", junk.toString());
        assertEquals(1, bad.exitCode());
        assertEquals("snnc: error: " + junk + ": not an snnc program: the file does not start with the magic 'SNNCPROG'\n", bad.err());

        CliRun missing = CliRun.of("sim", "--program", dir.resolve("none.snnp").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().endsWith("none.snnp: no such file\n"), missing.err());
    }
}
