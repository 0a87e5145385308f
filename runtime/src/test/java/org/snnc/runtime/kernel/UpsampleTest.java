package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.snnc.runtime.testing.GradCheck;
import org.snnc.runtime.testing.Rand;

class UpsampleTest {

    private static final float[] X = {1, 2, 3, 4};

    private static float[] run(UpsampleSpec spec, float[] x, int h, int w) {
        float[] y = new float[spec.outH() * spec.outW()];
        Upsample.forward(spec, x, 1, 1, h, w, y, Parallel.serial());
        return y;
    }

    @Test
    void bilinearAlignCornersTrue() {
        // 2 -> 4 with align_corners=True: src = dst * (2-1)/(4-1) = {0, 1/3, 2/3, 1} per axis.
        // On [[1,2],[3,4]] the interpolant is 1 + sx + 2 sy, so row sy has 1 + 2sy + {0,1/3,2/3,1}.
        float t = 1f / 3;
        float[] expected = {
            1, 1 + t, 1 + 2 * t, 2,
            1 + 2 * t, 2, 2 + t, 2 + 2 * t,
            2 + t, 2 + 2 * t, 3, 3 + t,
            3, 3 + t, 3 + 2 * t, 4};
        assertArrayEquals(expected, run(UpsampleSpec.bilinear(4, 4, true), X, 2, 2), 1e-6f);
    }

    @Test
    void bilinearAlignCornersFalse() {
        // 2 -> 4 with align_corners=False: src = max(0, (dst + 0.5) * 2/4 - 0.5)
        //   = {max(0,-0.25)=0, 0.25, 0.75, 1.25}; at 1.25, i0 = min(floor, 1) = 1 and i1 = 1, so
        // it reads in[1] only, i.e. the effective positions are {0, 0.25, 0.75, 1}.
        // Values 1 + sx + 2 sy.
        float[] expected = {
            1, 1.25f, 1.75f, 2,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3, 3.25f, 3.75f, 4};
        assertArrayEquals(expected, run(UpsampleSpec.bilinear(4, 4, false), X, 2, 2), 1e-6f);
    }

    @Test
    void bilinearSingleOutputAndIdentity() {
        // out == 1 with align_corners: scale 0, reads in[0][0].
        assertArrayEquals(new float[] {1}, run(UpsampleSpec.bilinear(1, 1, true), X, 2, 2));
        // out == in copies, whatever align_corners says.
        assertArrayEquals(X, run(UpsampleSpec.bilinear(2, 2, false), X, 2, 2));
    }

    @Test
    void nearestFollowsFloorRule() {
        // 2 -> 4: out == 2 in, src = dst >> 1.
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                run(UpsampleSpec.nearest(4, 4), X, 2, 2));
        // 3 -> 5 along w: scale 0.6, floor({0, 0.6, 1.2, 1.8, 2.4}) = {0, 0, 1, 1, 2}.
        assertArrayEquals(new float[] {7, 7, 8, 8, 9}, run(UpsampleSpec.nearest(1, 5), new float[] {7, 8, 9}, 1, 3));
        // 4 -> 3 along w: scale 4/3, floor({0, 1.33, 2.67}) = {0, 1, 2}.
        assertArrayEquals(new float[] {5, 6, 7}, run(UpsampleSpec.nearest(1, 3), new float[] {5, 6, 7, 8}, 1, 4));
    }

    @Test
    void nearestRejectsAlignCorners() {
        assertThrows(IllegalArgumentException.class, () -> new UpsampleSpec(UpsampleSpec.Mode.NEAREST, 4, 4, true));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rand rnd = new Rand(41);
        UpsampleSpec[] specs = {
            UpsampleSpec.bilinear(9, 7, true),
            UpsampleSpec.bilinear(9, 7, false),
            UpsampleSpec.bilinear(3, 2, false),
            UpsampleSpec.nearest(9, 7),
            UpsampleSpec.nearest(3, 10),
        };
        for (UpsampleSpec spec : specs) {
            int n = 2;
            int c = 2;
            int h = 4;
            int w = 5;
            float[] x = rnd.uniform(n * c * h * w);
            float[] r = rnd.uniform(n * c * spec.outH() * spec.outW());
            float[] y = new float[r.length];
            DoubleSupplier loss = () -> {
                Upsample.forward(spec, x, n, c, h, w, y, Parallel.serial());
                return GradCheck.dot(r, y);
            };
            float[] dx = new float[x.length];
            Upsample.backward(spec, r, n, c, h, w, dx, Parallel.serial());
            GradCheck.check("upsample " + spec, x, dx, loss, 0.25, 1e-4);
        }
    }
}
