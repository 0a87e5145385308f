package org.snnc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.snnc.compiler.target.Target;
import org.snnc.runtime.io.TrainedWeights;
import org.snnc.runtime.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate trained weights on a data split: mIoU, pixel accuracy, per-class IoU and",
                "spike rates (the paper's Eq. 8: spikes per neuron summed over all time steps)."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .snn file.")
    Path file;

    @Mixin
    ParamOptions params;

    @Mixin
    TrainedNetworkOptions trained;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "SIGMA",
            description = "Add Gaussian noise N(0, SIGMA) to the inputs before encoding (the paper's robustness test).")
    double noise;

    @Option(names = "--quantize", paramLabel = "TARGET",
            description = {"Also evaluate the network compiled for TARGET (a preset or FILE.yaml): folded, quantized and run"
                    + " on the event simulator in the target's integer arithmetic, so the accuracy cost of the hardware"
                    + " is one command."})
    String quantize;

    @Option(names = "--quant-scale", paramLabel = "layer|channel", defaultValue = "layer",
            description = "With --quantize: one weight scale per layer, or one per output channel (default ${DEFAULT-VALUE}).")
    ProgramOptions.QuantScale quantScale;

    @Option(names = "--samples", defaultValue = "0", paramLabel = "N",
            description = "Evaluate the first N samples of the split (default: all).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the encodings and the noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
    OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(noise >= 0)) {
            throw new UserError("--noise must be >= 0, got " + noise);
        }
        if (samples < 0) throw new UserError("--samples must be >= 0 (0: all), got " + samples);
        if (quantize != null && noise > 0) {
            throw new UserError("--noise and --quantize go separately: the noise is drawn per batch by the float evaluation");
        }
        Target hw = quantize == null ? null : SimCommand.loadTarget(quantize);
        TrainingSetup setup = trained.setup(file, params.values(), seed, err);
        Evaluation e = trained.evaluate(setup, samples, noise, seed, threads);
        QuantizedEval q = hw == null ? null : QuantizedEval.run(setup.ir(), new TrainedWeights(setup.net(),
                WeightsFile.resolve(trained.weights).toString()), hw, quantScale.scaling, setup.data(), trained.split(), samples,
                seed, threads.count(), err);
        if (format == OutputFormat.json) {
            ObjectNode o = json(e);
            if (q != null) {
                ObjectNode j = o.putObject("quantized");
                j.put("target", q.target());
                j.put("quant_scale", quantScale.name());
                putNumber(j, "miou", q.miou());
                putNumber(j, "pixel_accuracy", q.pixelAccuracy());
                ArrayNode iou = j.putArray("per_class_iou");
                for (double v : q.perClassIou()) {
                    if (Double.isNaN(v)) iou.addNull();
                    else iou.add(v);
                }
                j.put("samples", q.samples());
                ArrayNode notes = j.putArray("notes");
                q.notes().forEach(notes::add);
            }
            out.println(o.toPrettyString());
        } else {
            out.printf(Locale.ROOT, "%s on %s (%s, %d samples%s)%n", setup.ir().network(), setup.data().spec(), trained.split,
                    e.samples(), noise > 0 ? ", noise " + noise : "");
            out.printf(Locale.ROOT, "mIoU            %.4f%n", e.miou());
            out.printf(Locale.ROOT, "pixel accuracy  %.4f%n", e.pixelAccuracy());
            double[] iou = e.perClassIou();
            for (int k = 0; k < iou.length; k++) {
                out.printf(Locale.ROOT, "  class %-3d IoU %s%n", k, Double.isNaN(iou[k]) ? "-" : String.format(Locale.ROOT, "%.4f", iou[k]));
            }
            out.println("spike rates (spikes per neuron over all time steps):");
            for (Map.Entry<String, Double> r : e.spikeRates().entrySet()) {
                out.printf(Locale.ROOT, "  %-14s %.4f%n", r.getKey(), r.getValue());
            }
            if (q != null) {
                out.printf(Locale.ROOT, "%nquantized for %s, one weight scale per %s (event simulator, %d samples):%n", q.target(),
                        quantScale.name(), q.samples());
                out.printf(Locale.ROOT, "mIoU            %.4f  (%+.4f against float)%n", q.miou(), q.miou() - e.miou());
                out.printf(Locale.ROOT, "pixel accuracy  %.4f  (%+.4f)%n", q.pixelAccuracy(), q.pixelAccuracy() - e.pixelAccuracy());
                double[] qi = q.perClassIou();
                for (int k = 0; k < qi.length; k++) {
                    out.printf(Locale.ROOT, "  class %-3d IoU %s%n", k, Double.isNaN(qi[k]) ? "-" : String.format(Locale.ROOT, "%.4f", qi[k]));
                }
                out.println("compile notes:");
                for (String n : q.notes()) out.println("  " + n);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The DESIGN.md §9 keys: miou, pixel_accuracy, per_class_iou[] (null where a class is absent), spike_rates. */
    static ObjectNode json(Evaluation e) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        putNumber(o, "miou", e.miou());
        putNumber(o, "pixel_accuracy", e.pixelAccuracy());
        ArrayNode iou = o.putArray("per_class_iou");
        for (double v : e.perClassIou()) {
            if (Double.isNaN(v)) {
                iou.addNull();
            } else {
                iou.add(v);
            }
        }
        ObjectNode rates = o.putObject("spike_rates");
        e.spikeRates().forEach((k, v) -> putNumber(rates, k, v));
        putNumber(o, "loss", e.loss());
        o.put("samples", e.samples());
        return o;
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
