package org.snnc.compiler;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.snnc.compiler.check.Elaborator;
import org.snnc.compiler.check.Loader;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;

/**
 * The front end in one call: read (with imports), parse, check, elaborate. The stages run in
 * order and each later stage runs only when the earlier ones left no errors, so every reported
 * error is a real one rather than an echo.
 */
public final class Frontend {

    private Frontend() {
    }

    /**
     * @param file        the .snn file
     * @param displayName how diagnostics name it (the path as the user typed it)
     * @param overrides   {@code --param} values by parameter name
     * @return the IR, or empty when the file has errors or no network (all reported)
     */
    public static Optional<SpikingIr> compile(Path file, String displayName, Map<String, String> overrides,
            Diagnostics diagnostics) {
        return run(file, displayName, overrides, true, diagnostics);
    }

    /**
     * Like {@link #compile} but a file without a network is a library and no error; its blocks
     * are checked where the file's own network, if any, uses them.
     */
    public static Optional<SpikingIr> check(Path file, String displayName, Map<String, String> overrides,
            Diagnostics diagnostics) {
        return run(file, displayName, overrides, false, diagnostics);
    }

    private static Optional<SpikingIr> run(Path file, String displayName, Map<String, String> overrides,
            boolean requireNetwork, Diagnostics diagnostics) {
        Optional<Loader.Program> program = Loader.load(file, displayName, diagnostics);
        if (program.isEmpty() || diagnostics.hasErrors()) return Optional.empty();
        return Elaborator.elaborate(program.get(), overrides, requireNetwork, diagnostics);
    }

    /** The same for text that is not in a file. */
    public static Optional<SpikingIr> compileText(String displayName, String text, Map<String, String> overrides,
            Diagnostics diagnostics) {
        Optional<Loader.Program> program = Loader.loadText(displayName, text, diagnostics);
        if (program.isEmpty() || diagnostics.hasErrors()) return Optional.empty();
        return Elaborator.elaborate(program.get(), overrides, true, diagnostics);
    }
}
