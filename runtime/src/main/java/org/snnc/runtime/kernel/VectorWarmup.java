package org.snnc.runtime.kernel;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds {@link Gemm}, {@link Conv2d} and {@link SpikeConv2d} on their scalar kernels until C2
 * has compiled the vector kernels: {@link VectorGemm}'s tile and gather, {@link VectorConv}'s tiles.
 *
 * <p>Before that, the interpreter and C1 run the vector API's Java fallbacks, which allocate
 * every vector they make: a training step's products in that state made about 650 MB of garbage
 * in two seconds, and G1 answered by growing the heap past 1 GB (peak RSS 670-880 MB against
 * 160-180 MB on the scalar kernels). So a daemon thread calls each vector kernel on tiny
 * operands (a few kB of garbage per call) in paced batches, which reach C2's thresholds in about
 * a second and some 40 MB, until a batch allocates nothing: the vector operations are intrinsics
 * then, and the kernels switch over. Both forms give the same bits, so when the switch happens
 * changes no result.
 */
final class VectorWarmup {

    /** Calls per batch; one batch without a byte allocated ends the warm-up. */
    private static final int BATCH = 250;
    /**
     * Pause between batches: the compiler works in the background while the batches wait, so
     * pacing cuts the garbage made while a compilation is queued without delaying it much.
     */
    private static final long PAUSE_MILLIS = 10;
    /** Give up (stay scalar) after this long: a JVM that never compiles the tile (no C2). */
    static final long LIMIT_SECONDS = 15;

    private static final CountDownLatch READY = new CountDownLatch(1);
    private static volatile boolean ready;

    private VectorWarmup() {
    }

    /** Starts the warm-up thread; called once, only when the vector module is present. */
    static void start() {
        Thread t = new Thread(VectorWarmup::run, "snnc-vector-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Whether the tiles are compiled and the products may use them. */
    static boolean ready() {
        return ready;
    }

    /** Waits up to {@code timeout} for the tiles; returns whether they are ready. */
    static boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return READY.await(timeout, unit) && ready;
    }

    private static void run() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int k = 3;
        int n = VectorGemm.NR;
        int m = VectorGemm.MR;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        // Every path of the gather's loops, as training takes them: lists empty and long, rows
        // with and without four-vector chunks, single vectors and a scalar tail. A path C2 saw
        // untaken becomes a trap that sends the method back to the fallbacks when taken.
        int[] widths = {n, 4 * n, 4 * n + n / 2 + 1};
        int[] counts = {0, 1, 3};
        float[][] rows = new float[3][4 * n + n / 2 + 1];
        int[] index = {0, 2, 1};
        float[] factors = {1f, -1f, 1f};
        float[] acc = new float[rows[0].length];
        int[] offsets = {0, 1, 2};
        float[] plane = new float[3 + 2 * n];
        float[] taps = new float[3 * VectorConv.OC];
        float[] tile = new float[VectorConv.OC * VectorConv.OX];
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(LIMIT_SECONDS)) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < BATCH; i++) {
                VectorGemm.multiplyAdd(0, m, n, k, a, 0, k, b, 0, n, c, 0, n);
                VectorGemm.gather(acc, rows, index, factors, counts[i % 3], widths[(i / 3) % 3]);
                VectorConv.tile(plane, 0, 0, 0, 0, offsets, taps, VectorConv.OC, 0, tile);
            }
            if (threads.getCurrentThreadAllocatedBytes() == before) {
                ready = true;
                READY.countDown();
                return;
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        // Not compiled in time: products stay scalar, and waiters stop waiting.
        READY.countDown();
    }
}
