package org.snnc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.IrJson;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramFormatException;
import org.snnc.compiler.program.ProgramReader;
import org.snnc.compiler.program.ProgramWriter;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetException;
import org.snnc.compiler.target.TargetLoader;
import org.snnc.simulator.Costs;
import org.snnc.simulator.DenseEngine;
import org.snnc.simulator.Engine;
import org.snnc.simulator.EventEngine;
import org.snnc.simulator.InputSpikes;
import org.snnc.simulator.SimReport;
import org.snnc.simulator.SimResult;
import org.snnc.simulator.report.HtmlReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Simulate a network on a target, event by event, and report spikes, synaptic ops, hops, cycles and energy.",
                "Builds the program from FILE.snn for --target (seeded random weights, mapped placement), or loads one saved with",
                "--save-program or compile -o.",
                "Inputs are seeded Poisson spikes at --input-rate on every channel."})
final class SimCommand implements Callable<Integer> {

    enum EngineKind { event, dense }

    enum FirstLayer { ac, mac }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The .snn file (or give --program).")
    Path file;

    @Mixin
    ParamOptions params;

    @Mixin
    ProgramOptions build;

    @Option(names = "--target", paramLabel = "NAME|FILE.yaml", description = "Hardware target: a preset (loihi, truenorth, generic) or a YAML file. Required with FILE; with --program it defaults to the program's target preset.")
    String target;

    @Option(names = "--program", paramLabel = "PROGRAM", description = "A compiled program to run instead of FILE.")
    Path program;

    @Option(names = "--save-program", paramLabel = "PATH", description = "Write the program built from FILE here (atomically).")
    Path saveProgram;

    @Option(names = "--engine", defaultValue = "event", description = "event (default) or dense (the slow reference).")
    EngineKind engine;

    @Option(names = "--steps", paramLabel = "N", description = "Time steps to run (default: the network's timesteps).")
    Integer steps;

    @Option(names = "--input-rate", paramLabel = "R", defaultValue = "0.2", description = "Probability that an input channel spikes at a step (default ${DEFAULT-VALUE}).")
    double inputRate;

    @Option(names = "--first-layer", defaultValue = "ac", description = "Paper energy of the layers reading an input: ac (x spike rate) or mac (one ANN pass) (default ${DEFAULT-VALUE}).")
    FirstLayer firstLayer;

    @Option(names = "--threads", paramLabel = "N", description = "Host threads of the event engine (default: available processors).")
    Integer threads;

    @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
    OutputFormat format;

    @Option(names = "--report", paramLabel = "REPORT.html", description = "Also write a self-contained HTML page of charts and tables (atomically).")
    Path reportFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((file == null) == (program == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either FILE.snn (with --target) or --program PROGRAM");
        }
        if (file != null && target == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "FILE.snn needs --target NAME|FILE.yaml");
        }
        if (program != null && (saveProgram != null || !params.values().isEmpty() || build.placement != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--save-program, --param and --placement apply to FILE.snn, not to --program");
        }
        if (!(inputRate >= 0 && inputRate <= 1)) throw new UserError("--input-rate " + inputRate + " is not in [0, 1]");
        if (steps != null && steps < 1) throw new UserError("--steps " + steps + " is not positive");
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1) throw new UserError("--threads " + threadCount + " is not positive");

