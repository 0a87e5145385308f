package org.snnc.runtime.autograd;

import org.snnc.runtime.kernel.Parallel;

/**
 * A population of LIF neurons run over one sequence of {@code timesteps} steps, keeping what
 * back-propagation through time needs: the spikes of every step as bytes and the pre-reset
 * membrane {@code v_t} as floats ({@link LifSpec} gives the dynamics).
 *
 * <p>Use: {@link #begin()} for each new batch (membranes start at 0), then {@link #forward} for
 * {@code t = 0 .. T-1} in order, then {@link #backward} for {@code t = T-1 .. 0} in order. The
 * backward is the reverse recurrence (Eq. 7 of the paper), with {@code g_t = dL/do_t} coming
 * from the layers above and {@code d_t = dL/du_t} carried from step {@code t+1}:
 * <pre>
 *   s      = surrogate(v_t)
 *   SUBTRACT: dL/dv_t = d_t           + (g_t - theta * d_t) * s     (theta term dropped if detached)
 *   ZERO:     dL/dv_t = d_t (1 - o_t) + (g_t - v_t * d_t) * s       (v_t term dropped if detached)
 *   dL/dI_t = dL/dv_t,   d_{t-1} = leak * dL/dv_t,   d_{T-1} = 0
 * </pre>
 * Neurons are independent, so ranges of them are split across threads.
 */
public final class LifNeurons {

    private final LifSpec spec;
    private final int size;
    private final int timesteps;
    private final float[] membrane;
    private final float[] carry;
    /** Spikes of each step, {@code [timesteps][size]}: one array per step so a layer can hand a step's row to its consumers. */
    private final byte[][] spikes;
    /**
     * Pre-reset membrane of every step, step {@code t} at {@code [t * size, (t+1) * size)}. One
     * flat array rather than one per step: G1 places an array this large straight into the old
     * generation, where per-step arrays would first fill young regions and then be copied, so
     * the process would touch (and keep resident) about twice the memory.
     */
    private final float[] preReset;
    /** Surrogate values of one thread's range of neurons, per thread rather than per population. */
    private static final ThreadLocal<float[][]> SURROGATE = ThreadLocal.withInitial(() -> new float[1][0]);
    private int nextForward;
    private int nextBackward;

    /**
     * @param size      neurons per step (for a conv layer {@code n * c * h * w})
     * @param timesteps sequence length T
     */
    public LifNeurons(LifSpec spec, int size, int timesteps) {
        if (size < 1 || timesteps < 1) {
            throw new IllegalArgumentException("size and timesteps must be positive, got " + size + " and " + timesteps);
        }
        if ((long) size * timesteps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("trace of " + size + " neurons x " + timesteps + " steps is too large");
        }
        this.spec = spec;
        this.size = size;
        this.timesteps = timesteps;
        membrane = new float[size];
        carry = new float[size];
        spikes = new byte[timesteps][size];
        preReset = new float[size * timesteps];
        begin();
    }

    public LifSpec spec() {
        return spec;
    }

    public int size() {
        return size;
    }

    public int timesteps() {
        return timesteps;
    }

    /** Starts a new sequence: membranes to 0, step counters rewound. */
    public void begin() {
        java.util.Arrays.fill(membrane, 0f);
        nextForward = 0;
        nextBackward = -1;
    }

    /**
     * Step {@code t} (must be the next one): integrates {@code current [size]} and writes the
     * spikes of this step into {@code spikesOut [size]} (0/1).
     */
    public void forward(int t, float[] current, byte[] spikesOut, Parallel par) {
        forward(t, current, spikesOut, null, par);
    }

    /**
     * As {@link #forward(int, float[], byte[], Parallel)}, also writing the spikes as floats into
     * {@code valuesOut [size]} (null for none) in the same pass, for consumers that read floats.
     */
    public void forward(int t, float[] current, byte[] spikesOut, float[] valuesOut, Parallel par) {
        if (t != nextForward) {
            throw new IllegalStateException("forward step " + t + " called, expected step " + nextForward);
        }
        checkLength("input current", current.length);
        checkLength("spike output", spikesOut.length);
        if (valuesOut != null) {
            checkLength("spike values", valuesOut.length);
        }
        float leak = spec.leak();
        float theta = spec.threshold();
        boolean subtract = spec.reset() == LifSpec.Reset.SUBTRACT;
        float[] pre = preReset;
        int trace = t * size;
        byte[] fired = spikes[t];
        par.forRange(size, (from, to, chunk) -> {
            for (int i = from; i < to; i++) {
                float v = leak * membrane[i] + current[i];
                boolean fire = v > theta;
                pre[trace + i] = v;
                fired[i] = fire ? (byte) 1 : (byte) 0;
                membrane[i] = !fire ? v : subtract ? v - theta : 0f;
            }
            if (valuesOut != null) {
                for (int i = from; i < to; i++) {
                    valuesOut[i] = fired[i];
                }
            }
            if (spikesOut != fired) {
                System.arraycopy(fired, from, spikesOut, from, to - from);
            }
        });
        nextForward = t + 1;
        if (nextForward == timesteps) {
            nextBackward = timesteps - 1;
            java.util.Arrays.fill(carry, 0f);
        }
    }

