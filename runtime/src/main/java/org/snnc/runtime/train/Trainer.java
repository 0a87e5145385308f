package org.snnc.runtime.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.snnc.runtime.data.Batch;
import org.snnc.runtime.data.BatchLoader;
import org.snnc.runtime.data.Dataset;
import org.snnc.runtime.data.Split;
import org.snnc.runtime.io.Checkpoint;
import org.snnc.runtime.io.Safetensors;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.optim.Adam;
import org.snnc.runtime.optim.Optimizer;
import org.snnc.runtime.optim.Sgd;
import org.snnc.runtime.optim.StepSchedule;

/**
 * The training loop: BPTT on shuffled batches, the step learning-rate schedule, periodic
 * validation, a metrics log and an atomic checkpoint at the end of every epoch and of the run.
 *
 * <p>Everything random is keyed, not drawn from a shared stream: the data order by (seed,
 * epoch), the input encoding of a step by (seed, step), so a run resumed from a checkpoint
 * continues exactly as the uninterrupted run would have.
 *
 * <p>{@code RUN_DIR/metrics.jsonl} gets one JSON object per line: every {@code logEvery} steps
 * {@code {"step", "epoch", "loss" (mean since the last line), "lr", "seconds"}}, and after each
 * validation {@code {"step", "epoch", "seconds", "miou", "pixel_accuracy", "val_loss"}}.
 */
public final class Trainer {

    /** What a progress display is told. */
    public interface Listener {
        /** After each step. */
        void step(Progress progress);

        /** After each validation. */
        void validated(long step, int epoch, Evaluation evaluation);
    }

    /**
     * @param step       steps done
     * @param totalSteps steps of the run
     * @param epoch      1-based epoch of the step
     * @param loss       loss of this step
     * @param lr         rate used
     * @param seconds    wall time since the start of this run (not of resumed ones)
     */
    public record Progress(long step, long totalSteps, int epoch, double loss, double lr, double seconds,
                           double samplesPerSecond) {
        /** Seconds left at the rate so far. */
        public double etaSeconds(int batch) {
            return samplesPerSecond <= 0 ? Double.NaN : (totalSteps - step) * batch / samplesPerSecond;
        }
    }

