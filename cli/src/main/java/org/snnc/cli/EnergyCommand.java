package org.snnc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.snnc.compiler.energy.PaperEnergy;
import org.snnc.compiler.target.Quantity;
import org.snnc.runtime.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "energy", mixinStandardHelpOptions = true,
        description = {"The paper's energy comparison (Eq. 9-12) from spike rates measured by running trained",
                "weights on data: per synaptic layer FLOPs_ANN, input rate, FLOPs_SNN, E_ANN and E_SNN."})
final class EnergyCommand implements Callable<Integer> {

    enum FirstLayer { mac, ac }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .snn file.")
    Path file;

    @Mixin
    ParamOptions params;

    @Mixin
    TrainedNetworkOptions trained;

    @Option(names = "--samples", defaultValue = "0", paramLabel = "N",
            description = "Measure the rates on the first N samples of the split (default: all).")
    int samples;

    @Option(names = "--first-layer", defaultValue = "ac",
            description = "Layers reading an input: ac (x its spike rate) or mac (one ANN pass) (default ${DEFAULT-VALUE}).")
    FirstLayer firstLayer;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the encodings (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--format", defaultValue = "text", description = "text or json (one object on stdout).")
    OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (samples < 0) {
            throw new UserError("--samples must be >= 0, got " + samples);
        }
        // The rates come from exactly what snnc eval runs: same setup, same evaluation pass.
        TrainingSetup setup = trained.setup(file, params.values(), seed, err);
        Evaluation e = trained.evaluate(setup, samples, 0, seed, threads);
        if (e.samples() == 0) {
            throw new UserError("--data " + setup.data().spec() + " has no " + trained.split + " samples to measure rates on");
        }
        PaperEnergy.Result r = PaperEnergy.of(setup.ir(), e.spikeRates(),
                firstLayer == FirstLayer.mac ? PaperEnergy.FirstLayer.MAC : PaperEnergy.FirstLayer.AC);
        if (format == OutputFormat.json) {
            ObjectNode o = json(r);
            o.put("samples", e.samples());
            o.put("timesteps", setup.ir().timesteps());
            out.println(o.toPrettyString());
        } else {
            print(out, setup.ir().network(), setup.data().spec(), trained.split.name(), e.samples(), setup.ir().timesteps(), r);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, String network, String data, String split, int samples, int timesteps,
                      PaperEnergy.Result r) {
        out.printf(Locale.ROOT, "%s on %s (%s, %d samples, T = %d): paper-mode energy per image (Eq. 9-12)%n",
                network, data, split, samples, timesteps);
        out.printf(Locale.ROOT, "first layer charged as %s; E_MAC %s pJ, E_AC %s pJ (Horowitz ISSCC 2014, 45 nm; "
                + "the paper's Table 4)%n", r.firstLayer() == PaperEnergy.FirstLayer.MAC ? "MACs (one ANN pass)"
                : "ACs at the input's spike rate", r.eMac().value(), r.eAc().value());
        out.printf(Locale.ROOT, "%-12s %15s %10s %17s %13s %13s%n", "layer", "FLOPs_ANN", "in rate", "FLOPs_SNN",
                "E_ANN (pJ)", "E_SNN (pJ)");
        for (PaperEnergy.Layer l : r.layers()) {
            out.printf(Locale.ROOT, "%-12s %,15d %10s %,17.0f %13.4g %13.4g%s%n", l.name(), l.flopsAnn(),
                    Double.isNaN(l.rate()) ? "analog" : String.format(Locale.ROOT, "%.4f", l.rate()), l.flopsSnn(),
                    l.annPj(), l.snnPj(), l.mac() ? "  (MAC)" : "");
        }
        out.printf(Locale.ROOT, "total E_ANN %.4g pJ, E_SNN %.4g pJ, E_ANN/E_SNN %.3f%n", r.annPj(), r.snnPj(), r.ratio());
    }

    /** {@code layers[]}, {@code e_ann_pj}, {@code e_snn_pj}, {@code ratio}, {@code first_layer}, {@code constants}. */
    static ObjectNode json(PaperEnergy.Result r) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        ArrayNode layers = o.putArray("layers");
        for (PaperEnergy.Layer l : r.layers()) {
            ObjectNode j = layers.addObject();
            j.put("name", l.name());
            j.put("flops_ann", l.flopsAnn());
            putNumber(j, "input_rate", l.rate());
            j.put("flops_snn", l.flopsSnn());
            j.put("charged_as", l.mac() ? "mac" : "ac");
            j.put("e_ann_pj", l.annPj());
            j.put("e_snn_pj", l.snnPj());
        }
        o.put("e_ann_pj", r.annPj());
        o.put("e_snn_pj", r.snnPj());
        putNumber(o, "ratio", r.ratio());
        o.put("first_layer", r.firstLayer().keyword());
        ObjectNode constants = o.putObject("constants");
        putConstant(constants, "e_mac_pj", r.eMac());
        putConstant(constants, "e_ac_pj", r.eAc());
        putConstant(constants, "e_mult_pj", PaperEnergy.E_MULT);
        return o;
    }

    private static void putConstant(ObjectNode constants, String key, Quantity q) {
        ObjectNode c = constants.putObject(key);
        c.put("value", q.value());
        c.put("source", q.source());
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
