package org.snnc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.lower.Quantize;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.program.MappedPlacement;
import org.snnc.compiler.program.Placement;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuildException;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.SequentialPlacement;
import org.snnc.compiler.program.WeightSource;
import org.snnc.compiler.target.Target;
import org.snnc.runtime.data.Dataset;
import org.snnc.runtime.data.Split;
import org.snnc.runtime.metrics.ConfusionMatrix;
import org.snnc.simulator.Costs;
import org.snnc.simulator.EncodedInput;
import org.snnc.simulator.Engine;
import org.snnc.simulator.EventEngine;
import org.snnc.simulator.InputSpikes;
import org.snnc.simulator.Pipeline;
import org.snnc.simulator.Readout;
import org.snnc.simulator.SimResult;

/**
 * {@code snnc eval --quantize TARGET}: the trained network compiled for the target (folded,
 * quantized, every integer as the simulator holds it) and run sample by sample on the event
 * engine, in the target's arithmetic, then read out and scored like the float evaluation. Where
 * every neuron fits a core whole the placement does not change what the neurons compute, so the
 * program is placed sequentially, which is cheapest to build; joins and relays need the mapping.
 *
 * @param target        the target's name
 * @param miou          mean IoU over the classes present in labels or predictions
 * @param pixelAccuracy correct pixels over labelled pixels
 * @param perClassIou   per class; NaN where a class is absent from both
 * @param samples       samples run
 * @param notes         what the build approximated (folds, pruned synapses, clipped biases, ...)
 */
record QuantizedEval(String target, double miou, double pixelAccuracy, double[] perClassIou, int samples,
        List<String> notes) {

    /**
     * The mapped placement where the network needs it (joined compartments and relays change what
     * a neuron computes: relays round and delay its input); the sequential one, cheaper to build,
     * where every neuron fits a core whole.
     */
    private static Placement placement(SpikingIr ir, Target target, List<String> notes) {
        try {
            MappedPlacement m = MappedPlacement.of(ir, target);
            if (m.joins() && m.unsupported().isEmpty()) {
                notes.add("placement: mapped, for its joined compartments or relays");
                return m;
            }
        } catch (MappingException e) {
            // Nothing fits the cores: the sequential placement says where.
        }
        return new SequentialPlacement();
    }

    /**
     * @param limit samples of the split to run, from index 0 (all when 0)
     * @throws UserError when the network cannot be compiled for the target or has no readout
     */
    static QuantizedEval run(SpikingIr ir, WeightSource weights, Target target, Quantize.Scaling scaling, Dataset data,
            Split split, int limit, long seed, int threads, PrintWriter err) {
        Program prog;
        List<String> notes = new ArrayList<>();
        try {
            ProgramBuilder.Result built = ProgramBuilder.build(ir, target, weights, placement(ir, target, notes),
                    ProgramBuilder.SynapseForm.KERNELS, scaling);
            prog = built.program();
            notes.addAll(built.notes());
        } catch (ProgramBuildException e) {
            throw new UserError("--quantize " + target.name() + ": " + e.getMessage());
        }
        if (prog.inputs().size() != 1) {
            throw new UserError("--quantize runs networks with one input; " + ir.network() + " has " + prog.inputs().size());
        }
        Program.Population readout;
        try {
            readout = Readout.integrator(prog);
        } catch (IllegalArgumentException e) {
            throw new UserError("--quantize: " + e.getMessage());
        }
        Node acc = null;
        for (Node n : ir.nodes()) if (n.name().equals(readout.layer())) acc = n;
        if (acc == null || acc.shape().isFlat()) {
            throw new UserError("--quantize needs a readout of shape [classes, h, w]; " + readout.layer() + " is not one");
        }
        Op.Upsample bilinear = Readout.bilinearUpsampleOf(ir, acc);
        int classes = acc.shape().channels(), h = acc.shape().height(), w = acc.shape().width();
        int outH = data.imageShape().height(), outW = data.imageShape().width();
        Program.InputGroup group = prog.inputs().get(0);
        int count = limit > 0 ? Math.min(limit, data.size(split)) : data.size(split);
        Costs costs = Costs.of(target);
        // A spike reaches the next population one step later on cores (Pipeline): the readout
        // lags the input by the spiking populations on the way to it.
        int timesteps = prog.header().timesteps();
        int latency = Pipeline.delays(prog)[readout.id()];
        notes.add("the readout lags the input by " + latency + " step(s) on cores: each sample runs " + timesteps
                + " steps of input and " + latency + " more for the pipeline to drain; each population's bias is on for"
                + " its own " + timesteps + " steps; the readout is its total over " + timesteps + " steps");
        Engine engine = new EventEngine(threads);
        // The runtime's confusion matrix, so both evaluations score by the same rules.
        ConfusionMatrix confusion = new ConfusionMatrix(data.classes());
        float[] x = new float[group.count()];
        int[] labels = new int[outH * outW];
        long started = System.nanoTime();
        long last = started;
        // An event set gives frames per step (spike where an event fell), as the runtime reads them.
        boolean events = data.timesteps() > 0 && group.encoding().equals("events");
        float[] frames = events ? new float[data.timesteps() * group.count()] : null;
        for (int i = 0; i < count; i++) {
            InputSpikes input;
            if (events) {
                data.readFrames(split, i, frames, 0, labels, 0);
                input = new FrameSpikes(group.offset(), frames, group.count());
            } else {
                data.read(split, i, x, 0, labels, 0);
                try {
                    input = EncodedInput.of(group.encoding(), group.offset(), x, seed * 0x9E3779B97F4A7C15L + 31L * i + 1);
                } catch (IllegalArgumentException e) {
                    throw new UserError("--quantize: " + e.getMessage());
                }
            }
            // The input for T steps, then the pipeline drains so that all it caused reaches the readout.
            SimResult r = engine.run(prog, costs, timesteps + latency, Pipeline.window(input, timesteps), Engine.Options.quiet());
            double[] means = Readout.means(readout, r.finalV(), timesteps);
            int[] map = Readout.classMap(means, classes, h, w, outH, outW, bilinear != null ? bilinear.alignCorners() : null);
            for (int p = 0; p < labels.length; p++) confusion.add(labels[p], map[p]);
            long now = System.nanoTime();
            if (now - last > 2_000_000_000L || i + 1 == count && now - started > 2_000_000_000L) {
                last = now;
                err.printf("snnc eval --quantize: sample %d of %d (%.0f s)%n", i + 1, count, (now - started) / 1e9);
                err.flush();
            }
        }
        return new QuantizedEval(target.name(), confusion.meanIou(), confusion.pixelAccuracy(), confusion.perClassIou(), count,
                List.copyOf(notes));
    }
}
