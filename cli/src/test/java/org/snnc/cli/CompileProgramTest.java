package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramReader;

/** {@code snnc compile -o}, and {@code sim}'s mapped placement against the sequential one. */
class CompileProgramTest {

    static final String MLP = SimCommandTest.MLP;

    /**
     * Two conv layers, the first tiled over five Loihi cores (4,608 neurons), then a readout; small
     * enough for the dense engine's weight matrix.
     */
    static final String CONV = """
            network Conv(T: int = 4) {
              timesteps T
              neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
              input x: [2, 24, 24] encode poisson
              output y = x -> conv(8, kernel: 3, padding: 1) -> lif
                -> conv(16, kernel: 3, stride: 4, padding: 1) -> lif
                -> flatten -> dense(10) -> accumulate
            }
            """;

    @TempDir
    Path dir;

    private Path conv() throws Exception {
        Path f = dir.resolve("conv.snn");
        Files.writeString(f, CONV);
        return f;
    }

    @Test
    void compileWritesTheProgramThatSimBuilds() throws Exception {
        for (String file : new String[] {MLP, conv().toString()}) {
            Path prog = dir.resolve("p.snnp");
            CliRun c = CliRun.of("compile", file, "--target", "loihi", "-o", prog.toString(), "--seed", "7",
                    "--weight-gain", "1.5", "--format", "json");
            assertEquals(0, c.exitCode(), c.err());
            JsonNode written = CliTest.JSON.readTree(c.out()).get("program");
            assertEquals(prog.toString(), written.get("path").asText());
            assertEquals(Files.size(prog), written.get("bytes").asLong());
            assertEquals("mapped", written.get("placement").asText());
            assertEquals(7, written.get("seed").asLong());
            // The program's cores are the mapping's.
            assertEquals(CliTest.JSON.readTree(c.out()).get("mapping").get("cores_used").asInt(), written.get("cores").asInt());

            JsonNode loaded = SimCommandTest.json(CliRun.of("sim", "--program", prog.toString(), "--steps", "3", "--seed", "7",
                    "--format", "json"));
            JsonNode direct = SimCommandTest.json(CliRun.of("sim", file, "--target", "loihi", "--steps", "3", "--seed", "7",
                    "--weight-gain", "1.5", "--format", "json"));
            assertEquals("mapped", direct.get("placement").asText());
            assertEquals(SimCommandTest.counts(direct), SimCommandTest.counts(loaded), file);
            assertTrue(loaded.get("totals").get("spikes").asLong() > 0, file);
        }
    }

    @Test
    void enginesAgreeOnTheMappedProgram() throws Exception {
        String file = conv().toString();
        JsonNode event = SimCommandTest.json(CliRun.of("sim", file, "--target", "loihi", "--steps", "3", "--format", "json",
                "--placement", "mapped", "--threads", "2"));
        JsonNode dense = SimCommandTest.json(CliRun.of("sim", file, "--target", "loihi", "--steps", "3", "--format", "json",
                "--placement", "mapped", "--engine", "dense"));
        assertEquals(SimCommandTest.counts(event), SimCommandTest.counts(dense));
        // The conv layers span several tiles of the mesh, so spikes travel between routers.
        assertTrue(event.get("totals").get("hops_east_west").asLong() + event.get("totals").get("hops_north_south").asLong() > 0,
                event.get("totals").toString());
    }

    @Test
    void placementsDifferInWhereNeuronsGoNotInWhatTheyCompute() throws Exception {
        String file = conv().toString();
        JsonNode mapped = SimCommandTest.json(CliRun.of("sim", file, "--target", "loihi", "--steps", "3", "--format", "json"));
        JsonNode sequential = SimCommandTest.json(CliRun.of("sim", file, "--target", "loihi", "--steps", "3", "--format", "json",
                "--placement", "sequential"));
        assertEquals("sequential", sequential.get("placement").asText());
        assertEquals(mapped.get("layers"), sequential.get("layers"));
        assertNotEquals(mapped.get("cores"), sequential.get("cores"));
    }

