package org.snnc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.IrJson;
import org.snnc.compiler.ir.IrText;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.SpikingIr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile a .snn network to the Spiking IR and print its layer table:",
                "shapes and, per layer, neurons, synapses and MACs per time step (the paper's Eq. 9)."})
final class CompileCommand implements Callable<Integer> {

    enum Emit { ir }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .snn file.")
    Path file;

    @Mixin
    ParamOptions params;

    @Option(names = "--emit", description = "Print an intermediate form instead of the layer table: ${COMPLETION-CANDIDATES}.")
    Emit emit;

    @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
    OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Diagnostics diagnostics = new Diagnostics();
        Optional<SpikingIr> ir = Frontend.compile(file, file.toString(), params.values(), diagnostics);
        DiagnosticPrinter.print(diagnostics, err);
        if (ir.isEmpty()) {
            if (format == OutputFormat.json) {
                ObjectNode o = IrJson.mapper().createObjectNode().put("ok", false);
                DiagnosticPrinter.toJson(diagnostics, o.putArray("diagnostics"));
                out.println(o.toPrettyString());
            }
            out.flush();
            return ExitCodes.USER_ERROR;
        }
        if (format == OutputFormat.json) {
            out.println(IrJson.write(ir.get()));
        } else if (emit == Emit.ir) {
            out.print(IrText.write(ir.get()));
        } else {
            out.print(layerTable(ir.get()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String layerTable(SpikingIr ir) {
        StringBuilder b = new StringBuilder();
        b.append(ir.network()).append("  ").append(ir.params()).append("  timesteps ").append(ir.timesteps()).append("\n\n");
        String row = "%-14s %-10s %-14s %14s %16s %16s%n";
        b.append(String.format(row, "layer", "op", "shape", "neurons", "synapses", "MACs/step"));
        for (Node n : ir.nodes()) {
            b.append(String.format(row, n.name(), n.op().keyword(), n.shape(), count(n.neurons()), count(n.synapses()),
                    count(n.macs())));
        }
        SpikingIr.Totals t = ir.totals();
        b.append(String.format(row, "total", "", "", count(t.neurons()), count(t.synapses()), count(t.macs())));
        for (SpikingIr.OutputRef o : ir.outputs()) {
            b.append("output ").append(o.name()).append(" = ").append(ir.node(o.node()).name()).append(' ')
                    .append(ir.node(o.node()).shape()).append('\n');
        }
        return b.toString();
    }

    private static String count(long n) {
        return n == 0 ? "-" : String.format("%,d", n);
    }
}
