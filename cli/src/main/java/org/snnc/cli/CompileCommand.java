package org.snnc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.IrJson;
import org.snnc.compiler.ir.IrText;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.lower.FoldNorm;
import org.snnc.compiler.lower.MapNetwork;
import org.snnc.compiler.lower.Quantize;
import org.snnc.compiler.mapping.Mapping;
import org.snnc.compiler.mapping.MappingError;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.mapping.MappingReport;
import org.snnc.compiler.program.MappedPlacement;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuildException;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.ProgramWriter;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetError;
import org.snnc.compiler.target.TargetException;
import org.snnc.compiler.target.TargetLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile a .snn network to the Spiking IR and print its layer table:",
                "shapes and, per layer, neurons, synapses and MACs per time step (the paper's Eq. 9).",
                "With --target, also partition, place and route it onto that hardware and report the mapping;",
                "with -o, also write the compiled program (seeded random weights, mapped placement) for snnc sim --program."})
final class CompileCommand implements Callable<Integer> {

    enum Emit { ir, lowered, mapping }

    /**
     * Above this many synapses the fold and quantize reports (which compose every weight: about
     * 25 s for Spiking-DeepLab at 64x64) are computed only on request: --emit lowered or -o.
     */
    static final long LOWERING_REPORT_SYNAPSES = 50_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The .snn file.")
    Path file;

    @Mixin
    ParamOptions params;

    @Option(names = "--emit", description = "Print an intermediate form instead of the layer table: ${COMPLETION-CANDIDATES}.")
    Emit emit;

    @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
    OutputFormat format;

    @Option(names = "--target", paramLabel = "NAME|FILE.yaml",
            description = "Map onto this hardware: a preset (loihi, truenorth, generic) or a target file.")
    String target;

    @Option(names = "--passes", description = "List the lowering passes, one line each, and exit.")
    boolean passes;

    @Option(names = {"-o", "--output"}, paramLabel = "PROGRAM",
            description = "Write the compiled program here (atomically), for snnc sim --program; needs --target.")
    Path output;

