package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.kernel.Parallel;

/**
 * One node of the IR made executable over a batch of {@code n} samples. Its output at step
 * {@code t} is {@link #value(int)}, {@code [n][C][H][W]} flat; binary layers (spiking layers and
 * spike-encoded inputs) also keep their output of every step as bytes ({@link #spikes(int)}).
 *
 * <p>Per-step layers run at every time step; readout layers (those downstream of an
 * {@code accumulate}) run once after the last step, as step 0. A layer keeps the float output of
 * every step only when a consumer's backward reads it ({@link #storeValues}); otherwise one
 * buffer is reused. {@link #grad} is {@code dL/d(output)} of the step being back-propagated:
 * consumers add into it, then the layer's own {@link #backward} reads it.
 */
abstract class Layer {

    final Node node;
    final List<Layer> inputs;
    final Shape shape;
    /** Elements per sample. */
    final int size;
    /** Runs once after the time loop (downstream of an accumulate). */
    boolean readout;
    /** Some consumer's backward reads this layer's float output of every step. */
    boolean storeValues;
    /** Some learnable parameter is at or upstream of this layer: gradients must reach it. */
    boolean needsGrad;
    /**
     * Every consumer reads this layer's stored output through {@link #backwardValue}, so the
     * layer may recompute it in backward instead of keeping every step's (see {@link ConvLayer}).
     */
    boolean consumersRecompute;

    int n;
    int timesteps;
    float[][] values;
    float[] grad;

    Layer(Node node, List<Layer> inputs) {
        this.node = node;
        this.inputs = inputs;
        this.shape = node.shape();
        long s = shape.size();
        if (s > Integer.MAX_VALUE / 64) {
            throw new ModelException("layer " + node.name() + " of shape " + shape + " is too large to train");
        }
        this.size = (int) s;
    }

    Layer input() {
        return inputs.get(0);
    }

    String name() {
        return node.name();
    }

    /** The layer as {@link Profile} lists it: name and kind. */
    String profileName() {
        return name() + " (" + getClass().getSimpleName().replace("Layer", "") + ")";
    }

    /** Whether this layer's output is spikes kept as bytes. */
    boolean binary() {
        return false;
    }

    /** Spikes of step {@code t}, {@code [n][C][H][W]}; only for {@link #binary()} layers. */
    byte[] spikes(int t) {
        throw new IllegalStateException(name() + " does not spike");
    }

    /** Whether backward reads {@code input.value(t)} (for weight gradients or normalisation). */
    boolean readsInputValues() {
        return false;
    }

    /** Whether backward reads its input's values only through {@link #backwardValue}. */
    boolean readsInputThroughBackwardValue() {
        return false;
    }

    /** Whether backward can read the spikes of a binary input instead of its float values. */
    boolean readsInputSpikes() {
        return false;
    }

    /** (Re)allocates the buffers for batches of {@code n} samples over {@code timesteps} steps. */
    void allocate(int n, int timesteps) {
        this.n = n;
        this.timesteps = timesteps;
        int slots = keepsEveryStep() ? timesteps : 1;
        values = new float[slots][n * size];
        grad = new float[n * size];
    }

    /** Whether {@link #values} holds every step (else one buffer serves all). */
    boolean keepsEveryStep() {
        return !readout && storeValues;
    }

    /** The output of step {@code t}, as computed by the last forward of that step. */
    float[] value(int t) {
        return values[values.length == 1 ? 0 : t];
    }

    /**
     * The output of step {@code t} for a consumer's backward: {@link #value(int)}, or, for a layer
     * that recomputes rather than stores it, the same values computed again.
     */
    float[] backwardValue(int t, Parallel par) {
        return value(t);
    }

    /** Called once per batch before step 0 (membranes and sums start afresh). */
    void begin() {
    }

    abstract void forward(int t, boolean training, Parallel par);

    /** Adds {@code dL/d(input)} of step {@code t} into the inputs' {@link #grad}; accumulates parameter gradients. */
    abstract void backward(int t, Parallel par);

    /** Parameters (with gradients) and buffers, in a stable order. */
    List<Tensor> tensors() {
        return List.of();
    }

    /** Whether {@link #grad} is reset before each step of the backward pass (false for readouts fed once). */
    boolean gradPerStep() {
        return !readout;
    }
}
