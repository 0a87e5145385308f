package org.snnc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;
import picocli.CommandLine.Option;

/** {@code --param k=v}, repeatable: overrides a network parameter's default. */
public final class ParamOptions {

    @Option(names = "--param", paramLabel = "NAME=VALUE", mapFallbackValue = "",
            description = "Set a network parameter, e.g. --param size=32 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    public Map<String, String> values() {
        return params;
    }

    /** The IR of {@code file} with these parameters; its diagnostics go to {@code err}, errors end the command. */
    SpikingIr compile(Path file, PrintWriter err) {
        return compile(file, params, err);
    }

    static SpikingIr compile(Path file, Map<String, String> params, PrintWriter err) {
        Diagnostics diagnostics = new Diagnostics();
        Optional<SpikingIr> ir = Frontend.compile(file, file.toString(), params, diagnostics);
        DiagnosticPrinter.print(diagnostics, err);
        return ir.orElseThrow(() -> new UserError(file + " has errors (see above)"));
    }
}
