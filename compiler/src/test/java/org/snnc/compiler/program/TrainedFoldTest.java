package org.snnc.compiler.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.lower.FoldNorm;

/**
 * Trained parameters into a program: a batchnorm's scale lands in the weights before it, its
 * shift and the layer's bias become each neuron's per-step bias, all checked against the
 * formulas by hand.
 */
class TrainedFoldTest {

    private static final String NET = """
            network N {
              timesteps 2
              neuron lif = LIF(leak: 1.0, threshold: 1.0, reset: subtract)
              input x: [2, 3, 3] encode poisson
              output y = x -> conv(2, kernel: 3, padding: 1, bias: true) -> batchnorm -> lif
            }
            """;

    /** Fixed weights {@code (i % 7 - 3) / 8}, bias {@code 0.25, -0.5}, and batchnorm statistics. */
    private static final class Fixed implements WeightSource {
        final double[] gamma = {2.0, 0.5}, beta = {0.1, -0.2}, mean = {0.3, -0.4}, var = {3.0, 0.25};

        @Override
        public float[] weights(Node layer, int count, int fanIn, int fanOut) {
            float[] w = new float[count];
            for (int i = 0; i < count; i++) w[i] = (i % 7 - 3) / 8f;
            return w;
        }

        @Override
        public Optional<float[]> bias(Node layer) {
            return layer.op() instanceof Op.Conv ? Optional.of(new float[] {0.25f, -0.5f}) : Optional.empty();
        }

        @Override
        public Optional<FoldNorm.Stats> normStats(Node layer) {
            if (!(layer.op() instanceof Op.BatchNorm bn)) return Optional.empty();
            return Optional.of(new FoldNorm.Stats(new double[][] {gamma}, new double[][] {beta}, new double[][] {mean},
                    new double[][] {var}, bn.eps()));
        }

        @Override
        public long seed() {
            return 0;
        }

        @Override
        public String describe() {
            return "fixed";
        }
    }

    @Test
    void scaleGoesIntoWeightsAndShiftWithBiasIntoTheNeuronsBias() {
        SpikingIr ir = ProgramFixtures.ir(NET);
        Fixed f = new Fixed();
        Program p = ProgramBuilder.build(ir, ProgramFixtures.tiny(64), f, new SequentialPlacement()).program();
        Program.Population lif = p.populations().get(0);
        double eps = ((Op.BatchNorm) ir.nodes().stream().filter(n -> n.op() instanceof Op.BatchNorm).findFirst()
                .orElseThrow().op()).eps();
        double[] s = new double[2], shift = new double[2];
        for (int c = 0; c < 2; c++) {
            s[c] = f.gamma[c] / Math.sqrt(f.var[c] + eps);
            shift[c] = f.beta[c] - s[c] * f.mean[c];
        }
        // The composed weights are w * s[c]; the largest sets the population's mantissa scale.
        float[] w = f.weights(null, 36, 18, 18);
        double max = 0;
        for (int i = 0; i < 36; i++) max = Math.max(max, Math.abs(w[i] * s[i / 18]));
        Program.Quantization q = lif.quant();
        // The scaled weights are stored as floats, as the trained ones are.
        assertEquals(127 / max, q.weightScale(), 1e-6 * q.weightScale());
        // Synapse from input (ci, iy, ix) to the centre neuron (co, 1, 1) is tap (ky, kx) = (iy, ix).
        int[] seen = {0};
        for (int ci = 0; ci < 2; ci++) {
            for (int k = 0; k < 9; k++) {
                int src = ci * 9 + k, tap = k, from = ci;
                p.forEachSynapse(src, (o, mantissa) -> {
                    if (o % 9 != 4) return;
                    int co = o / 9;
                    assertEquals(Math.round(w[(co * 2 + from) * 9 + tap] * s[co] * q.weightScale()), mantissa,
                            "synapse " + src + " -> " + o);
                    seen[0]++;
                });
            }
        }
        // Every tap reaches the centre except those whose mantissa rounds to 0 (pruned).
        int stored = 0;
        for (int i = 0; i < 36; i++) if (Math.round(w[i] * s[i / 18] * q.weightScale()) != 0) stored++;
        assertEquals(stored, seen[0]);
        // Bias per neuron: (conv bias * s + shift) in voltage units, the same for every position.
        double vs = q.voltageScale(lif.params());
        for (int o = 0; o < 18; o++) {
            int c = o / 9;
            assertEquals(Math.round(((c == 0 ? 0.25 : -0.5) * s[c] + shift[c]) * vs), lif.bias(o), "neuron " + o);
        }
    }

    @Test
    void randomWeightsHaveNoBias() {
        Program p = ProgramBuilder.build(ProgramFixtures.ir(NET), ProgramFixtures.tiny(64), ProgramBuilderTest.WEIGHTS,
                new SequentialPlacement()).program();
        assertNull(p.populations().get(0).bias());
    }
}
