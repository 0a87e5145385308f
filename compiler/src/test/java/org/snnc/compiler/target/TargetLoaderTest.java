package org.snnc.compiler.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TargetLoaderTest {

    private static byte[] loihiBytes() throws IOException {
        try (InputStream in = TargetLoader.class.getResourceAsStream(
                TargetLoader.PRESET_FOLDER + "loihi.yaml")) {
            return in.readAllBytes();
        }
    }

    private static String render(String yaml) {
        return assertThrows(TargetException.class, () -> TargetLoader.load("t.yaml",
                yaml.getBytes(StandardCharsets.UTF_8))).render();
    }

    private static String loihiWith(String from, String to) throws IOException {
        String text = new String(loihiBytes(), StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new IllegalArgumentException("not in loihi.yaml: " + from);
        }
        return text.replace(from, to);
    }

    /**
     * Random corruption of a valid file must end in a loaded target or in a TargetException;
     * any other exception means some bad input escapes as a stack trace.
     */
    @Test
    void corruptedFilesFailOnlyWithTargetErrors() throws IOException {
        byte[] original = loihiBytes();
        SplittableRandom random = new SplittableRandom(20260101L);
        for (int trial = 0; trial < 300; trial++) {
            byte[] bytes = original.clone();
            int edits = 1 + random.nextInt(4);
            for (int k = 0; k < edits; k++) {
                int at = random.nextInt(bytes.length);
                // Mostly YAML's own punctuation, which reaches the deepest parser paths.
                byte[] alphabet = "{}[]:,\"'-# \n0x&*!|>%@`".getBytes(StandardCharsets.UTF_8);
                bytes[at] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                        : alphabet[random.nextInt(alphabet.length)];
            }
            try {
                TargetLoader.load("fuzz.yaml", bytes);
            } catch (TargetException e) {
                assertFalse(e.errors().isEmpty());
                for (TargetError error : e.errors()) {
                    assertEquals("fuzz.yaml", error.file());
                }
            }
        }
    }

    @Test
    void pathologicalInputsFailWithTargetErrors() {
        List<String> inputs = List.of(
                "[".repeat(5000) + "]".repeat(5000),
                "chip:\n\tmesh_width: 1\n",
                "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
                "!!binary AAAA\n",
                "? [complex, key]\n: value\n",
                "name: \"unterminated\n",
                "\uFEFF",
                "x".repeat(100));
        for (String input : inputs) {
            TargetException e = assertThrows(TargetException.class, () -> TargetLoader.load(
                    "p.yaml", input.getBytes(StandardCharsets.UTF_8)), input);
            assertFalse(e.errors().isEmpty());
        }
    }

    @Test
    void durationWithoutClockConvertsFromTimeUnits() throws IOException {
        Target t = TargetLoader.load("t.yaml", loihiWith(
                "barrier:         { value: 1.8, unit: us,",
                "barrier:         { value: 1.8, unit: ms,").getBytes(StandardCharsets.UTF_8));
        assertEquals(1.8e6, t.timing().nanoseconds(t.timing().barrier()), 1e-6);
        assertThrows(IllegalArgumentException.class,
                () -> t.timing().nanoseconds(new Quantity(1, "cycles", "test")));
    }

    @Test
    void fanInSplitDefaultsToTheJoinAndIsCheckedAgainstIt() throws IOException {
        assertEquals(FanInSplit.JOIN, TargetLoader.preset("loihi").core().fanInSplit().value(), "derived from the join");
        assertEquals(FanInSplit.NONE, TargetLoader.preset("generic").core().fanInSplit().value());
        assertEquals(FanInSplit.RELAY, TargetLoader.preset("truenorth").core().fanInSplit().value());
        String relay = "fan_out_one:         { value: false, source: \"4,096 output axons per core, nengo-loihi "
                + "OUT_AXONS_MAX [P]\" }\n  fan_in_split: { value: relay, source: \"test\" }";
        Target t = TargetLoader.load("t.yaml", loihiWith("fan_out_one:         { value: false, source: \"4,096 output "
                + "axons per core, nengo-loihi OUT_AXONS_MAX [P]\" }", relay).getBytes(StandardCharsets.UTF_8));
        assertEquals(FanInSplit.RELAY, t.core().fanInSplit().value());
        String noJoin = loihiWith("compartment_join:    { value: true,", "compartment_join:    { value: false,")
                .replace("max_joined_compartments: { value: 1024,", "max_joined_compartments: { value: 1,");
        String joinWithout = noJoin.replace("fan_out_one:         { value: false, source: \"4,096 output axons per core,"
                + " nengo-loihi OUT_AXONS_MAX [P]\" }", relay.replace("relay,", "join,"));
        assertEquals(true, render(joinWithout).contains("error: core.fan_in_split: is join, but compartment_join is false"));
        String relayWithoutSubtract = loihiWith("value: [zero, subtract]", "value: [zero]").replace(
                "fan_out_one:         { value: false, source: \"4,096 output axons per core, nengo-loihi OUT_AXONS_MAX [P]\" }",
                relay);
        assertEquals(true, render(relayWithoutSubtract).contains("error: core.fan_in_split: is relay, but"
                + " neuron.reset_modes lacks subtract"));
    }

    @Test
    void defaultResetMustBeOneOfTheResetModes() throws IOException {
        assertEquals("t.yaml:48:29: error: neuron.default_reset: is subtract, which reset_modes "
                + "does not list\n  help: add it to reset_modes, or pick one of them", render(
                loihiWith("value: [zero, subtract]", "value: [zero]")
                        .replace("default_reset:   { value: zero,",
                                "default_reset:   { value: subtract,")));
    }

    @Test
    void thresholdWiderThanTheVoltageIsRefused() throws IOException {
        assertEquals("t.yaml:43:36: error: numbers.threshold_bits: a 18-bit threshold shifted "
                + "left by 6 needs 24 magnitude bits, but a signed 24-bit voltage has 23\n"
                + "  help: the largest thresholds could never be reached; lower threshold_bits "
                + "or threshold_shift, or raise voltage_bits", render(loihiWith(
                "threshold_bits:         { value: 17,", "threshold_bits:         { value: 18,")));
    }

    @Test
    void currentOverflowFollowsCurrentBits() throws IOException {
        assertEquals("t.yaml:39:36: error: numbers.current_overflow: is given, but current_bits "
                + "is 0 (there is no current variable)\n"
                + "  help: remove current_overflow, or give current_bits", render(loihiWith(
                "current_bits:           { value: 24,", "current_bits:           { value: 0,")));
        assertEquals("t.yaml:38:36: error: numbers.current_bits: is 24, but current_overflow is "
                + "missing\n  help: add current_overflow: { value: wrap or saturate, "
                + "source: \"...\" }", render(loihiWith("  current_overflow:       { value: wrap, "
                + "source: \"lava proc/lif/models.py PyLifModelBitAcc: u wraps [P]\" }\n", "")));
    }

    @Test
    void joinLimitNeedsJoin() throws IOException {
        assertEquals("t.yaml:29:37: error: core.max_joined_compartments: is 1024, but "
                + "compartment_join is false\n  help: set max_joined_compartments to 1, or "
                + "compartment_join to true", render(loihiWith(
                "compartment_join:    { value: true,", "compartment_join:    { value: false,")));
    }

    @Test
    void unitIsRequiredForQuantitiesAndRefusedForCounts() throws IOException {
        assertEquals("t.yaml:63:20: error: energy.synaptic_op: constant has no unit\n"
                + "  help: add unit: pJ", render(loihiWith(
                "synaptic_op:     { value: 23.6, unit: pJ,", "synaptic_op:     { value: 23.6,")));
        assertEquals("t.yaml:23:39: error: core.max_neurons.unit: unknown key\n"
                + "  help: max_neurons is dimensionless: its unit is in its name; remove unit",
                render(loihiWith("max_neurons:         { value: 1024,",
                        "max_neurons:         { value: 1024, unit: neurons,")));
    }

    @Test
    void yesIsNotABoolean() throws IOException {
        assertEquals("t.yaml:30:33: error: core.fan_out_one: expected true or false, got yes\n"
                + "  help: write true or false (whether a neuron may target one axon only); "
                + "YAML's yes, no, on and off are refused because they are easy to misread",
                render(loihiWith("fan_out_one:         { value: false,",
                        "fan_out_one:         { value: yes,")));
    }

    @Test
    void secondDocumentIsRefused() throws IOException {
        assertEquals("t.yaml:71:1: error: a second YAML document starts here\n"
                + "  help: a target file holds exactly one document; remove the '---' separator "
                + "and everything after it, or split it into two files",
                render(new String(loihiBytes(), StandardCharsets.UTF_8) + "---\nname: x\n"));
    }

    @Test
    void errorWithoutPositionOrPathRendersPlainly() {
        assertEquals("x.yaml: error: cannot read\n  help: h",
                new TargetError("x.yaml", 0, 0, "", "cannot read", "h").render());
        assertEquals("x.yaml:3:4: error: a.b: m",
                new TargetError("x.yaml", 3, 4, "a.b", "m", null).render());
    }
}