    @Mixin
    ProgramOptions build;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (passes) {
            for (MapNetwork.PassInfo p : MapNetwork.PASSES) out.printf("%-12s %s%n", p.name(), p.summary());
            out.flush();
            return ExitCodes.OK;
        }
        if (file == null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'FILE'");
        Target hw = null;
        if (target != null) {
            try {
                hw = TargetLoader.resolve(target);
            } catch (TargetException e) {
                err.println(e.render());
                err.println(DiagnosticPrinter.plural(e.errors().size(), "error") + " in target " + target);
                if (format == OutputFormat.json) {
                    ObjectNode o = IrJson.mapper().createObjectNode().put("ok", false);
                    ArrayNode list = o.putArray("target_errors");
                    for (TargetError t : e.errors()) {
                        list.addObject().put("file", t.file()).put("line", t.line()).put("column", t.column())
                                .put("key", t.keyPath()).put("message", t.message()).put("help", t.hint());
                    }
                    out.println(o.toPrettyString());
                }
                out.flush();
                err.flush();
                return ExitCodes.USER_ERROR;
            }
        } else if (emit == Emit.mapping || emit == Emit.lowered) {
            throw new UserError("--emit " + emit + " needs --target NAME|FILE.yaml");
        } else if (output != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-o PROGRAM needs --target NAME|FILE.yaml");
        } else if (build.trained != null) {
            throw new UserError("--weights needs --target NAME|FILE.yaml: weights are folded and quantized for a target");
        }
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
        Mapping mapping = null;
        MappedPlacement mapped = null;
        if (hw != null) {
            try {
                mapped = MappedPlacement.of(ir.get(), hw);
                mapping = mapped.mapping();
            } catch (MappingException e) {
                for (MappingError m : e.errors()) err.println(m.render());
                err.println(DiagnosticPrinter.plural(e.errors().size(), "error") + ": " + ir.get().network()
                        + " does not fit target " + hw.name());
                if (format == OutputFormat.json) {
                    ObjectNode o = IrJson.mapper().createObjectNode().put("ok", false);
                    ArrayNode list = o.putArray("mapping_errors");
                    for (MappingError m : e.errors()) {
                        ObjectNode j = list.addObject();
                        j.put("code", m.code().id()).put("layer", m.layer()).put("message", m.message());
                        if (m.origin() != null) {
                            j.put("file", m.origin().file()).put("line", m.origin().line()).put("column", m.origin().column());
                        }
                        ArrayNode help = j.putArray("help");
                        m.help().forEach(help::add);
                    }
                    out.println(o.toPrettyString());
                }
                out.flush();
                err.flush();
                return ExitCodes.USER_ERROR;
            }
            if (format == OutputFormat.json || emit != Emit.mapping) {
                for (String w : mapping.warnings()) err.println("warning: " + w);
                err.flush();
            }
        }
        Written written = output != null ? write(ir.get(), hw, mapped) : null;
        // The fold and quantize reports: from the written program's build, or the two passes alone.
        // --emit mapping prints the mapping alone, so the passes' reports are not computed for it.
        boolean cheap = ir.get().totals().synapses() <= LOWERING_REPORT_SYNAPSES;
        boolean report = hw != null && (written != null || emit == Emit.lowered
                || (cheap && (format == OutputFormat.json || emit != Emit.mapping)));
        ProgramBuilder.Result lowered = !report ? null : written != null ? written.built() : lower(ir.get(), hw, err);
        if (hw != null && !report && emit != Emit.mapping) {
            err.printf("note: fold and quantize reports skipped for %,d synapses; --emit lowered (or -o) computes them%n",
                    ir.get().totals().synapses());
        }
        if (lowered != null) {
            for (String w : lowered.lowering().warnings()) err.println("warning: " + w);
            err.flush();
        }
        if (format == OutputFormat.json) {
            ObjectNode o = IrJson.toJson(ir.get());
            if (mapping != null) MappingReport.toJson(mapping, o.putObject("mapping"));
            if (lowered != null) loweringJson(lowered, o.putObject("lowering"));
            if (written != null) written.toJson(o.putObject("program"));
            out.println(o.toPrettyString());
        } else if (emit == Emit.mapping) {
            out.print(MappingReport.text(mapping));
        } else if (emit == Emit.lowered) {
            out.print(loweringText(lowered));
        } else if (emit == Emit.ir) {
            out.print(IrText.write(ir.get()));
        } else {
            out.print(layerTable(ir.get()));
            if (mapping != null) out.print("\n" + MappingReport.text(mapping));
            if (lowered != null) out.print("\n" + loweringText(lowered));
        }
        if (written != null && format != OutputFormat.json) {
            // With --emit, stdout holds that form alone; the summary goes beside the diagnostics.
            (emit == null ? out : err).print((emit == null ? "\n" : "") + written.text());
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    private ProgramBuilder.Result lower(SpikingIr ir, Target hw, PrintWriter err) {
        List<String> notes = new ArrayList<>();
        try {
            ProgramBuilder.Result result = ProgramBuilder.lower(ir, hw, build.weights(ir, notes), build.scaling());
            for (String n : notes) err.println("snnc: " + n);
            return result;
        } catch (ProgramBuildException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }

    /** The fold and quantize reports as text: one line per folded layer and per population. */
    static String loweringText(ProgramBuilder.Result r) {
        ProgramBuilder.Lowering l = r.lowering();
        StringBuilder b = new StringBuilder("lowering: ").append(r.notes().get(0)).append('\n');
        if (l.fold().isEmpty()) b.append("  fold      no bntt/batchnorm layers\n");
        for (FoldNorm.LayerReport f : l.fold()) b.append("  fold      ").append(f.summary()).append('\n');
        for (Quantize.LayerReport q : l.quantize()) {
            b.append("  quantize  ").append(q.summary()).append('\n');
            for (String w : q.warnings()) b.append("            warning: ").append(w).append('\n');
        }
        return b.toString();
    }

    static void loweringJson(ProgramBuilder.Result r, ObjectNode o) {
        ProgramBuilder.Lowering l = r.lowering();
        o.put("weights", r.notes().get(0).replaceFirst("^weights: ", ""));
        ArrayNode folds = o.putArray("fold");
        for (FoldNorm.LayerReport f : l.fold()) {
            ObjectNode j = folds.addObject().put("layer", f.layer()).put("op", f.op()).put("trained", f.trained())
                    .put("mode", f.mode().name().toLowerCase()).put("steps", f.steps()).put("identity", f.identity())
                    .put("max_step_deviation", f.maxDeviation());
            ArrayNode scale = j.putArray("scale");
            for (double v : f.scale()) scale.add(v);
            ArrayNode shift = j.putArray("shift");
            for (double v : f.shift()) shift.add(v);
        }
        ArrayNode quant = o.putArray("quantize");
        for (Quantize.LayerReport q : l.quantize()) {
            ObjectNode j = quant.addObject().put("layer", q.layer()).put("scale", q.scale()).put("exponent", q.exponent())
                    .put("weight_bits", q.weightBits()).put("threshold", q.threshold()).put("firing_level", q.firingLevel())
                    .put("weights", q.weights()).put("clipped", q.clipped()).put("clipped_fraction", q.clippedFraction())
                    .put("zero", q.zeros()).put("zero_fraction", q.zeroFraction()).put("max_step_input", q.maxStepInput())
                    .put("leak", q.leak()).put("effective_leak", q.effectiveLeak()).put("decay_v", q.decayV())
                    .put("linear_leak", q.linearLeak()).put("readout", q.integrator());
            if (q.channelScale() != null) {
                ArrayNode cs = j.putArray("channel_scale");
                for (double v : q.channelScale()) cs.add(v);
                ArrayNode ct = j.putArray("channel_threshold");
                for (int v : q.channelThreshold()) ct.add(v);
            }
            ArrayNode w = j.putArray("warnings");
            q.warnings().forEach(w::add);
        }
        ArrayNode w = o.putArray("warnings");
        l.warnings().forEach(w::add);
    }

    /** What {@code -o} wrote. */
    private record Written(Path path, long bytes, Program program, String placement, List<String> notes,
            ProgramBuilder.Result built) {

        String text() {
            Program p = program;
            StringBuilder b = new StringBuilder();
            b.append(String.format("wrote %s (%,d bytes): %,d neurons on %,d cores of %d chip(s), %,d synapses, %s placement%n",
                    path, bytes, p.neurons(), p.cores().count(), chips(p), p.synapses().count(), placement));
            for (String n : notes) b.append("  note: ").append(n).append('\n');
            return b.toString();
        }

        void toJson(ObjectNode o) {
            o.put("path", path.toString()).put("bytes", bytes).put("format_version", program.header().formatVersion())
                    .put("placement", placement).put("neurons", program.neurons()).put("cores", program.cores().count())
                    .put("chips_used", chips(program)).put("synapses", program.synapses().count())
                    .put("seed", program.header().seed());
            ArrayNode list = o.putArray("notes");
            notes.forEach(list::add);
        }

        private static int chips(Program p) {
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int c : p.cores().chip()) used.add(c);
            return used.size();
        }
    }

    private Written write(SpikingIr ir, Target hw, MappedPlacement mapped) {
        List<String> notes = new ArrayList<>();
        ProgramOptions.Built built = build.build(file.toString(), ir, hw, Optional.of(mapped), notes);
        try {
            ProgramWriter.write(built.program(), output);
            return new Written(output, Files.size(output), built.program(), built.placement(), notes, built.result());
        } catch (IOException e) {
            throw new UserError("cannot write the program to " + output + ": " + e.getMessage());
        }
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
