package org.snnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.runtime.data.ShapesDataset;
import org.snnc.runtime.io.Checkpoint;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Tensor;

class TrainerTest {

    @TempDir
    Path dir;

    static final String NET = """
            network Tiny(T: int = 2) {
              timesteps T
              input image: [3, 8, 8] encode signed_poisson
              output seg = image -> conv(4, kernel: 3) -> bntt -> LIF() -> conv(3, kernel: 1) -> accumulate
            }
            """;

    static SpikingIr ir() {
        return Frontend.compileText("tiny.snn", NET, Map.of(), new Diagnostics()).orElseThrow();
    }

    static final ShapesDataset DATA = new ShapesDataset(new ShapesDataset.Config(3, 8, 8, 4, 1));

    static Trainer trainer(Network net, int epochs, long steps) {
        TrainConfig c = new TrainConfig(epochs, steps, 4, 1e-2, "adam", new double[] {0.5}, 1.0, 5, 2, Init.XAVIER,
                1, 0, 0);
        SpikingIr ir = net.ir();
        return new Trainer(net, DATA, c, new Checkpoint.Info(Checkpoint.FORMAT, ir.network(), ir.params(),
                ir.sources(), 0, 0, 5, "adam", 1e-2, 4, "xavier", DATA.spec()));
    }

    static final Trainer.Listener QUIET = new Trainer.Listener() {
        @Override
        public void step(Trainer.Progress progress) {
        }

        @Override
        public void validated(long step, int epoch, Evaluation evaluation) {
        }
    };

    static Network fresh() {
        return Network.build(ir(), new ModelOptions(5, Init.XAVIER));
    }

    @Test
    void writesMetricsCheckpointAndSidecar() throws IOException {
        Network net = fresh();
        Trainer.Result r = trainer(net, 2, 0).run(dir, QUIET);
        assertEquals(4, r.steps());
        assertEquals(2, r.epochs());
        List<String> lines = Files.readAllLines(dir.resolve(Trainer.METRICS));
        ObjectMapper json = new ObjectMapper();
        // 4 step lines, a validation after epoch 1, a final one.
        assertEquals(6, lines.size(), String.join("\n", lines));
        JsonNode first = json.readTree(lines.get(0));
        for (String k : new String[] {"step", "epoch", "loss", "lr", "seconds"}) assertTrue(first.has(k), k);
        JsonNode last = json.readTree(lines.get(5));
        assertTrue(last.get("miou").asDouble() >= 0 && last.has("pixel_accuracy"), last.toString());
        // Milestone at 50%: steps 3 and 4 ran at a tenth of the rate.
        assertEquals(1e-3, json.readTree(lines.get(3)).get("lr").asDouble(), 1e-12);
        Checkpoint.Info info = Checkpoint.readInfo(dir);
        assertEquals(4, info.step());
        assertEquals("Tiny", info.network());
        assertEquals(64, info.sources().get(0).sha256().length());
        Network loaded = fresh();
        Checkpoint.loadWeights(loaded, dir.resolve(Checkpoint.WEIGHTS));
        for (Tensor t : net.tensors()) {
            assertTrue(java.util.Arrays.equals(t.data(), loaded.tensor(t.name()).data()), t.name());
        }
    }

    @Test
    void resumingContinuesBitForBit() throws IOException {
        Network straight = fresh();
        trainer(straight, 0, 5).run(dir.resolve("a"), QUIET);

        // The same run killed during step 3: the checkpoint of epoch 1 (step 2) is on disk.
        Network first = fresh();
        Trainer.Listener killer = new Trainer.Listener() {
            @Override
            public void step(Trainer.Progress progress) {
                if (progress.step() == 3) {
                    throw new IllegalStateException("killed");
                }
            }

            @Override
            public void validated(long step, int epoch, Evaluation evaluation) {
            }
        };
        assertThrows(IllegalStateException.class, () -> trainer(first, 0, 5).run(dir.resolve("b"), killer));
        assertEquals(2, Checkpoint.readInfo(dir.resolve("b")).step());
        // A new process: fresh network, resume from the directory, same recipe of 5 steps.
        Network second = fresh();
        Trainer t = trainer(second, 0, 5);
        t.resume(dir.resolve("b"));
        Trainer.Result r = t.run(dir.resolve("b"), QUIET);
        assertEquals(5, r.steps());
        for (Tensor x : straight.tensors()) {
            assertTrue(java.util.Arrays.equals(x.data(), second.tensor(x.name()).data()), x.name() + " differs after resume");
        }
    }

    @Test
    void weightsOfAnotherNetworkAreRefusedNamingTheTensor() throws IOException {
        trainer(fresh(), 0, 1).run(dir, QUIET);
        SpikingIr wider = Frontend.compileText("tiny.snn", NET.replace("conv(4,", "conv(5,"), Map.of(), new Diagnostics())
                .orElseThrow();
        Network other = Network.build(wider, new ModelOptions(5, Init.XAVIER));
        ModelException e = assertThrows(ModelException.class,
                () -> Checkpoint.loadWeights(other, dir.resolve(Checkpoint.WEIGHTS)));
        assertEquals("tensor 'conv1.weight' has shape [4,3,3,3] in " + dir.resolve(Checkpoint.WEIGHTS)
                + ", the network needs [5,3,3,3]", e.getMessage());
    }
}
