package org.snnc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.snnc.runtime.io.Checkpoint;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.train.Evaluation;
import org.snnc.runtime.train.TrainConfig;
import org.snnc.runtime.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a .snn network with surrogate-gradient BPTT on its first output.",
                "Writes RUN_DIR/metrics.jsonl, and RUN_DIR/checkpoint.safetensors with its checkpoint.json",
                "sidecar at the end of every epoch and of the run."})
final class TrainCommand implements Callable<Integer> {

    enum OptimizerKind { adam, sgd }

    enum InitKind { xavier, kaiming }

    static final class Length {
        @Option(names = "--epochs", description = "Passes over the training split (default 1).")
        Integer epochs;

        @Option(names = "--steps", description = "Optimiser steps in total, instead of --epochs.")
        Long steps;
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .snn file.")
    Path file;

    @Mixin
    ParamOptions params;

    @Option(names = "--data", required = true, paramLabel = "SPEC",
            description = "Data set: shapes[:classes=K,size=S,train=N,val=N,seed=N].")
    String data;

    @ArgGroup(exclusive = true)
    Length length = new Length();

    @Option(names = "--batch", defaultValue = "16", description = "Samples per step (default ${DEFAULT-VALUE}, the paper's).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Base learning rate (default ${DEFAULT-VALUE}, the paper's).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "adam (AMSGrad, weight decay 5e-4, as the released code) or sgd (momentum 0.9). Default ${DEFAULT-VALUE}.")
    OptimizerKind optimizer;

    @Option(names = "--milestones", defaultValue = "0.5", split = ",", paramLabel = "F",
            description = "Fractions of the steps where the rate is divided by 10 (default ${DEFAULT-VALUE}; the released code: 0.5,0.8).")
    double[] milestones;

    @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM", description = "Clip the global gradient norm (0: off).")
    double clip;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of weights, data order and encodings (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--init", defaultValue = "xavier", description = "xavier (gain 2, the released code's) or kaiming.")
    InitKind init;

    @Option(names = {"-o", "--output"}, paramLabel = "RUN_DIR", description = "Run directory (default: run, or the --resume directory).")
    Path runDir;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run whose checkpoint is in RUN_DIR.")
    Path resume;

    @Option(names = "--log-every", defaultValue = "10", paramLabel = "N", description = "Steps per metrics line (default ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "N",
            description = "Steps between validations (default: at the end of each epoch).")
    int evalEvery;

    @Option(names = "--eval-samples", defaultValue = "0", paramLabel = "N",
            description = "Validation samples for periodic validations (default: all); the final one uses all.")
    int evalSamples;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Init initKind = init == InitKind.kaiming ? Init.KAIMING : Init.XAVIER;
        TrainingSetup setup = TrainingSetup.of(file, params.values(), data, new ModelOptions(seed, initKind), err);
        int threadCount = threads.count();
        TrainConfig config;
        try {
            config = new TrainConfig(length.epochs == null ? 1 : length.epochs, length.steps == null ? 0 : length.steps,
                    batch, lr, optimizer.name(), milestones, clip, seed, threadCount, initKind, logEvery, evalEvery,
                    evalSamples);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Path dir = runDir != null ? runDir : resume != null ? resume : Path.of("run");
        var ir = setup.ir();
        Checkpoint.Info provenance = new Checkpoint.Info(Checkpoint.FORMAT, ir.network(), ir.params(), ir.sources(), 0, 0,
                seed, optimizer.name(), lr, batch, init.name(), setup.data().spec());
        try {
            Trainer trainer = new Trainer(setup.net(), setup.data(), config, provenance);
            if (resume != null) {
                if (!Files.exists(resume.resolve(Checkpoint.SIDECAR))) {
                    throw new UserError(resume + " holds no " + Checkpoint.SIDECAR + " to resume from");
                }
                trainer.resume(resume);
            }
            err.printf(Locale.ROOT, "training %s on %s: %d steps (%d per epoch), batch %d, %d threads -> %s%n",
                    ir.network(), setup.data().spec(), trainer.totalSteps(), trainer.stepsPerEpoch(), batch,
                    threadCount, dir);
            err.flush();
            Progress progress = new Progress(err, System.console() != null, logEvery, batch);
            Trainer.Result r = trainer.run(dir, progress);
            progress.finish();
            Evaluation v = r.validation();
            out.printf(Locale.ROOT, "trained %d steps (%.2f epochs) in %.1f s; final loss %.4f%n", r.steps(),
                    (double) r.steps() / trainer.stepsPerEpoch(), r.seconds(), r.lastLoss());
            out.printf(Locale.ROOT, "validation (%d samples): mIoU %.4f, pixel accuracy %.4f%n", v.samples(), v.miou(),
                    v.pixelAccuracy());
            out.println("checkpoint: " + dir.resolve(Checkpoint.WEIGHTS));
            out.flush();
            return ExitCodes.OK;
        } catch (ModelException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot write the run directory " + dir + ": " + e);
        }
    }

    /**
     * Progress on stderr: one line rewritten in place with \r on a terminal, otherwise a plain
     * line every log interval (so logs and CI output stay readable).
     */
    static final class Progress implements Trainer.Listener {
        private final PrintWriter err;
        private final boolean terminal;
        private final int every;
        private final int batch;
        private boolean pending;

        Progress(PrintWriter err, boolean terminal, int every, int batch) {
            this.err = err;
            this.terminal = terminal;
            this.every = every;
            this.batch = batch;
        }

        @Override
        public void step(Trainer.Progress p) {
            if (!terminal && p.step() % every != 0 && p.step() != p.totalSteps()) {
                return;
            }
            String line = String.format(Locale.ROOT, "epoch %d  step %d/%d  loss %.4f  lr %.2g  %.1f samples/s  ETA %s",
                    p.epoch(), p.step(), p.totalSteps(), p.loss(), p.lr(), p.samplesPerSecond(), eta(p.etaSeconds(batch)));
            if (terminal) {
                err.print("\r" + line + "\033[K");
                pending = true;
            } else {
                err.println(line);
            }
            err.flush();
        }

        @Override
        public void validated(long step, int epoch, Evaluation e) {
            finish();
            err.printf(Locale.ROOT, "validation at step %d (epoch %d, %d samples): mIoU %.4f  pixel accuracy %.4f%n",
                    step, epoch, e.samples(), e.miou(), e.pixelAccuracy());
            err.flush();
        }

        void finish() {
            if (pending) {
                err.println();
                pending = false;
            }
        }

        static String eta(double seconds) {
            if (Double.isNaN(seconds)) {
                return "?";
            }
            long s = Math.round(seconds);
            return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                    : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
    }
}
