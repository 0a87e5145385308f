package org.snnc.runtime.io;

import java.util.Arrays;
import java.util.Optional;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.lower.FoldNorm;
import org.snnc.compiler.program.WeightSource;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Tensor;

/**
 * The parameters of a network with trained weights loaded, handed to the program builder: the
 * tensors are looked up by the names of docs/training.md, so a compiled program carries exactly
 * what {@code snnc eval} evaluates. The network has already checked every tensor's name and shape
 * on loading; a count that still disagrees here is a bug between the two layouts, not bad input.
 *
 * @param net   the network holding the weights
 * @param label where the weights came from, for reports ({@code run/checkpoint.safetensors})
 */
public record TrainedWeights(Network net, String label) implements WeightSource {

    @Override
    public float[] weights(Node layer, int count, int fanIn, int fanOut) {
        Tensor t = net.tensor(layer.name() + ".weight");
        if (t == null) throw new IllegalStateException("the network has no tensor " + layer.name() + ".weight");
        if (t.data().length != count) {
            throw new IllegalStateException(t.name() + " has " + t.data().length + " values, the program builder expects " + count);
        }
        return t.data().clone();
    }

    @Override
    public Optional<float[]> bias(Node layer) {
        boolean declared = layer.op() instanceof Op.Conv c && c.bias() || layer.op() instanceof Op.ConvTranspose d && d.bias()
                || layer.op() instanceof Op.Dense e && e.bias();
        if (!declared) return Optional.empty();
        return Optional.of(net.tensor(layer.name() + ".bias").data().clone());
    }

    @Override
    public Optional<FoldNorm.Stats> normStats(Node layer) {
        int channels = layer.shape().channels();
        if (layer.op() instanceof Op.Bntt b) {
            int steps = b.timesteps();
            double[][] gamma = new double[steps][];
            double[][] beta = new double[steps][];
            double[][] mean = new double[steps][];
            double[][] var = new double[steps][];
            for (int t = 0; t < steps; t++) {
                String suffix = String.format(".t%02d", t);
                gamma[t] = values(layer.name() + ".weight" + suffix, channels, 1.0);
                beta[t] = b.shift() ? values(layer.name() + ".bias" + suffix, channels, 0.0) : new double[channels];
                mean[t] = values(layer.name() + ".running_mean" + suffix, channels, 0.0);
                var[t] = values(layer.name() + ".running_var" + suffix, channels, 1.0);
            }
            return Optional.of(new FoldNorm.Stats(gamma, beta, mean, var, b.eps()));
        }
        if (layer.op() instanceof Op.BatchNorm n) {
            double[][] gamma = {n.affine() ? values(layer.name() + ".weight", channels, 1.0) : filled(channels, 1.0)};
            double[][] beta = {n.affine() ? values(layer.name() + ".bias", channels, 0.0) : new double[channels]};
            double[][] mean = {values(layer.name() + ".running_mean", channels, 0.0)};
            double[][] var = {values(layer.name() + ".running_var", channels, 1.0)};
            return Optional.of(new FoldNorm.Stats(gamma, beta, mean, var, n.eps()));
        }
        return Optional.empty();
    }

    private double[] values(String name, int channels, double absent) {
        Tensor t = net.tensor(name);
        if (t == null) return filled(channels, absent);
        if (t.data().length != channels) {
            throw new IllegalStateException(name + " has " + t.data().length + " values, the layer " + channels + " channels");
        }
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) out[c] = t.data()[c];
        return out;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    @Override
    public long seed() {
        return 0;
    }

    @Override
    public String describe() {
        return "trained weights from " + label;
    }
}