    /** The run's end: final validation and where it stopped. */
    public record Result(long steps, int epochs, double lastLoss, Evaluation validation, double seconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String METRICS = "metrics.jsonl";

    private final Network net;
    private final Dataset data;
    private final TrainConfig config;
    private final Checkpoint.Info provenance;
    private final Optimizer optimizer;
    private final StepSchedule schedule;
    private final int stepsPerEpoch;
    private final long totalSteps;
    private long step;
    private int epoch;
    private long savedAt = -1;

    /**
     * @param provenance what the checkpoints record about the run; its step and epoch are
     *                   replaced by the current ones at each save
     */
    public Trainer(Network net, Dataset data, TrainConfig config, Checkpoint.Info provenance) {
        this.net = net;
        this.data = data;
        this.config = config;
        this.provenance = provenance;
        stepsPerEpoch = data.size(Split.TRAIN) / config.batch();
        if (stepsPerEpoch < 1) {
            throw new ModelException("batch " + config.batch() + " is larger than the " + data.size(Split.TRAIN)
                    + " training samples");
        }
        totalSteps = config.steps() > 0 ? config.steps() : (long) config.epochs() * stepsPerEpoch;
        optimizer = config.optimizer().equals("adam")
                ? new Adam(net.parameters(), Adam.Config.released())
                : new Sgd(net.parameters(), new Sgd.Config(0.9, 5e-4));
        schedule = new StepSchedule(config.lr(), config.milestones(), 0.1, totalSteps);
    }

    public long totalSteps() {
        return totalSteps;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Continues from the checkpoint in {@code dir}: weights, running statistics, optimiser
     * state and position. The recipe must be the one that wrote it.
     */
    public void resume(Path dir) throws IOException {
        Checkpoint.Info info = Checkpoint.readInfo(dir);
        if (!info.optimizer().equals(optimizer.kind())) {
            throw new ModelException(dir + " was trained with " + info.optimizer() + ", not " + optimizer.kind());
        }
        if (info.seed() != config.seed() || info.batch() != config.batch()) {
            throw new ModelException(dir + " was trained with seed " + info.seed() + " and batch " + info.batch()
                    + "; resume with the same values");
        }
        Path weights = dir.resolve(Checkpoint.WEIGHTS);
        Safetensors.Contents contents = Checkpoint.loadWeights(net, weights);
        Checkpoint.restoreOptimizer(optimizer, contents, info.step(), weights);
        step = info.step();
        epoch = (int) (step / stepsPerEpoch);
    }

    public Result run(Path runDir, Listener listener) throws IOException {
        Files.createDirectories(runDir);
        long start = System.nanoTime();
        long firstStep = step;
        double lossSinceLog = 0;
        int stepsSinceLog = 0;
        double lastLoss = Double.NaN;
        Evaluation lastEval;
        try (Parallel par = new Parallel(config.threads());
             BufferedWriter metrics = Files.newBufferedWriter(runDir.resolve(METRICS), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (step < totalSteps) {
                int skip = (int) (step - (long) epoch * stepsPerEpoch);
                try (BatchLoader loader = new BatchLoader(data, Split.TRAIN, config.batch(), true, true,
                        config.seed(), epoch)) {
                    for (int i = 0; i < skip; i++) {
                        loader.next();
                    }
                    while (loader.hasNext() && step < totalSteps) {
                        Batch b = loader.next();
                        double lr = schedule.lr(step);
                        double loss = TrainStep.run(net, optimizer, b.images(), b.labels(), b.n(), config.seed(),
                                step, lr, config.clipNorm(), par);
                        step++;
                        lastLoss = loss;
                        lossSinceLog += loss;
                        stepsSinceLog++;
                        double seconds = (System.nanoTime() - start) / 1e9;
                        listener.step(new Progress(step, totalSteps, epoch + 1, loss, lr, seconds,
                                (step - firstStep) * config.batch() / seconds));
                        if (step % config.logEvery() == 0 || step == totalSteps) {
                            ObjectNode line = JSON.createObjectNode().put("step", step).put("epoch", epoch + 1);
                            number(line, "loss", lossSinceLog / stepsSinceLog);
                            line.put("lr", lr).put("seconds", seconds);
                            write(metrics, line);
                            lossSinceLog = 0;
                            stepsSinceLog = 0;
                        }
                        boolean epochEnd = !loader.hasNext();
                        boolean due = config.evalEvery() > 0 ? step % config.evalEvery() == 0 : epochEnd;
                        if (due && step < totalSteps) {
                            validate(par, metrics, start, listener, config.evalSamples());
                        }
                    }
                    if (!loader.hasNext()) {
                        epoch++;
                        save(runDir);
                    }
                }
            }
            if (savedAt != step) {
                save(runDir);
            }
            // The final score always covers the whole validation split.
            lastEval = validate(par, metrics, start, listener, 0);
        }
        return new Result(step, epoch, lastLoss, lastEval, (System.nanoTime() - start) / 1e9);
    }

    private Evaluation validate(Parallel par, BufferedWriter metrics, long start, Listener listener, int limit)
            throws IOException {
        Evaluation e = Evaluator.evaluate(net, data, Split.VAL, limit, config.batch(), 0, config.seed(), par);
        ObjectNode line = JSON.createObjectNode().put("step", step).put("epoch", epochOfLastStep())
                .put("seconds", (System.nanoTime() - start) / 1e9);
        number(line, "miou", e.miou());
        number(line, "pixel_accuracy", e.pixelAccuracy());
        number(line, "val_loss", e.loss());
        write(metrics, line);
        listener.validated(step, epochOfLastStep(), e);
        return e;
    }

    /** The 1-based epoch the last step belonged to. */
    private int epochOfLastStep() {
        return (int) ((Math.max(step, 1) - 1) / stepsPerEpoch) + 1;
    }

    private void save(Path runDir) throws IOException {
        Checkpoint.Info p = provenance;
        Checkpoint.save(runDir, net, optimizer, new Checkpoint.Info(Checkpoint.FORMAT, p.network(), p.params(),
                p.sources(), step, epoch, config.seed(), optimizer.kind(), config.lr(), config.batch(),
                config.init().name().toLowerCase(java.util.Locale.ROOT), data.spec()));
        savedAt = step;
    }

    /** JSON has no NaN or infinity: such a value is written as null. */
    public static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static void write(BufferedWriter w, ObjectNode line) throws IOException {
        w.write(JSON.writeValueAsString(line));
        w.newLine();
        w.flush();
    }
}
