package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snnc train and eval on a tiny network: files written, JSON keys of DESIGN.md §9, user errors. */
class TrainEvalCliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DATA = "shapes:classes=3,size=8,train=8,val=4,seed=2";

    @TempDir
    Path dir;
    Path snn;
    Path run;

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
        run = dir.resolve("run");
    }

    private CliRun train(String... extra) {
        return trainOn(DATA, extra);
    }

    private CliRun trainOn(String data, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", snn.toString(), "--data", data, "--batch", "4",
                "--threads", "1", "--log-every", "1", "-o", run.toString()));
        args.addAll(Arrays.asList(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void trainWritesMetricsAndCheckpointThenEvalPrintsTheContractKeys() throws IOException {
        CliRun t = train("--steps", "3");
        assertEquals(0, t.exitCode(), t.err());
        assertTrue(t.out().contains("trained 3 steps"), t.out());
        assertTrue(t.err().contains("step 3/3"), t.err());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        // Steps 1, 2, the validation closing epoch 1, step 3, the final validation.
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals(3, JSON.readTree(lines.get(3)).get("step").asInt());
        assertTrue(JSON.readTree(lines.get(3)).has("loss"));
        assertTrue(JSON.readTree(lines.get(2)).has("miou"));
        assertTrue(JSON.readTree(lines.get(lines.size() - 1)).has("miou"));
        assertTrue(Files.size(run.resolve("checkpoint.safetensors")) > 0);
        JsonNode sidecar = JSON.readTree(run.resolve("checkpoint.json").toFile());
        assertEquals(3, sidecar.get("step").asInt());
        assertEquals(64, sidecar.get("sources").get(0).get("sha256").asText().length());

        CliRun e = CliRun.of("eval", snn.toString(), "--data", DATA, "--weights", run.toString(), "--format", "json",
                "--threads", "1");
        assertEquals(0, e.exitCode(), e.err());
        JsonNode root = JSON.readTree(e.out());
        assertTrue(root.get("miou").isNumber());
        assertTrue(root.get("pixel_accuracy").isNumber());
        assertEquals(3, root.get("per_class_iou").size());
        assertEquals(List.of("image", "lif1"), fieldNames(root.get("spike_rates")));
        double rate = root.get("spike_rates").get("lif1").asDouble();
        assertTrue(rate >= 0 && rate <= 2, "spike rate " + rate + " outside [0, T]");

        CliRun noisy = CliRun.of("eval", snn.toString(), "--data", DATA, "--weights",
                run.resolve("checkpoint.safetensors").toString(), "--noise", "0.2", "--split", "train");
        assertEquals(0, noisy.exitCode(), noisy.err());
        assertTrue(noisy.out().contains("mIoU"), noisy.out());
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void resumeContinuesFromTheCheckpointStep() throws IOException {
        assertEquals(0, train("--steps", "2").exitCode());
        CliRun r = CliRun.of("train", snn.toString(), "--data", DATA, "--batch", "4", "--threads", "1", "--steps", "4",
                "--resume", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(4, JSON.readTree(run.resolve("checkpoint.json").toFile()).get("step").asInt());
    }

    @Test
    void mismatchedOrBrokenWeightsAreUserErrorsNamingTheProblem() throws IOException {
        assertEquals(0, train("--steps", "1").exitCode());
        CliRun wider = CliRun.of("eval", snn.toString(), "--param", "c=5", "--data", DATA, "--weights", run.toString());
        assertEquals(1, wider.exitCode());
        assertTrue(wider.err().contains("tensor 'conv1.weight' has shape [4,3,3,3]"), wider.err());
        assertTrue(wider.err().contains("the network needs [5,3,3,3]"), wider.err());

        Path w = run.resolve("checkpoint.safetensors");
        byte[] bytes = Files.readAllBytes(w);
        Files.write(w, Arrays.copyOf(bytes, bytes.length - 10));
        CliRun cut = CliRun.of("eval", snn.toString(), "--data", DATA, "--weights", w.toString());
        assertEquals(1, cut.exitCode());
        assertTrue(cut.err().contains("truncated"), cut.err());
        assertFalse(cut.err().contains("Exception"), cut.err());

        CliRun missing = CliRun.of("eval", snn.toString(), "--data", DATA, "--weights", dir.resolve("nope.safetensors").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    void badDataSpecsAndMismatchesSayWhat() {
        CliRun key = trainOn("shapes:colors=3");
        assertEquals(1, key.exitCode());
        assertTrue(key.err().contains("unknown key 'colors'"), key.err());
        CliRun classes = trainOn("shapes:classes=5,size=8,train=8,val=4");
        assertEquals(1, classes.exitCode());
        assertTrue(classes.err().contains("has 5 classes but output 'seg' has 3 channels (try --param classes=5)"),
                classes.err());
        CliRun size = trainOn("shapes:classes=3,size=16,train=8,val=4");
        assertEquals(1, size.exitCode());
        assertTrue(size.err().contains("--param size=16"), size.err());
        CliRun batch = CliRun.of("train", snn.toString(), "--data", DATA, "--batch", "16", "--steps", "1", "-o", run.toString());
        assertEquals(1, batch.exitCode());
        assertTrue(batch.err().contains("batch 16 is larger than the 8 training samples"), batch.err());
        assertEquals(2, train("--steps", "1", "--epochs", "2").exitCode());
    }

    @Test
    void eventFramesTrainAnEventsInputWhoseTimeStepsTheyMatch() throws IOException {
        Files.writeString(snn, """
                network Dvs(classes: int = 3, size: int = 8, T: int = 3) {
                  timesteps T
                  input events: [2, size, size] encode events(polarity: 2, window_ms: 50)
                  output seg = events -> conv(4, kernel: 3) -> bntt -> LIF() -> conv(classes, kernel: 1) -> accumulate
                }
                """);
        CliRun ok = trainOn("dvs-shapes:classes=3,size=8,timesteps=3,train=8,val=4", "--steps", "2");
        assertEquals(0, ok.exitCode(), ok.err());
        CliRun steps = trainOn("dvs-shapes:classes=3,size=8,timesteps=5,train=8,val=4", "--steps", "1");
        assertEquals(1, steps.exitCode());
        assertTrue(steps.err().contains("has 5 frames per sample but " + snn + " runs 3 time steps (set the data's"
                + " timesteps=3, or --param T=5)"), steps.err());
        Files.writeString(snn, Files.readString(snn).replace("encode events(polarity: 2, window_ms: 50)", "encode poisson"));
        CliRun poisson = trainOn("dvs-shapes:classes=3,size=8,timesteps=3,train=8,val=4", "--steps", "1");
        assertEquals(1, poisson.exitCode());
        assertTrue(poisson.err().contains("gives event frames, one per time step, but input 'events' of " + snn
                + " is encoded poisson; declare it 'encode events(polarity: 2, window_ms: ...)'"), poisson.err());
    }
}