        List<String> notes = new ArrayList<>();
        // The placement of a program built here; a loaded program's placement is not recorded in it.
        String placementUsed = null;
        Program prog;
        Target tgt;
        if (file != null) {
            tgt = loadTarget(target);
            Diagnostics diagnostics = new Diagnostics();
            Optional<SpikingIr> ir = Frontend.compile(file, file.toString(), params.values(), diagnostics);
            DiagnosticPrinter.print(diagnostics, err);
            if (ir.isEmpty()) return ExitCodes.USER_ERROR;
            ProgramOptions.Built built = build.build(file.toString(), ir.get(), tgt, Optional.empty(), notes);
            prog = built.program();
            placementUsed = built.placement();
            if (saveProgram != null) {
                try {
                    ProgramWriter.write(prog, saveProgram);
                } catch (IOException e) {
                    throw new UserError("cannot write the program to " + saveProgram + ": " + e.getMessage());
                }
            }
        } else {
            try {
                prog = ProgramReader.read(program);
            } catch (NoSuchFileException e) {
                throw new UserError(program + ": no such file");
            } catch (IOException e) {
                throw new UserError("cannot read " + program + ": " + e.getMessage());
            } catch (ProgramFormatException e) {
                throw new UserError(program + ": " + e.getMessage());
            }
            String name = target != null ? target : prog.header().target();
            if (target == null && !TargetLoader.PRESETS.contains(name)) {
                throw new UserError(program + " was built for target '" + name + "', which is no preset; give its file with --target");
            }
            tgt = loadTarget(name);
            if (!tgt.name().equals(prog.header().target())) {
                notes.add("costs from target '" + tgt.name() + "'; the program was built for '" + prog.header().target() + "'");
            }
        }

        int n = steps != null ? steps : prog.header().timesteps();
        Costs costs = Costs.of(tgt);
        long seed = build.seed();
        InputSpikes input = InputSpikes.poisson(prog.inputChannels(), inputRate, seed);
        Engine eng = engine == EngineKind.dense ? new DenseEngine() : new EventEngine(threadCount);
        notes.add("inputs: Poisson spikes at rate " + inputRate + " on every channel, seed " + seed);

        // Ctrl-C: stop after the current step and print what was counted, rather than nothing.
        AtomicBoolean cancel = new AtomicBoolean();
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.set(true);
            try {
                reported.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "snnc-sim-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long started = System.nanoTime();
            long[] lastReport = {started};
            Engine.Options options = new Engine.Options(false, done -> {
                long now = System.nanoTime();
                if (now - lastReport[0] > 1_000_000_000L) {
                    lastReport[0] = now;
                    err.printf("snnc sim: step %d of %d (%.0f s)%n", done, n, (now - started) / 1e9);
                    err.flush();
                }
            }, cancel::get);
            SimResult result;
            try {
                result = eng.run(prog, costs, n, input, options);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            SimReport report = SimReport.of(prog, tgt, costs, engine.name(), seed, inputRate, result, firstLayer == FirstLayer.mac, notes);
            try {
                if (reportFile != null) HtmlReport.write(report, seconds, reportFile);
            } catch (IOException e) {
                throw new UserError("cannot write the report to " + reportFile + ": " + e.getMessage());
            }
            if (format == OutputFormat.json) {
                var json = report.toJson(IrJson.mapper());
                if (placementUsed != null) json.put("placement", placementUsed);
                json.put("wall_seconds", seconds);
                json.put("loop_seconds", result.loopSeconds());
                // The step loop alone, as peers report it (Brian2: its run time, code generation excluded).
                json.put("synaptic_events_per_second", result.totalSynOps() / Math.max(result.loopSeconds(), 1e-9));
                out.println(json.toPrettyString());
            } else {
                out.print(report.toText());
                out.printf("%nwall time %.3f s (step loop %.3f s), %.3g synaptic events per second of the loop (%s engine, %d thread%s)%n",
                        seconds, result.loopSeconds(), result.totalSynOps() / Math.max(result.loopSeconds(), 1e-9), engine,
                        engine == EngineKind.dense ? 1 : threadCount,
                        engine == EngineKind.dense || threadCount == 1 ? "" : "s");
            }
            if (result.interrupted()) err.println("snnc sim: interrupted after step " + result.steps() + " of " + n);
            out.flush();
            err.flush();
            return ExitCodes.OK;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting (Ctrl-C): the hook is running and has been released above.
            }
        }
    }

    private static Target loadTarget(String name) {
        try {
            return TargetLoader.resolve(name);
        } catch (TargetException e) {
            throw new UserError("target " + name + ":\n" + e.render());
        }
    }
}
