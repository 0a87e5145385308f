package org.snnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.lower.FoldNorm;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.model.Network;

class TrainedWeightsTest {

    private static final String NET = """
            network N(T: int = 2) {
              timesteps T
              input x: [2, 6, 6] encode poisson
              output y = x -> conv(3, kernel: 3, padding: 1, bias: true) -> bntt(shift: true) -> LIF()
                -> conv(2, kernel: 1) -> batchnorm -> LIF() -> accumulate
            }
            """;

    private static Network net() {
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("n.snn", NET, Map.of(), d).orElseThrow(() -> new AssertionError(d.toString()));
        return Network.build(ir, new ModelOptions(7, Init.XAVIER));
    }

    private static Node node(Network net, String op) {
        return net.ir().nodes().stream().filter(n -> n.op().keyword().equals(op)).findFirst().orElseThrow();
    }

    @Test
    void weightsAndBiasAreTheNetworksTensorsInTheirLayout() {
        Network net = net();
        TrainedWeights w = new TrainedWeights(net, "test");
        Node conv = node(net, "conv");
        float[] got = w.weights(conv, 3 * 2 * 9, 18, 27);
        assertArrayEquals(net.tensor(conv.name() + ".weight").data(), got);
        got[0] += 1; // a copy: the builder may not write through into the network
        assertEquals(got[0] - 1, net.tensor(conv.name() + ".weight").data()[0]);
        assertArrayEquals(net.tensor(conv.name() + ".bias").data(), w.bias(conv).orElseThrow());
        Node second = net.ir().nodes().stream().filter(n -> n.op().keyword().equals("conv")).skip(1).findFirst().orElseThrow();
        assertTrue(w.bias(second).isEmpty());
    }

    @Test
    void normStatisticsPerStepAndForBatchNorm() {
        Network net = net();
        Node bntt = node(net, "bntt");
        for (int t = 0; t < 2; t++) {
            String s = String.format(".t%02d", t);
            float[] g = net.tensor(bntt.name() + ".weight" + s).data();
            float[] b = net.tensor(bntt.name() + ".bias" + s).data();
            float[] m = net.tensor(bntt.name() + ".running_mean" + s).data();
            float[] v = net.tensor(bntt.name() + ".running_var" + s).data();
            for (int c = 0; c < 3; c++) {
                g[c] = 0.5f + c + t;
                b[c] = -0.25f * c;
                m[c] = 0.125f * (c + 1) * (t + 1);
                v[c] = 2f + c;
            }
        }
        FoldNorm.Stats st = new TrainedWeights(net, "test").normStats(bntt).orElseThrow();
        assertEquals(2, st.gamma().length);
        assertEquals(2.5, st.gamma()[1][1]);
        assertEquals(-0.5, st.beta()[0][2]);
        assertEquals(0.125 * 3 * 2, st.mean()[1][2], 1e-7);
        assertEquals(4.0, st.var()[0][2]);
        assertEquals(((org.snnc.compiler.ir.Op.Bntt) bntt.op()).eps(), st.eps());

        Node bn = node(net, "batchnorm");
        net.tensor(bn.name() + ".running_var").data()[1] = 9f;
        FoldNorm.Stats one = new TrainedWeights(net, "test").normStats(bn).orElseThrow();
        assertEquals(1, one.gamma().length);
        assertEquals(9.0, one.var()[0][1]);
        assertTrue(new TrainedWeights(net, "test").normStats(node(net, "conv")).isEmpty());
    }
}
