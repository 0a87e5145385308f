package org.snnc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.snnc.compiler.ir.Encoding;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.runtime.data.DataSpec;
import org.snnc.runtime.data.DataSpecException;
import org.snnc.runtime.data.Dataset;
import org.snnc.runtime.io.Checkpoint;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.model.Network;

/** What {@code train} and {@code eval} share: the IR, the data set, the network, and their agreement. */
record TrainingSetup(SpikingIr ir, Dataset data, Network net) {

    /** Compiles, opens the data and builds the network; every problem becomes a {@link UserError}. */
    static TrainingSetup of(Path file, Map<String, String> params, String dataSpec, ModelOptions options,
                            PrintWriter err) {
        SpikingIr ir = ParamOptions.compile(file, params, err);
        Dataset data;
        try {
            data = DataSpec.parse(dataSpec);
        } catch (DataSpecException e) {
            throw new UserError(e.getMessage());
        }
        Network net;
        try {
            net = Network.build(ir, options);
        } catch (ModelException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
        Shape in = net.inputShape();
        Shape image = data.imageShape();
        if (!in.equals(image)) {
            throw new UserError("--data " + data.spec() + " has images " + image + " but input '" + net.inputName()
                    + "' of " + file + " is " + in + (in.height() != image.height()
                    ? " (set the data's size, or --param size=" + image.height() + ")" : ""));
        }
        if (data.timesteps() > 0) {
            checkFrames(file, ir, data, net);
        }
        Shape out = net.outputShape();
        if (out.channels() != data.classes()) {
            throw new UserError("--data " + data.spec() + " has " + data.classes() + " classes but output '"
                    + net.outputName() + "' has " + out.channels() + " channels (try --param classes=" + data.classes() + ")");
        }
        if (out.height() != image.height() || out.width() != image.width()) {
            throw new UserError("output '" + net.outputName() + "' is " + out + " but the labels are "
                    + image.height() + "x" + image.width() + "; the output must have the input's size");
        }
        return new TrainingSetup(ir, data, net);
    }

    /** An event set feeds one frame per time step to an {@code events} input. */
    private static void checkFrames(Path file, SpikingIr ir, Dataset data, Network net) {
        for (Node node : ir.nodes()) {
            if (node.name().equals(net.inputName()) && node.op() instanceof Op.Input in
                    && in.encoding().kind() != Encoding.Kind.EVENTS) {
                throw new UserError("--data " + data.spec() + " gives event frames, one per time step, but input '"
                        + node.name() + "' of " + file + " is encoded " + in.encoding().kind().keyword()
                        + "; declare it 'encode events(polarity: 2, window_ms: ...)'");
            }
        }
        if (data.timesteps() != net.timesteps()) {
            throw new UserError("--data " + data.spec() + " has " + data.timesteps() + " frames per sample but " + file
                    + " runs " + net.timesteps() + " time steps (set the data's timesteps=" + net.timesteps()
                    + ", or --param T=" + data.timesteps() + ")");
        }
    }

    /** A weights file, or a run directory holding {@code checkpoint.safetensors}, loaded into the network. */
    void loadWeights(Path weights, PrintWriter err) {
        WeightsFile.load(net, ir, weights, w -> err.println("snnc: warning: " + w));
    }
}
