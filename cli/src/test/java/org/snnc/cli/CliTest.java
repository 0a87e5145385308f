package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command-line contract of DESIGN.md §9 for the front end: flags, exit codes, JSON keys. */
class CliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everySubcommandHasHelp() {
        CommandLine cli = new CommandLine(new Snnc());
        for (String name : cli.getSubcommands().keySet()) {
            if (name.equals("help")) continue;
            CliRun run = CliRun.of(name, "--help");
            assertEquals(0, run.exitCode(), name);
            assertTrue(run.out().startsWith("Usage: snnc " + name), name + ": " + run.out());
        }
        assertTrue(CliRun.of("--help").out().contains("compile"));
    }

    @Test
    void versionNamesTheRelease() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("snnc 0."), run.out());
    }

    @Test
    void usageErrorsExitWithTwoAndSuggest() {
        CliRun run = CliRun.of("compil", "x.snn");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("compile"), run.err());
        assertEquals(2, CliRun.of("compile").exitCode());
        assertEquals(2, CliRun.of("compile", "../examples/mlp.snn", "--format", "yaml").exitCode());
    }

    @Test
    void compileJsonHasTheLayerTableAndTotals() throws IOException {
        CliRun run = CliRun.of("compile", "../examples/fcn.snn", "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode root = JSON.readTree(run.out());
        assertEquals("SpikingFCN", root.get("network").asText());
        JsonNode first = root.get("layers").get(1);
        for (String key : new String[] {"name", "op", "shape", "neurons", "synapses", "macs"}) {
            assertTrue(first.has(key), key);
        }
        assertEquals(3, first.get("shape").size());
        long sum = 0;
        for (JsonNode layer : root.get("layers")) sum += layer.get("macs").asLong();
        assertEquals(sum, root.get("totals").get("macs").asLong());
        assertTrue(root.get("totals").has("neurons") && root.get("totals").has("synapses"));
    }

    @Test
    void paramsChangeTheNetwork() throws IOException {
        CliRun run = CliRun.of("compile", "../examples/deeplab.snn", "--param", "size=32", "--param", "width=0.25",
                "--param", "classes=4", "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode root = JSON.readTree(run.out());
        assertEquals(32, root.get("params").get("size").asInt());
        JsonNode layers = root.get("layers");
        assertEquals("[4,32,32]", layers.get(layers.size() - 1).get("shape").toString());
    }

    @Test
    void brokenSourcesExitWithOneAndLocatedErrorsAlsoInJson() throws IOException {
        Path bad = dir.resolve("bad.snn");
        Files.writeString(bad, "network N(T: int = 2) {\n  timesteps T\n  input x: [4] encode poisson\n  output y = x -> dens(3)\n}\n");
        CliRun text = CliRun.of("check", bad.toString());
        assertEquals(1, text.exitCode());
        assertTrue(text.err().contains("bad.snn:4:19: error[SNN102]: unknown layer 'dens'"), text.err());
        assertTrue(text.err().contains("help: did you mean 'dense'?"), text.err());
        CliRun json = CliRun.of("compile", bad.toString(), "--format", "json");
        assertEquals(1, json.exitCode());
        JsonNode d = JSON.readTree(json.out()).get("diagnostics").get(0);
        assertEquals(4, d.get("line").asInt());
        assertEquals(19, d.get("column").asInt());
        assertEquals("SNN102", d.get("code").asText());
    }

    @Test
    void checkTakesManyFilesAndReportsEach() throws IOException {
        Path lib = dir.resolve("lib.snn");
        Files.writeString(lib, "block b = conv(3, kernel: 1)\n");
        CliRun run = CliRun.of("check", "../examples/mlp.snn", lib.toString(), "../examples/fcn.snn", "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode files = JSON.readTree(run.out()).get("files");
        assertEquals(3, files.size());
        assertEquals("MLP", files.get(0).get("network").asText());
        assertTrue(files.get(1).get("ok").asBoolean());
        assertTrue(!files.get(1).has("network"));
    }

    @Test
    void emitIrPrintsTheTextForm() {
        CliRun run = CliRun.of("compile", "../examples/mlp.snn", "--emit", "ir");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("network MLP(hidden=256, classes=10, T=16)\ntimesteps 16\n"), run.out());
    }
}
