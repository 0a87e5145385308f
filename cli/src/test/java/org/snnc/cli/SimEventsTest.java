package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snnc sim --events FILE} and event data sets: frames reach the input channels step by step. */
class SimEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path snn;

    @BeforeEach
    void writeNetwork() throws IOException {
        snn = dir.resolve("dvs.snn");
        Files.writeString(snn, """
                network Dvs(size: int = 8, T: int = 3) {
                  timesteps T
                  input events: [2, size, size] encode events(polarity: 2, window_ms: 10)
                  output seg = events -> conv(2, kernel: 3, padding: 1) -> LIF() -> conv(3, kernel: 1) -> accumulate
                }
                """);
    }

    @Test
    void eventsFileSpikesWhereEventsFell() throws IOException {
        // Sensor 16x16 onto an 8x8 input: sensor pixels (2,2) and (3,3) share input pixel (1,1).
        Path ev = dir.resolve("rec.txt");
        Files.writeString(ev, """
                snnc-events 1 width=16 height=16
                0 2 2 1
                500 3 3 1
                12000 2 2 0
                25000 15 15 1
                31000 0 0 1
                """);
        CliRun r = CliRun.of("sim", snn.toString(), "--target", "loihi", "--events", ev.toString(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = JSON.readTree(r.out());
        // Step 0: ON (1,1) (two events, one spike); step 1: OFF (1,1); step 2: ON (7,7); the last event is outside.
        assertEquals(3, root.get("totals").get("input_spikes").asLong());
        assertTrue(root.get("notes").toString().contains("1 of 5 events fall outside"), root.get("notes").toString());
    }

    @Test
    void eventsNeedAnEventsInputAndAWindow() throws IOException {
        Path ev = dir.resolve("rec.txt");
        Files.writeString(ev, "snnc-events 1 width=8 height=8\n0 1 1 1\n");
        CliRun wrong = CliRun.of("sim", "../examples/mlp.snn", "--target", "loihi", "--events", ev.toString());
        assertEquals(1, wrong.exitCode());
        assertTrue(wrong.err().contains("input encoded as events"), wrong.err());
        Path prog = dir.resolve("p.snnp");
        assertEquals(0, CliRun.of("compile", snn.toString(), "--target", "loihi", "-o", prog.toString()).exitCode());
        CliRun noWindow = CliRun.of("sim", "--program", prog.toString(), "--events", ev.toString());
        assertEquals(1, noWindow.exitCode());
        assertTrue(noWindow.err().contains("--window-ms"), noWindow.err());
        CliRun bad = CliRun.of("sim", snn.toString(), "--target", "loihi", "--events", dir.resolve("none.txt").toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("no such file"), bad.err());
    }

    @Test
    void eventDataSetsRunTheirFrames() throws IOException {
        CliRun r = CliRun.of("sim", snn.toString(), "--target", "loihi", "--data", "dvs-shapes:classes=3,size=8,timesteps=3",
                "--samples", "2", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = JSON.readTree(r.out());
        assertTrue(root.get("notes").toString().contains("sequence of event frames"), root.get("notes").toString());
        assertTrue(root.get("totals").get("input_spikes").asLong() > 0);
        assertTrue(root.get("prediction").get("pixel_accuracy").isNumber());
    }
}
