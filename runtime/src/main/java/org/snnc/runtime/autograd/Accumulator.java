package org.snnc.runtime.autograd;

/**
 * The non-spiking readout: integrates its input without leak over T steps and reports the sum
 * divided by T (section 6: "sums the output conv over all T, divides by T"). Since the output
 * is {@code (1/T) sum_t x_t}, the gradient of every step's input is {@code dL/dout / T}.
 */
public final class Accumulator {

    private final float[] sum;
    private final int timesteps;
    private int added;

    /**
     * @param size      elements per step
     * @param timesteps T, the divisor
     */
    public Accumulator(int size, int timesteps) {
        if (size < 1 || timesteps < 1) {
            throw new IllegalArgumentException("size and timesteps must be positive, got " + size + " and " + timesteps);
        }
        sum = new float[size];
        this.timesteps = timesteps;
    }

    /** Clears the sum for a new sequence. */
    public void begin() {
        java.util.Arrays.fill(sum, 0f);
        added = 0;
    }

    /** Adds one step's input {@code x [size]}. */
    public void add(float[] x) {
        if (x.length != sum.length) {
            throw new IllegalArgumentException("readout input has " + x.length + " elements, expected " + sum.length);
        }
        if (added == timesteps) {
            throw new IllegalStateException("readout already received all " + timesteps + " steps");
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += x[i];
        }
        added++;
    }

    /** {@code out = sum / T}, after all T steps were added. */
    public void output(float[] out) {
        if (added != timesteps) {
            throw new IllegalStateException("readout has " + added + " of " + timesteps + " steps");
        }
        if (out.length != sum.length) {
            throw new IllegalArgumentException("readout output has " + out.length + " elements, expected " + sum.length);
        }
        for (int i = 0; i < sum.length; i++) {
            out[i] = sum[i] / timesteps;
        }
    }

    /** {@code gradInput += gradOutput / T}: the gradient of any one step's input. */
    public void backward(float[] gradOutput, float[] gradInput) {
        if (gradOutput.length != sum.length || gradInput.length != sum.length) {
            throw new IllegalArgumentException("readout gradients have " + gradOutput.length + " and "
                    + gradInput.length + " elements, expected " + sum.length);
        }
        for (int i = 0; i < sum.length; i++) {
            gradInput[i] += gradOutput[i] / timesteps;
        }
    }
}
