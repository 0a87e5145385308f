package org.snnc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.target.Target;
import org.snnc.simulator.Costs;
import org.snnc.simulator.Engine;
import org.snnc.simulator.EventEngine;
import org.snnc.simulator.InputSpikes;
import org.snnc.simulator.SimResult;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.runtime.kernel.Gemm;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.optim.Adam;
import org.snnc.runtime.train.TrainStep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code snnc bench KIND}: whole-command benchmarks, the median of timed runs after warm-up.
 * Each kind is a subcommand, so another kind is one more class in the subcommands list.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Whole-command benchmarks: median of timed runs after warm-up. Kinds are the subcommands.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Sim.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark kind is required (train or sim)");
    }

    /**
     * Full training steps on random data: the same {@link TrainStep} as {@code snnc train}
     * (encode, forward over all time steps, BPTT backward, Adam with the released recipe).
     */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Time full training steps (encode, forward over T, BPTT backward, optimiser step)",
                    "of a .snn network on seeded random images and labels; prints the median seconds per step."})
    static final class Train implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The .snn file.")
        Path file;

        @Mixin
        ParamOptions params;

        @Option(names = "--batch", defaultValue = "4", description = "Samples per step (default ${DEFAULT-VALUE}).")
        int batch;

        @Mixin
        ThreadsOption threads;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--runs", defaultValue = "5", description = "Timed steps (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of weights, data and encodings (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
        OutputFormat format;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (batch < 1 || warmup < 0 || runs < 1) {
                throw new UserError("--batch and --runs must be positive and --warmup not negative");
            }
            int threadCount = threads.count();
            SpikingIr ir = params.compile(file, err);
            Network net;
            try {
                net = Network.build(ir, new ModelOptions(seed, Init.XAVIER));
            } catch (ModelException e) {
                throw new UserError(file + ": " + e.getMessage());
            }
            Shape in = net.inputShape();
            Shape outShape = net.outputShape();
            int classes = outShape.channels();
            // Images in [0, 1) as the data sets give them; one label per output pixel.
            SplittableRandom random = new SplittableRandom(seed);
            float[] images = new float[Math.toIntExact((long) batch * in.size())];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) random.nextDouble();
            }
            int[] labels = new int[batch * outShape.height() * outShape.width()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = random.nextInt(classes);
            }
            double lr = 3e-3;
            double[] seconds = new double[runs];
            boolean vectorTiles;
            try (Parallel par = new Parallel(threadCount)) {
                Adam adam = new Adam(net.parameters(), Adam.Config.released());
                long step = 0;
                for (int i = 0; i < warmup; i++, step++) {
                    TrainStep.run(net, adam, images, labels, batch, seed, step, lr, 0, par);
                }
                // Network.build waited for the vector kernels (same bits either way; see Gemm):
                // say which ones the timed steps ran.
                vectorTiles = Gemm.awaitVectorTiles(0);
                // The peak heap of the timed steps, not of compilation and set-up.
                resetPeakHeap();
                for (int i = 0; i < runs; i++, step++) {
                    long t0 = System.nanoTime();
                    TrainStep.run(net, adam, images, labels, batch, seed, step, lr, 0, par);
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
            } catch (ModelException e) {
                throw new UserError(file + ": " + e.getMessage());
            }
            long peakHeap = peakHeap();
            long peakRss = peakRss();
            double median = median(seconds);
            if (format == OutputFormat.json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("median_step_seconds", median);
                o.put("runs", runs);
                o.put("peak_heap_bytes", peakHeap);
                if (peakRss >= 0) {
                    o.put("peak_rss_bytes", peakRss);
                } else {
                    o.putNull("peak_rss_bytes");
                }
                o.put("kind", "train");
                o.put("file", file.toString());
                o.put("network", ir.network());
                ObjectNode p = o.putObject("params");
                for (Map.Entry<String, String> e : params.values().entrySet()) {
                    p.put(e.getKey(), e.getValue());
                }
                o.put("timesteps", net.timesteps());
                o.put("batch", batch);
                o.put("threads", threadCount);
                o.put("warmup", warmup);
                o.put("seed", seed);
                o.put("vector_tiles", vectorTiles);
                var steps = o.putArray("step_seconds");
                Arrays.stream(seconds).forEach(steps::add);
                out.println(o.toPrettyString());
            } else {
                out.printf(Locale.ROOT, "%s: median %.4f s per training step over %d runs (batch %d, %d time steps,"
                                + " %d threads, %s); peak heap %.1f MB, peak RSS %s%n", ir.network(), median, runs, batch,
                        net.timesteps(), threadCount, vectorTiles ? "vector products" : "scalar products", peakHeap / 1e6,
                        peakRss >= 0 ? String.format(Locale.ROOT, "%.1f MB", peakRss / 1e6) : "unknown");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /**
     * The event-driven engine on a compiled network: untimed warm-up runs, then timed runs of the
     * step loop alone (tables are built before it, as peers build their synapses before running).
     */
    @Command(name = "sim", mixinStandardHelpOptions = true,
            description = {"Time the event-driven simulator's step loop on a .snn network compiled for a target,",
                    "with seeded Poisson inputs; prints the median synaptic events per second."})
    static final class Sim implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The .snn file.")
        Path file;

        @Mixin
        ParamOptions params;

        @Mixin
        ProgramOptions build;

        @Option(names = "--target", paramLabel = "NAME|FILE.yaml", defaultValue = "loihi",
                description = "Hardware target (default ${DEFAULT-VALUE}).")
        String target;

        @Option(names = "--steps", paramLabel = "N", description = "Time steps per run (default: the network's timesteps).")
        Integer steps;

        @Option(names = "--input-rate", paramLabel = "R", defaultValue = "0.2",
                description = "Probability that an input channel spikes at a step (default ${DEFAULT-VALUE}).")
        double inputRate;

        @Mixin
        ThreadsOption threads;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--runs", defaultValue = "5", description = "Timed runs (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
        OutputFormat format;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (warmup < 0 || runs < 1 || (steps != null && steps < 1)) {
                throw new UserError("--runs and --steps must be positive and --warmup not negative");
            }
            if (!(inputRate >= 0 && inputRate <= 1)) throw new UserError("--input-rate " + inputRate + " is not in [0, 1]");
            int threadCount = threads.count();
            Target tgt = SimCommand.loadTarget(target);
            SpikingIr ir = params.compile(file, err);
            List<String> notes = new ArrayList<>();
            Program program = build.build(file.toString(), ir, tgt, Optional.empty(), notes).program();
            int n = steps != null ? steps : program.header().timesteps();
            Costs costs = Costs.of(tgt);
            EventEngine engine = new EventEngine(threadCount);
            double[] rates = new double[runs];
            SimResult last = null;
            for (int i = 0; i < warmup + runs; i++) {
                if (i == warmup) {
                    resetPeakHeap();
                }
                // The same inputs every run: a run is a repetition, not a new experiment.
                InputSpikes input = InputSpikes.poisson(program.inputChannels(), inputRate, build.seed());
                last = engine.run(program, costs, n, input, Engine.Options.quiet());
                if (i >= warmup) rates[i - warmup] = last.totalSynOps() / Math.max(last.loopSeconds(), 1e-9);
            }
            long peakHeap = peakHeap();
            double median = median(rates);
            long neurons = 0;
            for (Program.Population p : program.populations()) neurons += p.size();
            double firing = (double) last.totalSpikes() / Math.max(1, neurons) / n;
            if (format == OutputFormat.json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("synaptic_events_per_second", median);
                o.put("runs", runs);
                o.put("peak_heap_bytes", peakHeap);
                o.put("kind", "sim");
                o.put("file", file.toString());
                o.put("network", ir.network());
                o.put("target", tgt.name());
                o.put("steps", n);
                o.put("input_rate", inputRate);
                o.put("threads", threadCount);
                o.put("warmup", warmup);
                o.put("synaptic_events_per_run", last.totalSynOps());
                o.put("spikes_per_run", last.totalSpikes());
                o.put("firing_per_step", firing);
                var r = o.putArray("events_per_second");
                Arrays.stream(rates).forEach(r::add);
                var notesJson = o.putArray("notes");
                notes.forEach(notesJson::add);
                out.println(o.toPrettyString());
            } else {
                out.printf(Locale.ROOT, "%s on %s: median %.4g synaptic events per second of the step loop over %d runs"
                                + " (%d steps, %,d events and %,d spikes per run, %.1f%% of neurons firing per step, %d threads);"
                                + " peak heap %.1f MB%n", ir.network(), tgt.name(), median, runs, n, last.totalSynOps(),
                        last.totalSpikes(), 100 * firing, threadCount, peakHeap / 1e6);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Starts the peak-heap measurement afresh: the timed runs, not compilation and set-up. */
    static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** The heap pools' peak use since {@link #resetPeakHeap}, in bytes. */
    static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** The process's peak resident set (VmHWM of /proc/self/status) in bytes, or -1 where there is none. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
