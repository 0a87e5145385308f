package org.snnc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.IrJson;
import org.snnc.compiler.ir.SpikingIr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Parse and check .snn files, reporting every error and warning of each.",
                "Exit code 1 when any file has an error."})
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .snn files to check.")
    List<Path> files;

    @Mixin
    ParamOptions params;

    @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
    OutputFormat format;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        ObjectNode json = IrJson.mapper().createObjectNode();
        ArrayNode results = json.putArray("files");
        boolean failed = false;
        for (Path file : files) {
            Diagnostics diagnostics = new Diagnostics();
            Optional<SpikingIr> ir = Frontend.check(file, file.toString(), params.values(), diagnostics);
            failed |= diagnostics.hasErrors();
            if (format == OutputFormat.json) {
                ObjectNode r = results.addObject();
                r.put("file", file.toString());
                r.put("ok", !diagnostics.hasErrors());
                ir.ifPresent(i -> r.put("network", i.network()).put("layers", i.nodes().size()));
                DiagnosticPrinter.toJson(diagnostics, r.putArray("diagnostics"));
            } else {
                DiagnosticPrinter.print(diagnostics, err);
                if (!diagnostics.hasErrors()) {
                    out.println(file + ": ok" + ir.map(i -> " (network " + i.network() + ", " + i.nodes().size()
                            + " layers, " + i.totals().neurons() + " neurons)").orElse(""));
                }
            }
        }
        json.put("ok", !failed);
        if (format == OutputFormat.json) out.println(json.toPrettyString());
        out.flush();
        return failed ? ExitCodes.USER_ERROR : ExitCodes.OK;
    }
}
