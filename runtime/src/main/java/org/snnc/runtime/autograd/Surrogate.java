package org.snnc.runtime.autograd;

/**
 * Pseudo-derivative {@code dO/dU} of the spike non-linearity {@code O = H(U - theta)}, used in
 * place of the Heaviside's derivative during back-propagation. {@code u} is the membrane
 * potential before reset, {@code theta} the threshold.
 */
public sealed interface Surrogate permits Surrogate.Triangle, Surrogate.FastSigmoid, Surrogate.Atan {

    /** The pseudo-derivative at one membrane value. */
    float derivative(float u, float theta);

    /**
     * {@code out[outOff + i] = derivative(u[off + i], theta)} for {@code i < len}. Each implementation has
     * its own loop so the hot loop calls no interface method per element.
     */
    void fill(float[] u, int off, float[] out, int outOff, int len, float theta);

    /**
     * {@code scale * max(0, 1 - |(u - theta) / theta|)}: Eq. 6 of the paper with scale 1; the
     * released code uses scale 0.3.
     */
    record Triangle(float scale) implements Surrogate {
        public Triangle {
            positive(scale, "scale");
        }

        /** Scale 0.3, the released code's value. */
        public static Triangle released() {
            return new Triangle(0.3f);
        }

        @Override
        public float derivative(float u, float theta) {
            return scale * Math.max(0f, 1f - Math.abs((u - theta) / theta));
        }

        @Override
        public void fill(float[] u, int off, float[] out, int outOff, int len, float theta) {
            for (int i = 0; i < len; i++) {
                out[outOff + i] = scale * Math.max(0f, 1f - Math.abs((u[off + i] - theta) / theta));
            }
        }
    }

    /** {@code scale / (1 + slope * |u - theta|)^2} (SuperSpike's fast sigmoid). */
    record FastSigmoid(float scale, float slope) implements Surrogate {
        public FastSigmoid {
            positive(scale, "scale");
            positive(slope, "slope");
        }

        @Override
        public float derivative(float u, float theta) {
            float d = 1f + slope * Math.abs(u - theta);
            return scale / (d * d);
        }

        @Override
        public void fill(float[] u, int off, float[] out, int outOff, int len, float theta) {
            for (int i = 0; i < len; i++) {
                float d = 1f + slope * Math.abs(u[off + i] - theta);
                out[outOff + i] = scale / (d * d);
            }
        }
    }

    /** {@code scale * alpha / 2 / (1 + (pi / 2 * alpha * (u - theta))^2)}, the derivative of {@code atan}'s sigmoid. */
    record Atan(float scale, float alpha) implements Surrogate {
        public Atan {
            positive(scale, "scale");
            positive(alpha, "alpha");
        }

        @Override
        public float derivative(float u, float theta) {
            float z = (float) (Math.PI / 2) * alpha * (u - theta);
            return scale * alpha / 2 / (1 + z * z);
        }

        @Override
        public void fill(float[] u, int off, float[] out, int outOff, int len, float theta) {
            float k = (float) (Math.PI / 2) * alpha;
            float top = scale * alpha / 2;
            for (int i = 0; i < len; i++) {
                float z = k * (u[off + i] - theta);
                out[outOff + i] = top / (1 + z * z);
            }
        }
    }

    private static void positive(float v, String name) {
        if (!(v > 0) || Float.isInfinite(v)) {
            throw new IllegalArgumentException("surrogate " + name + " must be positive and finite, got " + v);
        }
    }
}
