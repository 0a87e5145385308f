package org.snnc.runtime.model;

import java.util.List;
import org.snnc.compiler.ir.Encoding;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.runtime.kernel.Parallel;

/**
 * The network input: the batch's data {@code [n][C][H][W]} encoded at every step. Spike
 * encodings keep each step's spikes as bytes (and a float copy of the current step for consumers
 * that are not spike-driven); direct input is the data itself at every step. An {@code events}
 * input also takes event frames {@code [n][T][C][H][W]}, one per step, which step {@code t}
 * turns into spikes by {@link Encoder#frame}.
 */
final class InputLayer extends Layer {

    private final Encoding.Kind kind;
    private float[] data;
    private long key;
    private byte[][] spikes;
    private boolean frames;

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

    /**
     * The batch for the next forward pass and the key its random encoding derives from: one
     * image per sample, or for an {@code events} input one frame per sample and step (with one
     * step the two are the same length; counts give the same spikes either way, as
     * {@code U(0,1) < x} and {@code x > 0} agree on whole numbers).
     */
    void set(float[] batch, long encodingKey) {
        boolean image = batch.length == (long) n * size;
        frames = !image && kind == Encoding.Kind.EVENTS && batch.length == (long) n * timesteps * size;
        if (!image && !frames) {
            throw new IllegalArgumentException("input batch has " + batch.length + " values, expected " + n + " x " + shape
                    + (kind == Encoding.Kind.EVENTS ? " or " + n + " x " + timesteps + " frames of " + shape : ""));
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
                if (frames) {
                    Encoder.frame(data, (s * timesteps + t) * size, size, out, s * size);
                } else {
                    Encoder.encode(kind, data, s * size, size, out, s * size, key, s, t);
                }
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
