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
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.Locale;
import org.snnc.compiler.ir.IrJson;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramFormatException;
import org.snnc.compiler.program.ProgramReader;
import org.snnc.compiler.program.ProgramWriter;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetException;
import org.snnc.compiler.target.TargetLoader;
import org.snnc.compiler.ir.Encoding;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.data.DataSpec;
import org.snnc.runtime.data.DataSpecException;
import org.snnc.runtime.data.EventFrames;
import org.snnc.runtime.data.Dataset;
import org.snnc.runtime.data.Split;
import org.snnc.runtime.predict.Images;
import org.snnc.simulator.EncodedInput;
import org.snnc.simulator.Readout;
import org.snnc.simulator.SampleTotals;
import org.snnc.simulator.Costs;
import org.snnc.simulator.DenseEngine;
import org.snnc.simulator.Engine;
import org.snnc.simulator.EventEngine;
import org.snnc.simulator.InputSpikes;
import org.snnc.simulator.Pipeline;
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
                "Inputs are seeded Poisson spikes at --input-rate on every channel, or the samples of --data / --image encoded",
                "per the network input's encoding; --predict writes the segmentation readout's class maps."})
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

    @Option(names = "--data", paramLabel = "SPEC", description = "Run samples of a data set, e.g. shapes:classes=4,size=64 (its image shape must be the input's).")
    String data;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1", description = "Samples of --data to run, from index 0 (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "val", description = "train or val (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--image", paramLabel = "IMG.png", description = "Run one image, resized bilinearly to the input's size.")
    Path image;

    @Option(names = "--events", paramLabel = "FILE",
            description = {"Run one recording of DVS events (docs/events.md: snnc-events text or binary, or Ev-SegNet .npy"
                    + " frames) binned into one frame per step for an events input."})
    Path events;

    @Option(names = "--window-ms", paramLabel = "MS",
            description = "Milliseconds of events per step for --events (default: the input's window_ms in FILE.snn).")
    Double windowMs;

    @Option(names = "--predict", paramLabel = "DIR", description = "Write each sample's class map (the integrator's argmax, input size) as a VOC-palette PNG here.")
    Path predict;

    @Option(names = "--first-layer", defaultValue = "ac", description = "Paper energy of the layers reading an input: ac (x spike rate) or mac (one ANN pass) (default ${DEFAULT-VALUE}).")
    FirstLayer firstLayer;

    @Mixin
    ThreadsOption threads;

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
        int threadCount = threads.count();

        if ((data != null ? 1 : 0) + (image != null ? 1 : 0) + (events != null ? 1 : 0) > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give one of --data, --image and --events");
        }
        if (predict != null && data == null && image == null && events == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--predict needs --data, --image or --events");
        }
        if (windowMs != null && !(windowMs > 0)) throw new UserError("--window-ms " + windowMs + " is not positive");
        // The data spec is checked before the program is built: a build can take minutes.
        Dataset dataset = null;
        if (data != null) {
            try {
                dataset = DataSpec.parse(data);
            } catch (DataSpecException e) {
                throw new UserError(e.getMessage());
            }
        }
        List<String> notes = new ArrayList<>();
        // The placement of a program built here; a loaded program's placement is not recorded in it.
        String placementUsed = null;
        // The source's IR, when built here: it gives the input's and the readout's shapes.
        SpikingIr sourceIr = null;
        Program prog;
        Target tgt;
        if (file != null) {
            tgt = loadTarget(target);
            SpikingIr ir = params.compile(file, err);
            sourceIr = ir;
            ProgramOptions.Built built = build.build(file.toString(), ir, tgt, Optional.empty(), notes);
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
        Engine eng = engine == EngineKind.dense ? new DenseEngine() : new EventEngine(threadCount);
        Samples inputs = samples(prog, sourceIr, dataset, notes);
        if (inputs == null) notes.add("inputs: Poisson spikes at rate " + inputRate + " on every channel, seed " + seed);

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
                    // Sample runs add the pipeline's drain steps after the input's.
                    int total = n + (inputs == null ? 0 : inputs.drain);
                    err.printf("snnc sim: step %d of %d (%.0f s)%n", done, total, (now - started) / 1e9);
                    err.flush();
                }
            }, cancel::get);
            SimResult result = null;
            ObjectNode prediction = null;
            int ran = 0;
            double rate = inputRate;
            try {
                if (inputs == null) {
                    result = eng.run(prog, costs, n, InputSpikes.poisson(prog.inputChannels(), inputRate, seed), options);
                    ran = 1;
                } else {
                    prediction = IrJson.mapper().createObjectNode();
                    ran = runSamples(inputs, prog, eng, costs, n, seed, options, err, notes, prediction);
                    result = inputs.total;
                    // The rate the encoding produced, for the report's input_rate: spikes per channel and step.
                    rate = (double) result.totalInputSpikes() / Math.max(1L, (long) inputs.group.count() * result.steps());
                }
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            SimReport report = SimReport.of(prog, tgt, costs, engine.name(), seed, rate, result, firstLayer == FirstLayer.mac, notes);
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
                if (inputs != null) {
                    json.put("samples", ran);
                    json.set("per_sample", perSample(report, ran));
                    json.set("prediction", prediction);
                }
                out.println(json.toPrettyString());
            } else {
                out.print(report.toText());
                out.printf("%nwall time %.3f s (step loop %.3f s), %.3g synaptic events per second of the loop (%s engine, %d thread%s)%n",
                        seconds, result.loopSeconds(), result.totalSynOps() / Math.max(result.loopSeconds(), 1e-9), engine,
                        engine == EngineKind.dense ? 1 : threadCount,
                        engine == EngineKind.dense || threadCount == 1 ? "" : "s");
                if (inputs != null) printSamples(out, report, ran, prediction);
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

    /** The samples of --data or --image and what their readout needs; {@code total} sums the runs. */
    private static final class Samples {
        Program.InputGroup group;
        Shape shape;
        Dataset dataset;
        Split split;
        int count;
        Path image;
        // --events: the recording binned into one frame per step.
        EventFrames recording;
        // An event data set whose samples are frames per step for the events input.
        boolean frames;
        // Steps after the input for the pipeline to drain into the readout (Pipeline).
        int drain;
        // The integrating population and its [classes][h][w] layout; null when the program has none.
        Program.Population integrator;
        int classes, height, width;
        // The source's bilinear upsample of the readout, if it has one: the readout does the same.
        Op.Upsample bilinear;
        SimResult total;
    }

    /** The samples asked for, or null for the default Poisson inputs; checks every option first. */
    private Samples samples(Program prog, SpikingIr ir, Dataset dataset, List<String> notes) {
        if (data == null && image == null && events == null) return null;
        if (prog.inputs().size() != 1) {
            throw new UserError("--data, --image and --events feed a network with one input; " + prog.header().network() + " has "
                    + prog.inputs().size());
        }
        Samples s = new Samples();
        s.group = prog.inputs().get(0);
        Shape declared = null;
        if (ir != null) {
            for (Node node : ir.nodes()) if (node.op() instanceof Op.Input) declared = node.shape();
        }
        if (data != null) {
            s.dataset = dataset;
            s.split = switch (split) {
                case "train" -> Split.TRAIN;
                case "val" -> Split.VAL;
                default -> throw new UserError("--split " + split + " is neither train nor val");
            };
            if (samples < 1 || samples > s.dataset.size(s.split)) {
                throw new UserError("--samples " + samples + " is not in [1, " + s.dataset.size(s.split) + "] (the " + split + " split)");
            }
            s.count = samples;
            s.shape = s.dataset.imageShape();
            if (s.shape.size() != s.group.count() || (declared != null && !declared.equals(s.shape))) {
                throw new UserError("--data " + data + " gives images " + s.shape + ", but input '" + s.group.name() + "' is "
                        + (declared != null ? declared.toString() : s.group.count() + " channels"));
            }
            // An event set's frames feed an events input step by step, as in training.
            s.frames = s.dataset.timesteps() > 0 && s.group.encoding().equals("events");
        } else if (events != null) {
            if (!s.group.encoding().equals("events")) {
                throw new UserError("--events feeds an input encoded as events; input '" + s.group.name() + "' is "
                        + s.group.encoding());
            }
            s.count = 1;
            s.shape = declared != null ? declared : squareShape(s.group);
            double window = windowMs != null ? windowMs : ir != null ? inputEncoding(ir).windowMs() : 0;
            if (!(window > 0)) throw new UserError("--events with --program needs --window-ms MS (the program does not keep it)");
            int n = steps != null ? steps : prog.header().timesteps();
            try {
                s.recording = EventFrames.read(events, s.shape, n, window);
            } catch (NoSuchFileException e) {
                throw new UserError(events + ": no such file");
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
            if (s.recording.outside() > 0) {
                notes.add(String.format("--events: %,d of %,d events fall outside the %d windows of %s ms and are left out",
                        s.recording.outside(), s.recording.events() + s.recording.outside(), n, window));
            }
        } else {
            s.image = image;
            s.count = 1;
            s.shape = declared != null ? declared : squareShape(s.group);
        }
        // The readout's layout: the IR's accumulate shape, else the data's classes on a square map.
        for (Program.Population pop : prog.populations()) {
            if (pop.params().integrator()) {
                if (s.integrator != null) {
                    s.integrator = null;
                    break;
                }
                s.integrator = pop;
            }
        }
        if (s.integrator != null) {
            Shape out = null;
            if (ir != null) {
                for (Node node : ir.nodes()) {
                    if (node.name().equals(s.integrator.layer())) {
                        out = node.shape();
                        s.bilinear = Readout.bilinearUpsampleOf(ir, node);
                    }
                }
            }
            if (out == null && s.dataset != null) {
                int hw = s.integrator.size() / s.dataset.classes();
                int side = (int) Math.round(Math.sqrt(hw));
                if (hw * s.dataset.classes() == s.integrator.size() && side * side == hw) out = new Shape(s.dataset.classes(), side, side);
            }
            if (out != null && !out.isFlat()) {
                s.classes = out.channels();
                s.height = out.height();
                s.width = out.width();
            } else {
                notes.add("no readout: the layout of " + s.integrator.layer() + " (" + s.integrator.size()
                        + " values) is not known from the program" + (s.dataset != null ? " and " + s.dataset.classes()
                        + " classes on a square map" : "") + "; give FILE.snn");
                s.integrator = null;
            }
        }
        if (predict != null && s.integrator == null) {
            throw new UserError("--predict needs one integrating population of shape [classes, h, w] whose layout is known"
                    + " (give FILE.snn rather than --program, or --data with the network's classes)");
        }
        if (s.dataset != null && s.integrator != null && s.classes < s.dataset.classes()) {
            throw new UserError("--data " + data + " has " + s.dataset.classes() + " classes but the readout '"
                    + s.integrator.layer() + "' only " + s.classes);
        }
        if (predict != null) {
            try {
                Files.createDirectories(predict);
            } catch (IOException e) {
                throw new UserError("cannot create --predict " + predict + ": " + e.getMessage());
            }
        }
        if (s.recording != null) {
            notes.add(String.format("inputs: %s, %,d events binned into one frame per step; a channel spikes at a step where an"
                    + " event fell in its window", events, s.recording.events()));
        } else {
            notes.add("inputs: " + (s.dataset != null ? s.count + " sample" + (s.count == 1 ? "" : "s") + " of " + s.dataset.spec()
                    + " (" + split + " split, from index 0)" : "image " + image + " resized bilinearly to " + s.shape)
                    + (s.frames ? ", each a sequence of event frames: a channel spikes at step t where an event fell in window t"
                    : ", encoded " + s.group.encoding() + " per sample from a stream seeded by --seed and the sample")
                    + "; membranes reset between samples; counts are summed over samples");
        }
        if (s.integrator != null) {
            s.drain = Pipeline.delays(prog)[s.integrator.id()];
            notes.add("pipeline: a spike reaches the next population one step later on cores, so the readout lags the"
                    + " input by " + s.drain + " step(s); each sample runs its input steps and " + s.drain + " more for"
                    + " the pipeline to drain, with each population's bias on for its own window of input steps");
            notes.add("readout: " + s.integrator.layer() + "'s final voltages / voltage scale / input steps ([" + s.classes + ", "
                    + s.height + ", " + s.width + "]) upsampled to " + s.shape.height() + "x"
                    + s.shape.width() + (s.bilinear != null ? " bilinearly (align_corners " + s.bilinear.alignCorners()
                    + ", as the network)" : " by nearest neighbour (the source's upsample is not known here)")
                    + ", then the argmax over classes");
            if (build.trained == null && prog.header().seed() != 0) {
                notes.add("the weights are seeded random (no --weights), so pixel accuracy and mIoU are not meaningful");
            }
        }
        return s;
    }

    /** The encoding of the network's one input. */
    private static Encoding inputEncoding(SpikingIr ir) {
        for (Node node : ir.nodes()) if (node.op() instanceof Op.Input in) return in.encoding();
        throw new IllegalStateException(ir.network() + " has no input");
    }

    /**
     * A square map of the group's channels for a loaded program: 2 (ON/OFF) for an events input,
     * else 3 or 1 (an image).
     */
    private static Shape squareShape(Program.InputGroup g) {
        for (int c : g.encoding().equals("events") ? new int[] {2} : new int[] {3, 1}) {
            int hw = g.count() / c;
            int side = (int) Math.round(Math.sqrt(hw));
            if (hw * c == g.count() && side * side == hw) return new Shape(c, side, side);
        }
        throw new UserError("cannot tell the shape of input '" + g.name() + "' (" + g.count()
                + " channels) from the program; give FILE.snn");
    }

    /** Runs every sample from reset membranes, reads out and scores each; returns the samples run. */
    private int runSamples(Samples s, Program prog, Engine eng, Costs costs, int n, long seed, Engine.Options options,
            PrintWriter err, List<String> notes, ObjectNode prediction) {
        int pixels = s.shape.height() * s.shape.width();
        Readout.Confusion confusion = s.dataset != null && s.integrator != null ? new Readout.Confusion(s.dataset.classes()) : null;
        float[] x = new float[s.group.count()];
        float[] frames = null;
        int[] labels = new int[pixels];
        long negative = 0;
        boolean signed = false;
        var files = prediction.putArray("files");
        int ran = 0;
        for (int i = 0; i < s.count; i++) {
            String name;
            InputSpikes input = null;
            if (s.recording != null) {
                input = new FrameSpikes(s.group.offset(), s.recording.counts(), s.group.count());
                String file = events.getFileName().toString();
                name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
            } else if (s.frames) {
                if (frames == null) frames = new float[s.dataset.timesteps() * s.group.count()];
                s.dataset.readFrames(s.split, i, frames, 0, labels, 0);
                input = new FrameSpikes(s.group.offset(), frames, s.group.count());
                name = String.format(Locale.ROOT, "%s-%05d", s.split.keyword(), i);
            } else if (s.dataset != null) {
                s.dataset.read(s.split, i, x, 0, labels, 0);
                name = String.format(Locale.ROOT, "%s-%05d", s.split.keyword(), i);
            } else {
                try {
                    x = Images.readImage(s.image, s.shape.channels(), s.shape.height(), s.shape.width());
                } catch (Images.ImageException e) {
                    throw new UserError(s.image + ": " + e.getMessage());
                }
                String file = s.image.getFileName().toString();
                name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
            }
            // Each sample its own stream: sample i's spikes do not depend on how many run before it.
            if (input == null) {
                EncodedInput encoded = EncodedInput.of(s.group.encoding(), s.group.offset(), x, seed * 0x9E3779B97F4A7C15L + 31L * i + 1);
                signed = encoded.signed();
                input = encoded;
            }
            SimResult r = eng.run(prog, costs, n + s.drain, s.drain > 0 ? Pipeline.window(input, n) : input, options);
            if (signed) negative += ((EncodedInput) input).negativeSpikes(Math.min(n, r.steps()));
            s.total = SampleTotals.add(s.total, r);
            ran++;
            if (s.integrator != null && r.steps() > 0) {
                double[] means = Readout.means(s.integrator, r.finalV(), Math.min(n, r.steps()));
                int outH = s.shape.height(), outW = s.shape.width();
                int[] classMap = Readout.classMap(means, s.classes, s.height, s.width, outH, outW,
                        s.bilinear != null ? s.bilinear.alignCorners() : null);
                if (confusion != null) confusion.add(classMap, labels);
                if (predict != null) {
                    Path file = predict.resolve(name + ".png");
                    try {
                        Images.writePng(Images.indexed(classMap, s.shape.height(), s.shape.width()), file);
                    } catch (IOException e) {
                        throw new UserError("cannot write " + file + ": " + e.getMessage());
                    }
                    files.add(file.toString());
                }
            }
            if (r.interrupted()) break;
            if (s.count > 1) {
                err.printf("snnc sim: sample %d of %d done%n", i + 1, s.count);
                err.flush();
            }
        }
        if (signed) {
            notes.add("signed input: " + negative + " input spikes of sign -1 subtracted their weights");
        }
        prediction.put("pixel_accuracy", confusion == null ? null : nullIfNaN(confusion.pixelAccuracy()));
        prediction.put("mean_iou", confusion == null ? null : nullIfNaN(confusion.meanIou()));
        return ran;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** The counters and energies divided by the samples run. */
    private static ObjectNode perSample(SimReport report, int ran) {
        SimResult r = report.result();
        double k = Math.max(ran, 1);
        ObjectNode o = IrJson.mapper().createObjectNode();
        o.put("spikes", r.totalSpikes() / k);
        o.put("input_spikes", r.totalInputSpikes() / k);
        o.put("synaptic_ops", r.totalSynOps() / k);
        o.put("neuron_updates", r.totalUpdates() / k);
        o.put("hops", r.totalHops() / k);
        o.put("ticks", r.totalTicks() / k);
        o.put("hardware_pj", report.hardware().totalPj() / k);
        o.put("paper_snn_pj", report.paper().snnPj() / k);
        return o;
    }

    private static void printSamples(PrintWriter out, SimReport report, int ran, ObjectNode prediction) {
        ObjectNode per = perSample(report, ran);
        out.printf(Locale.ROOT, "%nper sample (%d sample%s): %.1f spikes, %.1f input spikes, %.1f synaptic ops, %.1f neuron updates,"
                        + " %.1f hops, %.4g pJ (hardware), %.4g pJ (paper SNN)%n", ran, ran == 1 ? "" : "s",
                per.get("spikes").asDouble(), per.get("input_spikes").asDouble(), per.get("synaptic_ops").asDouble(),
                per.get("neuron_updates").asDouble(), per.get("hops").asDouble(), per.get("hardware_pj").asDouble(),
                per.get("paper_snn_pj").asDouble());
        if (!prediction.get("pixel_accuracy").isNull()) {
            out.printf(Locale.ROOT, "prediction: pixel accuracy %.4f, mIoU %.4f%n",
                    prediction.get("pixel_accuracy").asDouble(), prediction.get("mean_iou").asDouble());
        }
        for (var f : prediction.get("files")) out.println("wrote " + f.asText());
    }

    /** A preset or YAML target; its located errors end the command as a user error. */
    static Target loadTarget(String name) {
        try {
            return TargetLoader.resolve(name);
        } catch (TargetException e) {
            throw new UserError("target " + name + ":\n" + e.render());
        }
    }
}
