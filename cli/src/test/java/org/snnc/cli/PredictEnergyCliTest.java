package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snnc predict and snnc energy on a tiny trained network: files, sizes, JSON keys, a ratio checked by hand. */
class PredictEnergyCliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DATA = "shapes:classes=3,size=8,train=8,val=4,seed=2";

    @TempDir
    Path dir;
    Path snn;
    Path run;

    @BeforeEach
    void trainTinyNetwork() throws Exception {
        snn = dir.resolve("tiny.snn");
        Files.writeString(snn, """
                network Tiny(classes: int = 3, size: int = 8, T: int = 2) {
                  timesteps T
                  input image: [3, size, size] encode signed_poisson
                  output seg = image -> conv(4, kernel: 3) -> bntt -> LIF() -> conv(classes, kernel: 1) -> accumulate
                }
                """);
        run = dir.resolve("run");
        CliRun t = CliRun.of("train", snn.toString(), "--data", DATA, "--batch", "4", "--threads", "1", "--steps", "2",
                "-o", run.toString());
        assertEquals(0, t.exitCode(), t.err());
    }

    @Test
    void energyJsonHasTheContractKeysAndTheRatioFollowsFromTheRates() throws Exception {
        CliRun e = CliRun.of("energy", snn.toString(), "--weights", run.toString(), "--data", DATA, "--threads", "1",
                "--format", "json");
        assertEquals(0, e.exitCode(), e.err());
        JsonNode o = JSON.readTree(e.out());
        for (String key : List.of("layers", "e_ann_pj", "e_snn_pj", "ratio", "first_layer", "constants")) {
            assertTrue(o.has(key), key + " missing from " + o);
        }
        assertEquals("ac", o.get("first_layer").asText());
        assertEquals(4.6, o.get("constants").get("e_mac_pj").get("value").asDouble(), 0);
        assertEquals(0.9, o.get("constants").get("e_ac_pj").get("value").asDouble(), 0);
        JsonNode layers = o.get("layers");
        assertEquals(2, layers.size());
        // conv1: 3² x 8 x 8 x 3 x 4 = 6912 MACs; conv2: 1 x 8 x 8 x 4 x 3 = 768.
        assertEquals(6912, layers.get(0).get("flops_ann").asLong());
        assertEquals(768, layers.get(1).get("flops_ann").asLong());
        // The rates are the ones snnc eval measures on the same weights, data and seed.
        CliRun ev = CliRun.of("eval", snn.toString(), "--weights", run.toString(), "--data", DATA, "--threads", "1",
                "--format", "json");
        JsonNode rates = JSON.readTree(ev.out()).get("spike_rates");
        double r0 = rates.get("image").asDouble();
        double r1 = rates.get("lif1").asDouble();
        assertEquals(r0, layers.get(0).get("input_rate").asDouble(), 1e-12);
        assertEquals(r1, layers.get(1).get("input_rate").asDouble(), 1e-12);
        double ann = (6912 + 768) * 4.6;
        double snnPj = (6912 * r0 + 768 * r1) * 0.9;
        assertEquals(ann, o.get("e_ann_pj").asDouble(), 1e-6);
        assertEquals(snnPj, o.get("e_snn_pj").asDouble(), 1e-6);
        assertEquals(ann / snnPj, o.get("ratio").asDouble(), 1e-9);

        CliRun mac = CliRun.of("energy", snn.toString(), "--weights", run.toString(), "--data", DATA, "--threads", "1",
                "--first-layer", "mac", "--samples", "2");
        assertEquals(0, mac.exitCode(), mac.err());
        assertTrue(mac.out().contains("first layer charged as MACs"), mac.out());
        assertTrue(mac.out().contains("2 samples"), mac.out());
        assertTrue(mac.out().contains("E_ANN/E_SNN"), mac.out());
    }

    @Test
    void predictWritesClassMapsLogitsAndTripletsOfTheRightSizes() throws Exception {
        Path img = dir.resolve("cat.png");
        BufferedImage rgb = new BufferedImage(20, 12, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(3, 4, 0xFF8000);
        ImageIO.write(rgb, "png", img.toFile());
        Path label = dir.resolve("cat-label.png");
        BufferedImage idx = new BufferedImage(20, 12, BufferedImage.TYPE_BYTE_INDEXED,
                org.snnc.runtime.predict.VocPalette.colorModel());
        // Nearest resizing to 8x8 reads output pixel (0, 0) from source (1, 0): mark the corner block.
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                idx.getRaster().setSample(x, y, 0, 2);
            }
        }
        ImageIO.write(idx, "png", label.toFile());
        Path out = dir.resolve("out");
        CliRun p = CliRun.of("predict", snn.toString(), "--weights", run.toString(), img.toString(), "--labels",
                label.toString(), "-o", out.toString(), "--threads", "1");
        assertEquals(0, p.exitCode(), p.err());
        BufferedImage map = ImageIO.read(out.resolve("cat.png").toFile());
        assertEquals(8, map.getWidth());
        assertEquals(8, map.getHeight());
        assertTrue(Files.size(out.resolve("cat.logits.safetensors")) > 8 + 3 * 8 * 8 * 4);
        BufferedImage triplet = ImageIO.read(out.resolve("cat.triplet.png").toFile());
        assertEquals(128, triplet.getHeight());
        assertEquals(3 * 128 + 8, triplet.getWidth());
        // The label's class 2 in the corner shows in the truth panel in the VOC colour (0, 128, 0).
        assertEquals(0x008000, triplet.getRGB(2 * 132, 0) & 0xFFFFFF);

        Path fromData = dir.resolve("data");
        CliRun d = CliRun.of("predict", snn.toString(), "--weights", run.toString(), "--data", DATA, "--samples", "2",
                "-o", fromData.toString(), "--threads", "1");
        assertEquals(0, d.exitCode(), d.err());
        List<String> names = new ArrayList<>();
        try (var files = Files.list(fromData)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        names.sort(null);
        assertEquals(List.of("val-0000.logits.safetensors", "val-0000.png", "val-0000.triplet.png",
                "val-0001.logits.safetensors", "val-0001.png", "val-0001.triplet.png"), names);
    }

    @Test
    void predictErrorsAreUserErrors() throws Exception {
        Path junk = dir.resolve("junk.jpg");
        Files.writeString(junk, "not a picture");
        CliRun bad = CliRun.of("predict", snn.toString(), "--weights", run.toString(), junk.toString(), "-o",
                dir.resolve("o").toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("junk.jpg is not an image"), bad.err());

        CliRun noOut = CliRun.of("predict", snn.toString(), "--weights", run.toString(), junk.toString());
        assertEquals(1, noOut.exitCode());
        assertTrue(noOut.err().contains("predict needs -o DIR"), noOut.err());

        // Weights of a network with 3 classes do not fit one with 5.
        CliRun wrong = CliRun.of("predict", snn.toString(), "--param", "classes=5", "--weights", run.toString(),
                junk.toString(), "-o", dir.resolve("o").toString());
        assertEquals(1, wrong.exitCode());
        assertTrue(wrong.err().contains("conv2.weight"), wrong.err());
    }
}
