package org.snnc.compiler.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;

/** Eq. 9–12 against the paper's own count (Table 1) and a two-layer network priced by hand. */
class PaperEnergyTest {

    private static SpikingIr text(String source) {
        Diagnostics d = new Diagnostics();
        Optional<SpikingIr> ir = Frontend.compileText("t.snn", source, Map.of(), d);
        assertTrue(ir.isPresent() && !d.hasErrors(), d.sorted().toString());
        return ir.get();
    }

    /** image [1,4,4] -> conv1 (2 ch, 3x3) -> lif1 -> conv2 (3 ch, 1x1) -> accumulate; T = 4. */
    private static final String TWO_LAYERS = """
            network Two(T: int = 4) {
              timesteps T
              input image: [1, 4, 4] encode signed_poisson
              output seg = image -> conv(2, kernel: 3) -> LIF() -> conv(3, kernel: 1) -> accumulate
            }
            """;

    @Test
    void tableOneDeepLabCountsThePapersMacs() {
        Diagnostics d = new Diagnostics();
        Optional<SpikingIr> ir = Frontend.compile(Path.of("../examples/deeplab-table1.snn"), "deeplab-table1.snn",
                Map.of("classes", "21", "size", "64"), d);
        assertTrue(ir.isPresent(), d.sorted().toString());
        List<PaperEnergy.Synaptic> layers = PaperEnergy.synapticLayers(ir.get());
        long total = layers.stream().mapToLong(s -> s.node().macs()).sum();
        // Eq. 9 exactly: sum over the 10 convolutions (9 hidden units and the classifier) of k² H_out W_out C_in C_out.
        assertEquals(3_787_456_512L, total);
        // The paper rounds its own count to 3.83 G; ours is within 1.2% of it.
        assertEquals(3.83e9, total, 0.012 * 3.83e9);
        // conv 1024 -> 1024 (3x3 at 16x16) alone: the paper's 2.42 G.
        assertEquals(9L * 16 * 16 * 1024 * 1024, layers.get(8).node().macs());
        assertEquals(10, layers.size());
        // Convolutions after an average pool take the rate of the spiking layer before the pool.
        assertEquals(List.of("image"), layers.get(0).spikingSources());
        assertTrue(layers.get(0).readsInput());
        assertEquals(List.of("lif2"), layers.get(2).spikingSources());
        assertFalse(layers.get(2).readsInput());
    }

    @Test
    void twoLayersPricedByHand() {
        SpikingIr ir = text(TWO_LAYERS);
        Map<String, Double> rates = Map.of("image", 0.5, "lif1", 2.0);
        // FLOPs_ANN: conv1 = 3² x 4 x 4 x 1 x 2 = 288; conv2 = 1 x 4 x 4 x 2 x 3 = 96.
        // E_ANN = (288 + 96) x 4.6 = 1766.4 pJ.
        // E_SNN (AC first layer) = 288 x 0.5 x 0.9 + 96 x 2 x 0.9 = 129.6 + 172.8 = 302.4 pJ.
        PaperEnergy.Result ac = PaperEnergy.of(ir, rates, PaperEnergy.FirstLayer.AC);
        assertEquals(2, ac.layers().size());
        assertEquals(288, ac.layers().get(0).flopsAnn());
        assertEquals(144.0, ac.layers().get(0).flopsSnn(), 1e-9);
        assertEquals(192.0, ac.layers().get(1).flopsSnn(), 1e-9);
        assertEquals(1766.4, ac.annPj(), 1e-9);
        assertEquals(302.4, ac.snnPj(), 1e-9);
        assertEquals(1766.4 / 302.4, ac.ratio(), 1e-12);
        assertFalse(ac.layers().get(0).mac());
        // MAC first layer: conv1 is one ANN pass, 288 x 4.6 = 1324.8; E_SNN = 1324.8 + 172.8 = 1497.6 pJ.
        PaperEnergy.Result mac = PaperEnergy.of(ir, rates, PaperEnergy.FirstLayer.MAC);
        assertTrue(mac.layers().get(0).mac());
        assertEquals(0.5, mac.layers().get(0).rate(), 0);
        assertEquals(1497.6, mac.snnPj(), 1e-9);
        assertEquals(PaperEnergy.FirstLayer.MAC, mac.firstLayer());
    }

    @Test
    void analogInputsAreChargedAsMacsEveryStep() {
        SpikingIr ir = text(TWO_LAYERS.replace("signed_poisson", "direct"));
        // A direct input has no spikes to count: conv1 does 288 MACs at each of the 4 steps.
        PaperEnergy.Result r = PaperEnergy.of(ir, Map.of("lif1", 2.0), PaperEnergy.FirstLayer.AC);
        assertTrue(r.layers().get(0).mac());
        assertTrue(Double.isNaN(r.layers().get(0).rate()));
        assertEquals(288.0 * 4 * 4.6 + 172.8, r.snnPj(), 1e-9);
    }

    @Test
    void aMissingRateIsNamed() {
        SpikingIr ir = text(TWO_LAYERS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperEnergy.of(ir, Map.of("image", 0.5), PaperEnergy.FirstLayer.AC));
        assertTrue(e.getMessage().contains("'lif1', the input of 'conv2'"), e.getMessage());
    }
}
