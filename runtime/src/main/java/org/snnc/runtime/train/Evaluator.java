package org.snnc.runtime.train;

import java.util.SplittableRandom;
import org.snnc.runtime.data.Batch;
import org.snnc.runtime.data.BatchLoader;
import org.snnc.runtime.data.Dataset;
import org.snnc.runtime.data.Split;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.metrics.ConfusionMatrix;
import org.snnc.runtime.metrics.SpikeRates;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Seeds;

/** Runs a network in evaluation mode (running statistics) over a whole split. */
public final class Evaluator {

    /** Distinguishes evaluation's random streams from training's, which are keyed by step. */
    private static final long EVAL_STREAM = 0xE7A1L;

    private Evaluator() {
    }

    /**
     * @param noise Gaussian noise {@code N(0, noise)} added to every input value before encoding
     *              (the paper's robustness test, Fig. 10); 0 for none. Drawn from (seed, sample).
     */
    public static Evaluation evaluate(Network net, Dataset data, Split split, int batch, double noise, long seed,
                                      Parallel par) {
        return evaluate(net, data, split, 0, batch, noise, seed, par);
    }

    /** As above on the first {@code limit} samples of the split (all of them if 0). */
    public static Evaluation evaluate(Network net, Dataset data, Split split, int limit, int batch, double noise,
                                      long seed, Parallel par) {
        if (limit > 0 && limit < data.size(split)) {
            data = new Prefix(data, split, limit);
        }
        ConfusionMatrix cm = new ConfusionMatrix(net.outputShape().channels());
        SpikeRates rates = new SpikeRates(net.spikingLayers(), net.spikingLayerNeurons());
        int h = net.outputShape().height();
        int w = net.outputShape().width();
        double lossSum = 0;
        int samples = 0;
        int b = 0;
        try (BatchLoader loader = new BatchLoader(data, split, batch, false, false, seed, 0)) {
            while (loader.hasNext()) {
                Batch x = loader.next();
                if (noise > 0) {
                    addNoise(x, noise, seed);
                }
                float[] out = net.forward(x.images(), x.n(), Seeds.mix(seed, EVAL_STREAM, b), false, par);
                cm.addArgmax(out, x.labels(), x.n(), h, w);
                rates.add(net.spikeCounts(), x.n());
                double loss = net.loss(x.labels(), par);
                if (!Double.isNaN(loss)) {
                    lossSum += loss * x.n();
                }
                samples += x.n();
                b++;
            }
        }
        return new Evaluation(cm.meanIou(), cm.pixelAccuracy(), cm.perClassIou(), rates.rates(),
                samples == 0 ? Double.NaN : lossSum / samples, samples);
    }

    /** The first samples of one split of a data set. */
    private record Prefix(Dataset data, Split split, int limit) implements Dataset {
        @Override
        public String spec() {
            return data.spec();
        }

        @Override
        public org.snnc.compiler.ir.Shape imageShape() {
            return data.imageShape();
        }

        @Override
        public int classes() {
            return data.classes();
        }

        @Override
        public int size(Split s) {
            return s == split ? limit : data.size(s);
        }

        @Override
        public void read(Split s, int index, float[] image, int imageOff, int[] labels, int labelOff) {
            data.read(s, index, image, imageOff, labels, labelOff);
        }

        @Override
        public int timesteps() {
            return data.timesteps();
        }

        @Override
        public void readFrames(Split s, int index, float[] frames, int framesOff, int[] labels, int labelOff) {
            data.readFrames(s, index, frames, framesOff, labels, labelOff);
        }
    }

    private static void addNoise(Batch x, double sigma, long seed) {
        float[] images = x.images();
        int per = images.length / x.n();
        for (int s = 0; s < x.n(); s++) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, EVAL_STREAM, 0x9015EL, x.indices()[s]));
            for (int i = s * per, end = i + per; i < end; i++) {
                images[i] += (float) (sigma * r.nextGaussian());
            }
        }
    }
}
