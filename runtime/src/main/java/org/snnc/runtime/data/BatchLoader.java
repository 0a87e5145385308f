package org.snnc.runtime.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.snnc.runtime.model.Seeds;

/**
 * The batches of one pass over a split, prepared by a producer thread a couple of batches ahead
 * of the consumer. The order is a function of (seed, epoch) alone: shuffled for training, in
 * index order otherwise. Close it to stop the producer early.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {

    private static final int AHEAD = 2;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread producer;
    private final int batches;
    private int taken;
    private volatile boolean closed;

    /**
     * @param shuffle  draw a permutation of the split from (seed, epoch)
     * @param dropLast leave out a last batch smaller than {@code batchSize} (training keeps a
     *                 constant batch for batch statistics)
     */
    public BatchLoader(Dataset data, Split split, int batchSize, boolean shuffle, boolean dropLast, long seed, int epoch) {
        int size = data.size(split);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        int[] order = order(size, shuffle, seed, epoch);
        batches = dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
        // An event set's sample is its sequence of frames; a static set's, its image.
        int timesteps = data.timesteps();
        int imageSize = (int) data.imageShape().size() * Math.max(1, timesteps);
        int plane = data.imageShape().height() * data.imageShape().width();
        producer = new Thread(() -> {
            try {
                for (int b = 0; b < batches && !closed; b++) {
                    int from = b * batchSize;
                    int n = Math.min(batchSize, size - from);
                    float[] images = new float[n * imageSize];
                    int[] labels = new int[n * plane];
                    int[] indices = new int[n];
                    for (int s = 0; s < n; s++) {
                        indices[s] = order[from + s];
                        if (timesteps > 0) {
                            data.readFrames(split, indices[s], images, s * imageSize, labels, s * plane);
                        } else {
                            data.read(split, indices[s], images, s * imageSize, labels, s * plane);
                        }
                    }
                    put(new Batch(images, labels, n, indices));
                }
            } catch (RuntimeException e) {
                put(e);
            }
        }, "snnc-data");
        producer.setDaemon(true);
        producer.start();
    }

    private void put(Object item) {
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // waiting for the consumer; re-check closed so close() never leaves us blocked
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int[] order(int size, boolean shuffle, long seed, int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, epoch, 0x5EED));
            for (int i = size - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Number of batches in this pass. */
    public int batches() {
        return batches;
    }

    @Override
    public boolean hasNext() {
        return taken < batches;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            Object item = queue.take();
            if (item instanceof RuntimeException e) {
                throw e;
            }
            taken++;
            return (Batch) item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        producer.interrupt();
    }
}
