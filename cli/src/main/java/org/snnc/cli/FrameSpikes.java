package org.snnc.cli;

import java.util.Arrays;
import org.snnc.simulator.InputSpikes;

/**
 * Event frames as the simulator's input: at step {@code t} the channels whose count in frame
 * {@code t} is positive spike (docs/events.md, the runtime's {@code Encoder.frame} rule); after the
 * last frame nothing spikes.
 *
 * @param offset the input group's first channel
 * @param frames {@code [timesteps][channels]} event counts
 * @param size   channels per frame
 */
record FrameSpikes(int offset, float[] frames, int size) implements InputSpikes {

    FrameSpikes {
        if (size <= 0 || frames.length % size != 0) {
            throw new IllegalArgumentException(frames.length + " counts are not whole frames of " + size);
        }
    }

    int timesteps() {
        return frames.length / size;
    }

    @Override
    public int[] at(int step) {
        if (step >= timesteps()) return new int[0];
        int[] out = new int[size];
        int n = 0;
        int base = step * size;
        for (int i = 0; i < size; i++) if (frames[base + i] > 0) out[n++] = offset + i;
        return Arrays.copyOf(out, n);
    }
}
