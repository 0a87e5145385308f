package org.snnc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.snnc.runtime.data.Split;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.train.Evaluation;
import org.snnc.runtime.train.Evaluator;
import picocli.CommandLine.Option;

/** The options and the evaluation pass of the commands that run trained weights on a data split ({@code eval}, {@code energy}). */
public final class TrainedNetworkOptions {

    enum SplitKind { train, val }

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Data set, as for train.")
    String data;

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "A .safetensors file, or a run directory holding checkpoint.safetensors.")
    Path weights;

    @Option(names = "--split", defaultValue = "val", description = "train or val (default ${DEFAULT-VALUE}).")
    SplitKind split;

    @Option(names = "--batch", defaultValue = "16", description = "Samples per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    Split split() {
        return split == SplitKind.train ? Split.TRAIN : Split.VAL;
    }

    /** The network of {@code file} with the weights loaded, and the data; problems are user errors. */
    TrainingSetup setup(Path file, Map<String, String> params, long seed, PrintWriter err) {
        if (batch < 1) throw new UserError("--batch must be positive, got " + batch);
        TrainingSetup setup = TrainingSetup.of(file, params, data, new ModelOptions(seed, Init.XAVIER), err);
        setup.loadWeights(weights, err);
        return setup;
    }

    /** The evaluation pass both commands run: the first {@code samples} of the split (all if 0). */
    Evaluation evaluate(TrainingSetup setup, int samples, double noise, long seed, ThreadsOption threads) {
        try (Parallel par = new Parallel(threads.count())) {
            return Evaluator.evaluate(setup.net(), setup.data(), split(), samples, batch, noise, seed, par);
        } catch (ModelException e) {
            // A data file that cannot be read.
            throw new UserError(e.getMessage());
        }
    }
}
