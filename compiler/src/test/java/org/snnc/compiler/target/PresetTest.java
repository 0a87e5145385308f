package org.snnc.compiler.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PresetTest {

    private static final Path CANONICAL =
            Path.of("src/main/resources/org/snnc/compiler/target/presets");
    private static final Path EXAMPLES = Path.of("../examples/targets");

    static List<String> presets() {
        return TargetLoader.PRESETS;
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetLoadsByNameAndItsNameMatches(String name) {
        Target t = TargetLoader.preset(name);
        assertEquals(name, t.name());
        assertEquals(t, TargetLoader.resolve(name));
    }

    @ParameterizedTest
    @MethodSource("presets")
    void examplesCopyIsByteIdenticalAndLoadsAsAFile(String name) throws IOException {
        byte[] canonical;
        try (InputStream in = TargetLoader.class.getResourceAsStream(
                TargetLoader.PRESET_FOLDER + name + ".yaml")) {
            canonical = in.readAllBytes();
        }
        Path copy = EXAMPLES.resolve(name + ".yaml");
        assertArrayEquals(canonical, Files.readAllBytes(copy),
                copy + " differs from the canonical preset; copy it again from " + CANONICAL);
        assertEquals(TargetLoader.preset(name), TargetLoader.resolve(copy.toString()));
    }

    @Test
    void presetListMatchesTheFilesShipped() throws IOException {
        try (Stream<Path> files = Files.list(CANONICAL)) {
            assertEquals(Set.copyOf(TargetLoader.PRESETS), files
                    .map(p -> p.getFileName().toString().replace(".yaml", ""))
                    .collect(java.util.stream.Collectors.toSet()));
        }
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            assertEquals(TargetLoader.PRESETS.size(), files.count(),
                    "examples/targets holds exactly the presets");
        }
    }

    /** Every number below is quoted from /work/shared/hardware-facts.md, Loihi table. */
    @Test
    void loihiMatchesHardwareFacts() {
        Target t = TargetLoader.preset("loihi");
        assertEquals(128, t.chip().cores().value());
        assertEquals(8, t.chip().meshWidth().value());
        assertEquals(4, t.chip().meshHeight().value());
        assertEquals(4, t.chip().coresPerTile().value());
        assertEquals(1024, t.core().maxNeurons().value());
        assertEquals(4096, t.core().maxInputAxons().value());
        assertEquals(4096, t.core().maxOutputAxons().value());
        assertEquals(1 << 20, t.core().synapseMemoryBits().value());
        assertEquals(16384 * 64, t.core().synapseMemoryBits().value());

        NumberFormat n = t.numbers();
        assertEquals(8, n.weightBits().value());
        assertTrue(n.weightExponentShared().value());
        assertEquals(6, n.synapticInputShift().value());
        assertEquals(24, n.currentBits().value());
        assertEquals(Optional.of(Overflow.WRAP), n.currentOverflow().map(Sourced::value));
        assertEquals(24, n.voltageBits().value());
        assertEquals(Overflow.SATURATE, n.voltageOverflow().value());
        assertEquals(12, n.decayBits().value());
        assertEquals(17, n.thresholdBits().value());
        assertEquals(6, n.thresholdShift().value());

        assertEquals(Set.of(ResetMode.ZERO, ResetMode.SUBTRACT), t.neuron().resetModes().value());
        assertEquals(ResetMode.ZERO, t.neuron().defaultReset().value());
        assertEquals(LeakForm.MULTIPLICATIVE, t.neuron().leak().value());

        Timing time = t.timing();
        assertEquals(2.1, time.nanoseconds(time.hopWithinTile()), 1e-12);
        assertEquals(4.1, time.nanoseconds(time.hopEastWest()), 1e-12);
        assertEquals(6.5, time.nanoseconds(time.hopNorthSouth()), 1e-12);
        double barrier = time.nanoseconds(time.barrier());
        assertTrue(barrier >= 600 && barrier <= 1800, "barrier 0.6-1.8 us, got " + barrier);

        EnergyModel e = t.energy();
        assertEquals(23.6, e.synapticOp().value(), 1e-12);
        assertEquals(81.0, e.neuronUpdate().value(), 1e-12);
        assertEquals(69.3, e.spikeOut().value(), 1e-12);
        assertEquals(1.7, e.hopWithinTile().value(), 1e-12);
        assertEquals(3.0, e.hopEastWest().value(), 1e-12);
        assertEquals(4.2, e.hopNorthSouth().value(), 1e-12);
        assertEquals("pJ", e.synapticOp().unit());

        // Spiking-DeepLab at 64x64 exceeds one chip's 131,072 neurons: the board must hold it.
        assertTrue(t.board().chips() > 1);
        assertTrue(t.totalNeurons() > 1_000_000);
    }

    /** From the TrueNorth table of hardware-facts.md. */
    @Test
    void trueNorthMatchesHardwareFacts() {
        Target t = TargetLoader.preset("truenorth");
        assertEquals(4096, t.chip().cores().value());
        assertEquals(64, t.chip().meshWidth().value());
        assertEquals(64, t.chip().meshHeight().value());
        assertEquals(256, t.core().maxNeurons().value());
        assertEquals(256, t.core().maxInputAxons().value());
        assertEquals(4, t.core().axonTypes().value());
        assertTrue(t.core().fanOutOne().value());
        assertTrue(t.core().fanOutOne().unconfirmed(), "fan-out 1 is [U] in hardware-facts.md");
        assertEquals(LeakForm.LINEAR, t.neuron().leak().value());
        assertEquals(20, t.numbers().voltageBits().value());
        assertTrue(t.numbers().voltageBits().unconfirmed(), "20-bit membrane is [U]");
        assertEquals(0, t.numbers().currentBits().value());
        assertTrue(t.numbers().currentOverflow().isEmpty());
        assertEquals(1e6, t.timing().nanoseconds(t.timing().minStep()), 1e-9);
        assertEquals(26.0, t.energy().synapticOp().value(), 1e-12);
    }

    @Test
    void genericSaysItIsNotRealHardwareAndUsesItsClock() {
        Target t = TargetLoader.preset("generic");
        assertEquals(100.0, t.timing().clock().orElseThrow().value(), 0);
        // 100 MHz: one cycle is 10 ns.
        assertEquals(1000.0, t.timing().nanoseconds(t.timing().barrier()), 1e-9);
        assertEquals(100.0, t.timing().nanoseconds(t.board().interChipHopLatency()), 1e-9);
        assertTrue(t.description().toLowerCase().contains("generic"));
        assertTrue(t.energy().synapticOp().source().contains("not real hardware"));
    }

    @Test
    void unknownPresetSuggestsTheClosest() {
        TargetException e = assertThrows(TargetException.class,
                () -> TargetLoader.resolve("lohi"));
        assertEquals("error: unknown target preset 'lohi'\n"
                + "  help: did you mean 'loihi'? the presets are generic, loihi, truenorth; "
                + "a target file's path must end in .yaml", e.render());
    }

    @Test
    void unknownPresetWithoutACloseOneListsThemAll() {
        TargetException e = assertThrows(TargetException.class,
                () -> TargetLoader.preset("spinnaker"));
        assertEquals("error: unknown target preset 'spinnaker'\n"
                + "  help: the presets are generic, loihi, truenorth; "
                + "a target file's path must end in .yaml", e.render());
    }

    @Test
    void missingFileIsAnErrorNotAStackTrace() {
        TargetException e = assertThrows(TargetException.class,
                () -> TargetLoader.resolve("no/such/target.yaml"));
        assertEquals("no/such/target.yaml: error: no such file\n"
                + "  help: check the path; the presets, named without .yaml, are "
                + "generic, loihi, truenorth", e.render());
        assertFalse(e.errors().isEmpty());
    }
}
