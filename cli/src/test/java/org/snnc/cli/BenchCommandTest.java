package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snnc bench train on a tiny network: the JSON keys of DESIGN.md §9 and user errors (no timings asserted). */
class BenchCommandTest {

    @TempDir
    Path dir;
    Path snn;

    @BeforeEach
    void writeNetwork() throws IOException {
        snn = dir.resolve("tiny.snn");
        Files.writeString(snn, """
                network Tiny(c: int = 4, classes: int = 3, size: int = 8, T: int = 2) {
                  timesteps T
                  input image: [3, size, size] encode signed_poisson
                  output seg = image -> conv(c, kernel: 3) -> bntt -> LIF() -> conv(classes, kernel: 1) -> accumulate
                }
                """);
    }

    @Test
    void jsonHasTheContractKeysAndTheConfig() throws IOException {
        CliRun r = CliRun.of("bench", "train", snn.toString(), "--param", "c=5", "--batch", "2", "--threads", "1",
                "--warmup", "1", "--runs", "3", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertTrue(o.get("median_step_seconds").asDouble() > 0, r.out());
        assertEquals(3, o.get("runs").asInt());
        assertEquals(3, o.get("step_seconds").size());
        assertTrue(o.get("peak_heap_bytes").asLong() > 0, r.out());
        assertTrue(o.has("peak_rss_bytes"), r.out());
        assertEquals("train", o.get("kind").asText());
        assertEquals("Tiny", o.get("network").asText());
        assertEquals("5", o.get("params").get("c").asText());
        assertEquals(2, o.get("batch").asInt());
        assertEquals(2, o.get("timesteps").asInt());
        assertEquals(1, o.get("threads").asInt());
    }

    @Test
    void simCountsTheSameEventsEveryRunAndReportsTheContractKeys() throws IOException {
        CliRun r = CliRun.of("bench", "sim", "../examples/mlp.snn", "--target", "loihi", "--steps", "8", "--threads", "1",
                "--warmup", "1", "--runs", "2", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertTrue(o.get("synaptic_events_per_second").asDouble() > 0, r.out());
        assertEquals(2, o.get("runs").asInt());
        assertTrue(o.get("peak_heap_bytes").asLong() > 0, r.out());
        assertEquals("sim", o.get("kind").asText());
        // The events of one run are those `snnc sim` counts on the same network, seed and steps.
        CliRun sim = CliRun.of("sim", "../examples/mlp.snn", "--target", "loihi", "--steps", "8", "--threads", "1",
                "--format", "json");
        assertEquals(0, sim.exitCode(), sim.err());
        assertEquals(new ObjectMapper().readTree(sim.out()).get("totals").get("synaptic_ops").asLong(),
                o.get("synaptic_events_per_run").asLong());
    }

    @Test
    void textNamesTheMedian() {
        CliRun r = CliRun.of("bench", "train", snn.toString(), "--threads", "1", "--warmup", "0", "--runs", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("median") && r.out().contains("per training step"), r.out());
    }

    @Test
    void helpListsTheKindsAndAKindIsRequired() {
        CliRun help = CliRun.of("bench", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("train") && help.out().contains("sim"), help.out());
        CliRun none = CliRun.of("bench");
        assertNotEquals(0, none.exitCode());
        assertTrue(none.err().contains("train"), none.err());
    }

    @Test
    void badCountsAndBrokenNetworksAreUserErrors() throws IOException {
        CliRun r = CliRun.of("bench", "train", snn.toString(), "--runs", "0");
        assertEquals(ExitCodes.USER_ERROR, r.exitCode(), r.err());
        Path broken = dir.resolve("broken.snn");
        Files.writeString(broken, "network Broken( {");
        CliRun b = CliRun.of("bench", "train", broken.toString());
        assertEquals(ExitCodes.USER_ERROR, b.exitCode(), b.err());
    }
}
