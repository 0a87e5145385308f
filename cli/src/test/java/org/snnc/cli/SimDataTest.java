package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.runtime.predict.VocPalette;

/** {@code snnc sim --data / --image / --predict}: data samples through the simulator and the readout. */
class SimDataTest {

    static final String DEEPLAB = "../examples/deeplab.snn";

    @TempDir
    Path dir;

    /** A small Spiking-DeepLab: 32x32 (or the given) input, 4 classes, 3 steps, 1/16 of the channels. */
    static List<String> deeplab(String... more) {
        return deeplab(32, more);
    }

    static List<String> deeplab(int size, String... more) {
        List<String> a = new ArrayList<>(List.of("sim", DEEPLAB, "--target", "loihi", "--param", "size=" + size, "--param",
                "classes=4", "--param", "T=3", "--param", "width=0.0625", "--format", "json"));
        a.addAll(List.of(more));
        return a;
    }

    static JsonNode json(List<String> args) throws Exception {
        return SimCommandTest.json(CliRun.of(args.toArray(String[]::new)));
    }

    @Test
    void samplesAreSummedAndPredictionsWritten() throws Exception {
        Path out = dir.resolve("pred");
        JsonNode two = json(deeplab("--data", "shapes:classes=4,size=32", "--samples", "2", "--predict", out.toString()));
        JsonNode one = json(deeplab("--data", "shapes:classes=4,size=32", "--samples", "1"));
        assertEquals(2, two.get("samples").asInt());
        // Steps and counts are summed over the samples; per_sample is the mean. Each sample runs its 3
        // input steps and 8 more for the pipeline to drain into the readout (8 spiking layers on the way).
        assertEquals(2 * (3 + 8), two.get("timesteps").asInt());
        assertTrue(two.get("notes").toString().contains("lags the input by 8 step(s)"), two.get("notes").toString());
        long ops = two.get("totals").get("synaptic_ops").asLong();
        assertEquals(ops / 2.0, two.get("per_sample").get("synaptic_ops").asDouble(), 1e-9);
        // Sample 0 draws the same spikes whether or not sample 1 follows it.
        long first = one.get("totals").get("synaptic_ops").asLong();
        assertTrue(first > 0 && first < ops, first + " vs " + ops);
        assertEquals(one.get("totals").get("input_spikes").asDouble(), one.get("per_sample").get("input_spikes").asDouble());
        double acc = two.get("prediction").get("pixel_accuracy").asDouble();
        double miou = two.get("prediction").get("mean_iou").asDouble();
        assertTrue(acc >= 0 && acc <= 1 && miou >= 0 && miou <= 1, acc + " " + miou);
        assertEquals(2, two.get("prediction").get("files").size());
        for (String name : List.of("val-00000.png", "val-00001.png")) {
            BufferedImage img = ImageIO.read(out.resolve(name).toFile());
            assertEquals(32, img.getWidth());
            assertEquals(32, img.getHeight());
            IndexColorModel cm = (IndexColorModel) img.getColorModel();
            for (int c = 0; c < 4; c++) assertEquals(VocPalette.rgb(c) & 0xFFFFFF, cm.getRGB(c) & 0xFFFFFF);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int k = img.getRaster().getSample(x, y, 0);
                    assertTrue(k >= 0 && k < 4, "class " + k);
                }
            }
        }
        String notes = two.get("notes").toString();
        assertTrue(notes.contains("bilinearly (align_corners true"), notes);
        assertTrue(notes.contains("signed input"), notes);
        assertTrue(notes.contains("seeded random (no --weights)"), notes);
        // The encoded rate is reported, not --input-rate: signed_poisson fires at most at 0.5.
        assertTrue(two.get("input_rate").asDouble() > 0 && two.get("input_rate").asDouble() <= 0.5);
    }

    @Test
    void enginesAgreeOnDataSamples() throws Exception {
        // 16x16: the dense reference's weight matrix of 32x32 is over its limit.
        JsonNode event = json(deeplab(16, "--data", "shapes:classes=4,size=16", "--samples", "2", "--threads", "2"));
        JsonNode dense = json(deeplab(16, "--data", "shapes:classes=4,size=16", "--samples", "2", "--engine", "dense"));
        assertTrue(event.get("totals").get("synaptic_ops").asLong() > 0);
        assertEquals(SimCommandTest.counts(event).get("totals"), SimCommandTest.counts(dense).get("totals"));
        assertEquals(event.get("prediction").get("pixel_accuracy"), dense.get("prediction").get("pixel_accuracy"));
    }

    @Test
    void theSeedChangesTheSpikes() throws Exception {
        JsonNode a = json(deeplab("--data", "shapes:classes=4,size=32", "--seed", "1"));
        JsonNode b = json(deeplab("--data", "shapes:classes=4,size=32", "--seed", "1"));
        JsonNode c = json(deeplab("--data", "shapes:classes=4,size=32", "--seed", "2"));
        assertEquals(a.get("totals"), b.get("totals"));
        assertNotEquals(a.get("totals").get("input_spikes"), c.get("totals").get("input_spikes"));
    }

    @Test
    void anImageIsResizedAndPredicted() throws Exception {
        BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 12; y++) for (int x = 0; x < 20; x++) img.setRGB(x, y, x < 10 ? 0xFF2020 : 0x20FF20);
        Path file = dir.resolve("cat.png");
        ImageIO.write(img, "png", file.toFile());
        Path out = dir.resolve("p");
        JsonNode j = json(deeplab("--image", file.toString(), "--predict", out.toString()));
        assertEquals(1, j.get("samples").asInt());
        assertTrue(j.get("prediction").get("pixel_accuracy").isNull(), "an image has no labels");
        BufferedImage pred = ImageIO.read(out.resolve("cat.png").toFile());
        assertEquals(32, pred.getWidth());
        assertEquals(32, pred.getHeight());
        assertTrue(j.get("totals").get("input_spikes").asLong() > 0);
    }

    @Test
    void aLoadedProgramReadsOutOnTheDatasClasses() throws Exception {
        Path prog = dir.resolve("d.snnp");
        JsonNode built = json(deeplab("--data", "shapes:classes=4,size=32", "--save-program", prog.toString()));
        JsonNode loaded = SimCommandTest.json(CliRun.of("sim", "--program", prog.toString(), "--data",
                "shapes:classes=4,size=32", "--format", "json", "--predict", dir.resolve("q").toString()));
        assertEquals(built.get("totals"), loaded.get("totals"));
        assertTrue(loaded.get("notes").toString().contains("by nearest neighbour"), loaded.get("notes").toString());
        assertTrue(loaded.get("prediction").get("pixel_accuracy").isNumber());
        assertTrue(Files.exists(dir.resolve("q").resolve("val-00000.png")));
        // 5 classes do not tile the 4 x 8 x 8 readout: no layout, so --predict is refused.
        CliRun other = CliRun.of("sim", "--program", prog.toString(), "--data", "shapes:classes=5,size=32", "--predict",
                dir.resolve("r").toString());
        assertEquals(1, other.exitCode());
        assertTrue(other.err().contains("--predict needs one integrating population"), other.err());
    }

    @Test
    void badInputOptionsAreRefused() throws Exception {
        assertEquals(2, CliRun.of(deeplab("--data", "shapes", "--image", "x.png").toArray(String[]::new)).exitCode());
        assertEquals(2, CliRun.of(deeplab("--predict", dir.toString()).toArray(String[]::new)).exitCode());
        CliRun samples = CliRun.of(deeplab("--data", "shapes:classes=4,size=32,val=3", "--samples", "4").toArray(String[]::new));
        assertEquals(1, samples.exitCode());
        assertTrue(samples.err().contains("--samples 4 is not in [1, 3]"), samples.err());
        CliRun size = CliRun.of(deeplab("--data", "shapes:classes=4,size=16").toArray(String[]::new));
        assertEquals(1, size.exitCode());
        assertTrue(size.err().contains("gives images [3, 16, 16]") || size.err().contains("gives images"), size.err());
        CliRun classes = CliRun.of(deeplab("--data", "shapes:classes=6,size=32").toArray(String[]::new));
        assertEquals(1, classes.exitCode());
        assertTrue(classes.err().contains("6 classes"), classes.err());
        CliRun split = CliRun.of(deeplab("--data", "shapes:classes=4,size=32", "--split", "test").toArray(String[]::new));
        assertEquals(1, split.exitCode());
        assertTrue(split.err().contains("--split test"), split.err());
        // A bad spec is reported before the (possibly long) build: no program is written.
        Path prog = dir.resolve("never.snnp");
        CliRun spec = CliRun.of(deeplab("--data", "shapes:classes=21", "--save-program", prog.toString()).toArray(String[]::new));
        assertEquals(1, spec.exitCode());
        assertTrue(spec.err().contains("'classes' must be in [2, 13]"), spec.err());
        assertTrue(!Files.exists(prog));
        CliRun mlp = CliRun.of("sim", SimCommandTest.MLP, "--target", "loihi", "--data", "shapes:classes=4,size=32");
        assertEquals(1, mlp.exitCode());
        assertTrue(mlp.err().contains("gives images"), mlp.err());
    }
}
