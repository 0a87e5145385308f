package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Encoding;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.kernel.Parallel;

/**
 * The network input: the batch's data {@code [n][C][H][W]} encoded at every step. Spike
 * encodings keep each step's spikes as bytes (and a float copy of the current step for consumers
 * that are not spike-driven); direct input is the data itself at every step.
 */
final class InputLayer extends Layer {

    private final Encoding.Kind kind;
    private float[] data;
    private long key;
    private byte[][] spikes;

    InputLayer(Node node) {
        super(node, List.of());
        kind = ((Op.Input) node.op()).encoding().kind();
    }

    Encoding.Kind kind() {
        return kind;
    }

    @Override
    boolean binary() {
        return Encoder.spiking(kind);
    }

    @Override
    byte[] spikes(int t) {
        return spikes[t];
    }

    @Override
    void allocate(int n, int timesteps) {
        super.allocate(n, timesteps);
        if (binary()) {
            spikes = new byte[timesteps][n * size];
        } else {
            // Direct input is the same at every step: one buffer serves all of them.
            values = new float[1][n * size];
        }
    }

    /** The batch for the next forward pass and the key its random encoding derives from. */
    void set(float[] batch, long encodingKey) {
        if (batch.length != n * size) {
            throw new IllegalArgumentException("input batch has " + batch.length + " values, expected " + n + " x " + shape);
        }
        data = batch;
        key = encodingKey;
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        if (!binary()) {
            if (t == 0) {
                System.arraycopy(data, 0, values[0], 0, data.length);
            }
            return;
        }
        byte[] out = spikes[t];
        par.forRange(n, (from, to, chunk) -> {
            for (int s = from; s < to; s++) {
                Encoder.encode(kind, data, s * size, size, out, s * size, key, s, t);
            }
        });
        float[] v = value(t);
        for (int i = 0; i < out.length; i++) {
            v[i] = out[i];
        }
    }

    @Override
    void backward(int t, Parallel par) {
        // Inputs have no parameters; nothing upstream needs their gradient.
    }
}
