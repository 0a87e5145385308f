package org.snnc.compiler.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.Golden;
import org.snnc.compiler.diag.Code;
import org.snnc.compiler.diag.Diagnostic;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.Renderer;

/**
 * The exact text of every diagnostic kind: {@code diagnostics/<case>.snn} beside
 * {@code <case>.expected}. A first line {@code // params: k=v ...} passes {@code --param} values.
 */
class DiagnosticsGoldenTest {

    static final Path DIR = Path.of("src/test/resources/diagnostics");

    static List<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".snn")).sorted().toList();
        }
    }

    static String render(Path file) throws IOException {
        Diagnostics diagnostics = new Diagnostics();
        Frontend.compile(file, "diagnostics/" + file.getFileName(), params(file), diagnostics);
        StringBuilder b = new StringBuilder();
        for (Diagnostic d : diagnostics.sorted()) b.append(Renderer.render(d));
        return b.toString();
    }

    private static Map<String, String> params(Path file) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        byte[] bytes = Files.readAllBytes(file);
        String first = new String(bytes, 0, Math.min(bytes.length, 200), java.nio.charset.StandardCharsets.ISO_8859_1).split("\n")[0];
        if (first.startsWith("// params:")) {
            for (String kv : first.substring("// params:".length()).trim().split("\\s+")) {
                String[] parts = kv.split("=", 2);
                params.put(parts[0], parts[1]);
            }
        }
        return params;
    }

    @TestFactory
    Stream<DynamicTest> everyCaseRendersAsGolden() throws IOException {
        return cases().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String name = file.getFileName().toString().replaceFirst("\\.snn$", ".expected");
            Golden.assertMatches(file.resolveSibling(name), render(file));
        }));
    }

    /** Every diagnostic kind the front end can emit from a source has a golden case. */
    @Test
    void everyCodeHasACase() throws IOException {
        Set<Code> seen = EnumSet.noneOf(Code.class);
        for (Path file : cases()) {
            String text = render(file);
            for (Code c : Code.values()) {
                if (text.contains("[" + c.id() + "]")) seen.add(c);
            }
        }
        // IO concerns the main file itself (missing, a directory): pinned in FrontendTest instead.
        List<Code> missing = new ArrayList<>();
        for (Code c : Code.values()) {
            if (!seen.contains(c) && c != Code.IO) missing.add(c);
        }
        assertTrue(missing.isEmpty(), "no golden diagnostic case shows " + missing);
    }
}
