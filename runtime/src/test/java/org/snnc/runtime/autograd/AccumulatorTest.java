package org.snnc.runtime.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class AccumulatorTest {

    @Test
    void outputIsTheMeanOverSteps() {
        Accumulator acc = new Accumulator(2, 4);
        acc.begin();
        acc.add(new float[] {1, 0});
        acc.add(new float[] {2, -1});
        acc.add(new float[] {3, 0});
        assertThrows(IllegalStateException.class, () -> acc.output(new float[2]));
        acc.add(new float[] {4, 5});
        float[] out = new float[2];
        acc.output(out);
        // (1+2+3+4)/4 = 2.5, (0-1+0+5)/4 = 1
        assertArrayEquals(new float[] {2.5f, 1f}, out);
        assertThrows(IllegalStateException.class, () -> acc.add(new float[2]));
    }

    @Test
    void gradientOfEachStepMatchesFiniteDifferences() {
        Rand rnd = new Rand(71);
        int t = 5;
        float[][] xs = new float[t][];
        for (int i = 0; i < t; i++) {
            xs[i] = rnd.uniform(6);
        }
        float[] r = rnd.uniform(6);
        Accumulator acc = new Accumulator(6, t);
        float[] out = new float[6];
        DoubleSupplier loss = () -> {
            acc.begin();
            for (float[] x : xs) {
                acc.add(x);
            }
            acc.output(out);
            return GradCheck.dot(r, out);
        };
        float[] grad = new float[6];
        acc.backward(r, grad);
        GradCheck.check("readout step 3", xs[3], grad, loss, 0.25, 1e-4);
    }
}
