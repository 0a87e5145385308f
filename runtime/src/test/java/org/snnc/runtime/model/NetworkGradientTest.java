package org.snnc.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

/**
 * The whole network's backward against central finite differences, on networks without spiking
 * layers (where the forward is smooth): every op the trainer builds, per-step and after the
 * readout, with BNTT in training mode.
 */
class NetworkGradientTest {

    private static void checkAll(Network net, float[] x, int n, int[] labels) {
        Parallel par = Parallel.serial();
        net.zeroGrad();
        net.forward(x, n, 0, true, par);
        net.backward(labels, par);
        int checked = 0;
        for (Tensor p : net.parameters()) {
            float[] analytic = p.grad().clone();
            GradCheck.check(p.name(), p.data(), analytic, () -> {
                net.forward(x, n, 0, true, par);
                return net.loss(labels, par);
            }, 1e-2, 2e-2);
            checked++;
        }
        assertEquals(net.parameters().size(), checked);
    }

    @Test
    void convBnttPoolAddTransposedConvUpsample() {
        Network net = Nets.build("""
                network A(T: int = 3) {
                  timesteps T
                  input x: [2, 6, 6] encode direct
                  a = x -> conv(4, kernel: 3) -> bntt(shift: true) -> avgpool(2)
                  b = a -> conv(3, kernel: 3, bias: true)
                  output y = add(b, a -> conv(3, kernel: 1)) -> accumulate
                    -> tconv(3, kernel: 4, stride: 2, padding: 1, bias: true) -> upsample(8, mode: bilinear)
                }
                """, 3);
        assertEquals("[3,8,8]", net.outputShape().toString());
        Rand r = new Rand(5);
        int n = 2;
        float[] x = r.uniform(n * 2 * 36, 0, 1);
        int[] labels = new int[n * 64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7 == 0 ? 255 : r.nextInt(3);
        }
        checkAll(net, x, n, labels);
    }

    @Test
    void flatDenseBatchNormSparse() {
        Network net = Nets.build("""
                network B(T: int = 2) {
                  timesteps T
                  input x: [2, 3, 3] encode direct
                  // no bias on the dense layer: batch norm cancels it, its true gradient is 0
                  output y = x -> flatten -> dense(5) -> batchnorm -> sparse(4, fan_in: 3, seed: 7) -> accumulate
                }
                """, 4);
        Rand r = new Rand(6);
        int n = 3;
        float[] x = r.uniform(n * 18, 0, 1);
        checkAll(net, x, n, new int[] {0, 3, 2});
    }

    @Test
    void perStepOutputsAndTwoInputsAreRefusedWithTheReason() {
        ModelException perStep = assertThrows(ModelException.class, () -> Nets.build("""
                network C(T: int = 2) {
                  timesteps T
                  input x: [2, 4, 4] encode poisson
                  output y = x -> conv(2, kernel: 1) -> LIF()
                }
                """, 1));
        assertTrue(perStep.getMessage().contains("after an accumulate"), perStep.getMessage());
        ModelException twoInputs = assertThrows(ModelException.class, () -> Nets.build("""
                network D(T: int = 2) {
                  timesteps T
                  input x: [2, 4, 4] encode poisson
                  input z: [2, 4, 4] encode poisson
                  output y = add(x, z) -> conv(2, kernel: 1) -> accumulate
                }
                """, 1));
        assertTrue(twoInputs.getMessage().contains("two inputs"), twoInputs.getMessage());
    }

    @Test
    void tensorNamesAndLayoutsAreStable() {
        Network net = Nets.build("""
                network E(T: int = 2) {
                  timesteps T
                  input x: [3, 8, 8] encode signed_poisson
                  output y = x -> conv(4, kernel: 3) -> bntt -> LIF() -> conv(2, kernel: 1) -> accumulate
                }
                """, 1);
        StringBuilder names = new StringBuilder();
        for (Tensor t : net.tensors()) {
            names.append(t.name()).append(t.shapeString()).append(t.trainable() ? "" : " buffer").append('\n');
        }
        assertEquals("""
                conv1.weight[4,3,3,3]
                bntt1.weight.t00[4]
                bntt1.weight.t01[4]
                bntt1.running_mean.t00[4] buffer
                bntt1.running_var.t00[4] buffer
                bntt1.running_mean.t01[4] buffer
                bntt1.running_var.t01[4] buffer
                conv2.weight[2,4,1,1]
                """, names.toString());
        for (float s : net.tensor("bntt1.weight.t01").data()) {
            assertEquals(1f, s);
        }
        // Xavier-uniform with gain 2: |w| <= 2 sqrt(6 / (27 + 36)).
        double bound = 2 * Math.sqrt(6.0 / (27 + 36));
        float max = 0;
        for (float w : net.tensor("conv1.weight").data()) {
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max <= bound && max > 0.8 * bound, "max |w| " + max + " bound " + bound);
    }
}
