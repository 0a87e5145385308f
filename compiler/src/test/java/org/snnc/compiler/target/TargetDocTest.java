package org.snnc.compiler.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/targets.md true to the loader. */
class TargetDocTest {

    private static final Path DOC = Path.of("../docs/targets.md");

    @Test
    void theCompleteExampleLoads() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int section = doc.indexOf("## A complete example");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        int end = doc.indexOf("```", start);
        Target tiny = TargetLoader.load("targets.md example",
                doc.substring(start, end).getBytes(StandardCharsets.UTF_8));
        assertEquals("tiny", tiny.name());
        assertEquals(4, tiny.chip().cores().value());
        // 50 MHz: a cycle is 20 ns.
        assertEquals(20.0, tiny.timing().nanoseconds(tiny.timing().synapticOp()), 1e-9);
    }

    /** The generic preset writes every key of the schema, so each must be documented. */
    @Test
    void everyKeyOfThePresetsIsDocumented() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String generic = Files.readString(Path.of(
                "src/main/resources/org/snnc/compiler/target/presets/generic.yaml"));
        Matcher key = Pattern.compile("(?m)^\\s*([a-z_]+):").matcher(generic);
        int keys = 0;
        while (key.find()) {
            keys++;
            assertTrue(doc.contains("`" + key.group(1) + "`"),
                    "docs/targets.md does not document `" + key.group(1) + "`");
        }
        assertTrue(keys > 50, "found only " + keys + " keys in generic.yaml");
    }
}
