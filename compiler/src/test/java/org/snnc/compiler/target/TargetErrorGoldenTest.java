package org.snnc.compiler.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each broken file {@code src/test/resources/target/<case>.yaml} must fail with exactly the
 * text in {@code <case>.expected} beside it. Run with {@code -Dsnnc.regenerate=true} to rewrite
 * the expected files after a deliberate change of wording, then review the diff.
 */
class TargetErrorGoldenTest {

    private static final Path CASES = Path.of("src/test/resources/target");
    private static final boolean REGENERATE = Boolean.getBoolean("snnc.regenerate");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .collect(Collectors.toList())
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void brokenFileRendersExactly(String name) throws IOException {
        Path yaml = CASES.resolve(name + ".yaml");
        Path expected = CASES.resolve(name + ".expected");
        TargetException e = assertThrows(TargetException.class, () -> TargetLoader.load(yaml));
        String actual = e.render() + "\n";
        if (REGENERATE) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual);
    }

    @Test
    void everyErrorKindHasACase() throws IOException {
        Set<String> names = cases().collect(Collectors.toCollection(TreeSet::new));
        for (String required : List.of("unknown-key", "wrong-type", "missing-key",
                "out-of-range", "missing-source", "syntax-error", "empty", "binary-junk",
                "many-errors")) {
            assertTrue(names.contains(required), "no golden case " + required);
        }
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".expected")).toList()) {
                String base = p.getFileName().toString().replace(".expected", "");
                assertTrue(names.contains(base), "expected file without a case: " + p);
            }
        }
    }

    @Test
    void allErrorsOfOneFileAreReportedInFileOrder() {
        TargetException e = assertThrows(TargetException.class,
                () -> TargetLoader.load(CASES.resolve("many-errors.yaml")));
        List<String> paths = e.errors().stream().map(TargetError::keyPath).toList();
        assertEquals(List.of("chip.cores", "board.chips_y.sorce", "core.max_neurons",
                "numbers.decay_bits", "neuron.leak", "timing.barrier", "energy.synaptic_op",
                "energy.static_power", "voltage"), paths);
        List<Integer> lines = e.errors().stream().map(TargetError::line).toList();
        assertEquals(lines.stream().sorted().toList(), lines);
    }
}
