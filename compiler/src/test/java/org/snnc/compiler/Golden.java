package org.snnc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a golden file. Run with {@code -Dsnnc.updateGolden=true} to (re)write the
 * golden files instead; review the diff before committing.
 */
public final class Golden {

    private Golden() {
    }

    public static boolean updating() {
        return Boolean.getBoolean("snnc.updateGolden");
    }

    /**
     * @param golden a file under {@code src/test/resources}, so updates land in the sources rather
     *               than in {@code target/}
     */
    public static void assertMatches(Path golden, String actual) throws IOException {
        if (updating()) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : "<missing " + golden + ">";
        assertEquals(expected, actual, "golden file " + golden + " (rerun with -Dsnnc.updateGolden=true to update)");
    }
}
