package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class LinearTest {

    @Test
    void forwardUsesPyTorchWeightLayout() {
        // W = [[1,2,3],[4,5,6]] ([out=2][in=3]), b = [10, 20], x = [[1,0,-1],[2,1,0]]:
        // y[0] = [1-3+10, 4-6+20] = [8, 18]; y[1] = [2+2+10, 8+5+20] = [14, 33]
        float[] y = new float[4];
        Linear.forward(3, 2, new float[] {1, 0, -1, 2, 1, 0}, 2, new float[] {1, 2, 3, 4, 5, 6},
                new float[] {10, 20}, y, Parallel.serial());
        assertArrayEquals(new float[] {8, 18, 14, 33}, y);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rand rnd = new Rand(31);
        int in = 7;
        int out = 5;
        int n = 3;
        float[] x = rnd.uniform(n * in);
        float[] w = rnd.uniform(out * in);
        float[] b = rnd.uniform(out);
        float[] r = rnd.uniform(n * out);
        float[] y = new float[n * out];
        DoubleSupplier loss = () -> {
            Linear.forward(in, out, x, n, w, b, y, Parallel.serial());
            return GradCheck.dot(r, y);
        };
        float[] dx = new float[x.length];
        float[] dw = new float[w.length];
        float[] db = new float[b.length];
        Linear.backwardInput(in, out, r, n, w, dx, Parallel.serial());
        Linear.backwardWeight(in, out, x, r, n, dw, Parallel.serial());
        Linear.backwardBias(out, r, n, db, Parallel.serial());
        GradCheck.check("linear dx", x, dx, loss, 0.25, 1e-4);
        GradCheck.check("linear dW", w, dw, loss, 0.25, 1e-4);
        GradCheck.check("linear db", b, db, loss, 0.25, 1e-4);
    }

    @Test
    void flattenIsTheNchwBufferAndAddFansGradientsOut() {
        assertEquals(64 * 8 * 8, Flatten.features(64, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> Flatten.features(65536, 65536, 2));
        float[] a = {1, 2, 3};
        float[] b = {10, 20, 30};
        float[] s = new float[3];
        Elementwise.add(a, b, s);
        assertArrayEquals(new float[] {11, 22, 33}, s);
        // d(a+b)/da = d(a+b)/db = identity: both operands accumulate the output gradient.
        float[] ga = {1, 1, 1};
        Elementwise.accumulate(ga, new float[] {0.5f, -1, 2});
        assertArrayEquals(new float[] {1.5f, 0, 3}, ga);
        assertThrows(IllegalArgumentException.class, () -> Elementwise.add(a, new float[2], s));
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Rand rnd = new Rand(32);
        int in = 33;
        int out = 17;
        int n = 5;
        float[] x = rnd.uniform(n * in);
        float[] w = rnd.uniform(out * in);
        float[] dy = rnd.uniform(n * out);
        float[][] y = new float[2][n * out];
        float[][] dw = new float[2][out * in];
        try (Parallel two = new Parallel(2)) {
            Parallel[] pars = {Parallel.serial(), two};
            for (int i = 0; i < 2; i++) {
                Linear.forward(in, out, x, n, w, null, y[i], pars[i]);
                Linear.backwardWeight(in, out, x, dy, n, dw[i], pars[i]);
            }
        }
        assertArrayEquals(y[0], y[1]);
        assertArrayEquals(dw[0], dw[1]);
    }
}
