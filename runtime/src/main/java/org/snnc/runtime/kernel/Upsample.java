package org.snnc.runtime.kernel;

/**
 * Nearest and bilinear resizing of NCHW maps ({@code [n][c][h][w] -> [n][c][outH][outW]}) with
 * PyTorch's index arithmetic, in single precision as PyTorch's CPU kernel does for float input:
 *
 * <ul>
 *   <li>nearest: {@code src = min(floor(dst * scale), in - 1)} with {@code scale = (float) in / out},
 *       except that {@code out == in} is the identity and {@code out == 2 in} is {@code dst >> 1};
 *   <li>bilinear, {@code align_corners = true}: {@code src = dst * (in - 1) / (out - 1)} (0 if
 *       {@code out == 1}); {@code false}: {@code src = max(0, (dst + 0.5) * in / out - 0.5)};
 *       then {@code i0 = min(floor(src), in - 1)}, {@code i1 = min(i0 + 1, in - 1)},
 *       {@code lambda1 = clamp(src - i0, 0, 1)}; an axis with {@code out == in} is copied.
 * </ul>
 *
 * Planes are split across threads. Forward overwrites; backward adds.
 */
public final class Upsample {

    private Upsample() {
    }

    public static void forward(UpsampleSpec spec, float[] x, int n, int c, int h, int w, float[] y, Parallel par) {
        int oh = spec.outH();
        int ow = spec.outW();
        Checks.length("input", x, (long) n * c * h * w);
        Checks.length("output", y, (long) n * c * oh * ow);
        Axis ay = Axis.of(spec, h, oh);
        Axis ax = Axis.of(spec, w, ow);
        par.forRange(n * c, (from, to, chunk) -> {
            for (int p = from; p < to; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int r0 = in + ay.i0[oy] * w;
                    int r1 = in + ay.i1[oy] * w;
                    float wy0 = ay.l0[oy];
                    float wy1 = ay.l1[oy];
                    int dst = out + oy * ow;
                    for (int ox = 0; ox < ow; ox++) {
                        int c0 = ax.i0[ox];
                        int c1 = ax.i1[ox];
                        float wx0 = ax.l0[ox];
                        float wx1 = ax.l1[ox];
                        y[dst + ox] = wy0 * (wx0 * x[r0 + c0] + wx1 * x[r0 + c1])
                                + wy1 * (wx0 * x[r1 + c0] + wx1 * x[r1 + c1]);
                    }
                }
            }
        });
    }

    /** {@code dx += dL/dx}: each output gradient goes back to its (up to four) sources, weighted. */
    public static void backward(UpsampleSpec spec, float[] dy, int n, int c, int h, int w, float[] dx, Parallel par) {
        int oh = spec.outH();
        int ow = spec.outW();
        Checks.length("output gradient", dy, (long) n * c * oh * ow);
        Checks.length("input gradient", dx, (long) n * c * h * w);
        Axis ay = Axis.of(spec, h, oh);
        Axis ax = Axis.of(spec, w, ow);
        par.forRange(n * c, (from, to, chunk) -> {
            for (int p = from; p < to; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int r0 = in + ay.i0[oy] * w;
                    int r1 = in + ay.i1[oy] * w;
                    float wy0 = ay.l0[oy];
                    float wy1 = ay.l1[oy];
                    int src = out + oy * ow;
                    for (int ox = 0; ox < ow; ox++) {
                        float g = dy[src + ox];
                        int c0 = ax.i0[ox];
                        int c1 = ax.i1[ox];
                        float g0 = wy0 * g;
                        float g1 = wy1 * g;
                        dx[r0 + c0] += g0 * ax.l0[ox];
                        dx[r0 + c1] += g0 * ax.l1[ox];
                        dx[r1 + c0] += g1 * ax.l0[ox];
                        dx[r1 + c1] += g1 * ax.l1[ox];
                    }
                }
            }
        });
    }

    /**
     * Per output index along one axis: the two source indices and their weights. Nearest uses
     * weights (1, 0) with {@code i1 = i0}, so both modes share the interpolation loops.
     */
    static final class Axis {
        final int[] i0;
        final int[] i1;
        final float[] l0;
        final float[] l1;

        private Axis(int out) {
            i0 = new int[out];
            i1 = new int[out];
            l0 = new float[out];
            l1 = new float[out];
        }

        static Axis of(UpsampleSpec spec, int in, int out) {
            Checks.positive("input size", in);
            Axis a = new Axis(out);
            if (spec.mode() == UpsampleSpec.Mode.NEAREST) {
                float scale = (float) in / out;
                for (int d = 0; d < out; d++) {
                    int s;
                    if (out == in) {
                        s = d;
                    } else if (out == 2 * in) {
                        s = d >> 1;
                    } else {
                        s = Math.min((int) Math.floor(d * scale), in - 1);
                    }
                    a.set(d, s, s, 1f, 0f);
                }
                return a;
            }
            float scale;
            if (spec.alignCorners()) {
                scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
            } else {
                scale = (float) in / out;
            }
            for (int d = 0; d < out; d++) {
                if (out == in) {
                    a.set(d, d, d, 1f, 0f);
                    continue;
                }
                float src = spec.alignCorners() ? scale * d : Math.max(scale * (d + 0.5f) - 0.5f, 0f);
                int s0 = Math.min((int) Math.floor(src), in - 1);
                float lambda1 = Math.min(Math.max(src - s0, 0f), 1f);
                int s1 = s0 < in - 1 ? s0 + 1 : s0;
                a.set(d, s0, s1, 1f - lambda1, lambda1);
            }
            return a;
        }

        private void set(int d, int s0, int s1, float w0, float w1) {
            i0[d] = s0;
            i1[d] = s1;
            l0[d] = w0;
            l1[d] = w1;
        }
    }
}