    @Test
    void textSummaryAndAtomicFile() throws Exception {
        Path prog = dir.resolve("mlp.snnp");
        CliRun c = CliRun.of("compile", MLP, "--target", "loihi", "-o", prog.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("wrote " + prog + " ("), c.out());
        assertTrue(c.out().contains("mapped placement"), c.out());
        Program p = ProgramReader.read(prog);
        assertEquals("MLP", p.header().network());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside the program");
        }
        CliRun emit = CliRun.of("compile", MLP, "--target", "loihi", "-o", prog.toString(), "--emit", "mapping");
        assertEquals(0, emit.exitCode(), emit.err());
        assertTrue(emit.out().startsWith("mapping of MLP onto loihi: "), emit.out());
        assertTrue(emit.err().startsWith("wrote " + prog), emit.err());
    }

    @Test
    void unsupportedMappingsFallBackLoudlyOrFail() throws Exception {
        // 8,192 inputs per neuron exceed Loihi's 4,096 input axons: the mapping joins compartments,
        // which a program holds for a dense layer...
        Path wide = dir.resolve("wide.snn");
        Files.writeString(wide, """
                network Wide(T: int = 2) {
                  timesteps T
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [2, 64, 64] encode poisson
                  output y = x -> flatten -> dense(4) -> lif
                }
                """);
        CliRun joined = CliRun.of("sim", wide.toString(), "--target", "loihi", "--placement", "mapped");
        assertEquals(0, joined.exitCode(), joined.err());
        assertTrue(joined.out().contains("lif1/c1 (joined)"), joined.out());
        // ... but not over a sparse layer's draws.
        Files.writeString(wide, """
                network WideSparse(T: int = 2) {
                  timesteps T
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [2, 64, 64] encode poisson
                  output y = x -> flatten -> sparse(4, fan_in: 6000, seed: 1) -> lif
                }
                """);
        CliRun asked = CliRun.of("sim", wide.toString(), "--target", "loihi", "--placement", "mapped");
        assertEquals(1, asked.exitCode());
        assertTrue(asked.err().startsWith("snnc: error: --placement mapped: layer 'lif1': the mapping joins "), asked.err());
        assertTrue(asked.err().contains("use --placement sequential"), asked.err());

        // On TrueNorth a neuron may target one core; the 300 neurons of lif2 take two cores, so the
        // mapping relays lif1's spikes through splitter cores. A program holds no splitter neurons:
        // its spikes go straight to both cores, and a note says so.
        Path split = dir.resolve("split.snn");
        Files.writeString(split, """
                network Split(T: int = 2) {
                  timesteps T
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [64] encode poisson
                  output y = x -> dense(200) -> lif -> dense(300) -> lif
                }
                """);
        JsonNode mapped = SimCommandTest.json(CliRun.of("sim", split.toString(), "--target", "truenorth", "--format", "json"));
        assertEquals("mapped", mapped.get("placement").asText());
        assertTrue(mapped.get("notes").toString().contains("splitters: the mapping's "), mapped.get("notes").toString());
        CliRun written = CliRun.of("compile", split.toString(), "--target", "truenorth", "-o", dir.resolve("s.snnp").toString(),
                "--placement", "mapped");
        assertEquals(0, written.exitCode(), written.err());
    }

    @Test
    void badOutputInvocations() throws Exception {
        assertEquals(2, CliRun.of("compile", MLP, "-o", dir.resolve("x.snnp").toString()).exitCode());
        assertEquals(2, CliRun.of("sim", "--program", "x.snnp", "--placement", "mapped").exitCode());
        Path busy = dir.resolve("busy");
        Files.createDirectories(busy.resolve("inside"));
        CliRun nowhere = CliRun.of("compile", MLP, "--target", "loihi", "-o", busy.toString());
        assertEquals(1, nowhere.exitCode());
        assertTrue(nowhere.err().startsWith("snnc: error: cannot write the program to "), nowhere.err());
    }
}