    /**
     * Step {@code t} of the reverse recurrence (must be the next one, starting at T-1 after all
     * forward steps): {@code gradCurrent += dL/dI_t} given {@code gradSpikes = dL/do_t}, both
     * {@code [size]}.
     */
    public void backward(int t, float[] gradSpikes, float[] gradCurrent, Parallel par) {
        if (t != nextBackward) {
            throw new IllegalStateException(nextBackward < 0
                    ? "backward step " + t + " called before the forward pass finished all " + timesteps + " steps"
                    : "backward step " + t + " called, expected step " + nextBackward);
        }
        checkLength("spike gradient", gradSpikes.length);
        checkLength("current gradient", gradCurrent.length);
        float leak = spec.leak();
        float theta = spec.threshold();
        boolean subtract = spec.reset() == LifSpec.Reset.SUBTRACT;
        boolean detach = spec.detachReset();
        Surrogate surrogate = spec.surrogate();
        int trace = t * size;
        byte[] fired = spikes[t];
        par.forRange(size, (from, to, chunk) -> {
            float[][] holder = SURROGATE.get();
            if (holder[0].length < to - from) {
                holder[0] = new float[to - from];
            }
            float[] s = holder[0];
            surrogate.fill(preReset, trace + from, s, 0, to - from, theta);
            if (subtract) {
                float resetGain = detach ? 0f : theta;
                for (int i = from; i < to; i++) {
                    float d = carry[i];
                    float dv = d + (gradSpikes[i] - resetGain * d) * s[i - from];
                    gradCurrent[i] += dv;
                    carry[i] = leak * dv;
                }
            } else {
                float resetGain = detach ? 0f : 1f;
                for (int i = from; i < to; i++) {
                    float d = carry[i];
                    float keep = 1 - fired[i];
                    float dv = d * keep + (gradSpikes[i] - resetGain * preReset[trace + i] * d) * s[i - from];
                    gradCurrent[i] += dv;
                    carry[i] = leak * dv;
                }
            }
        });
        nextBackward = t - 1;
    }

    /**
     * The array holding the spikes of step {@code t} ({@code [size]}, 0/1), not a copy: a layer
     * hands it to its consumers instead of keeping a second copy of every step. Callers must not
     * write to it; it is rewritten by the next forward pass of step {@code t}.
     */
    public byte[] spikeTrace(int t) {
        if (t < 0 || t >= timesteps) {
            throw new IndexOutOfBoundsException("step " + t + " outside [0, " + timesteps + ")");
        }
        return spikes[t];
    }

    /** Spikes of step {@code t} (0/1) copied into {@code dst [size]}. */
    public void spikes(int t, byte[] dst) {
        checkStep(t);
        checkLength("spike destination", dst.length);
        System.arraycopy(spikes[t], 0, dst, 0, size);
    }

    /** Number of spikes emitted at step {@code t} (for spike-rate statistics). */
    public long spikeCount(int t) {
        checkStep(t);
        long count = 0;
        for (byte b : spikes[t]) {
            count += b;
        }
        return count;
    }

    /** Pre-reset membrane {@code v_t} of step {@code t} copied into {@code dst [size]}. */
    public void preResetMembrane(int t, float[] dst) {
        checkStep(t);
        checkLength("membrane destination", dst.length);
        System.arraycopy(preReset, t * size, dst, 0, size);
    }

    private void checkStep(int t) {
        if (t < 0 || t >= nextForward) {
            throw new IllegalArgumentException("step " + t + " has not been run (ran " + nextForward + " steps)");
        }
    }

    private void checkLength(String what, int length) {
        if (length != size) {
            throw new IllegalArgumentException(what + " has " + length + " elements, expected " + size);
        }
    }
}
