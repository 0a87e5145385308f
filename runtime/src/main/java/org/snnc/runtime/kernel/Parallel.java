package org.snnc.runtime.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of worker threads over which kernels split independent index ranges.
 *
 * <p>Determinism contract: {@link #forRange} hands each index of {@code [0, count)} to exactly one
 * chunk, and kernels give every output element to exactly one index, computing it in a fixed
 * order. The bits of every result therefore do not depend on the thread count. Chunks are
 * contiguous and their number never exceeds {@link #threads()}, so a kernel may keep one scratch
 * buffer per chunk.
 */
public final class Parallel implements AutoCloseable {

    /** Runs on {@code [from, to)}; {@code chunk} is in {@code [0, threads)} and unique per call. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to, int chunk);
    }

    private static final Parallel SERIAL = new Parallel(1);

    private final int threads;
    private final ExecutorService pool;

    /** @param threads number of threads, at least 1; 1 runs everything on the caller's thread */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        // The caller runs the first chunk itself, so the pool needs one thread fewer.
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonFactory());
    }

    /** A shared single-threaded instance (nothing to close). */
    public static Parallel serial() {
        return SERIAL;
    }

    public int threads() {
        return threads;
    }

    /**
     * Splits {@code [0, count)} into at most {@link #threads()} contiguous chunks of near-equal
     * size and runs them concurrently; returns when all have finished. An exception in any chunk
     * is rethrown here.
     */
    public void forRange(int count, RangeBody body) {
        if (count <= 0) {
            return;
        }
        int chunks = Math.min(threads, count);
        if (chunks == 1) {
            body.run(0, count, 0);
            return;
        }
        List<Future<?>> pending = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = bound(count, chunks, c);
            int to = bound(count, chunks, c + 1);
            int chunk = c;
            pending.add(pool.submit(() -> body.run(from, to, chunk)));
        }
        body.run(0, bound(count, chunks, 1), 0);
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a kernel chunk", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private static int bound(int count, int chunks, int c) {
        return (int) ((long) count * c / chunks);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    private static ThreadFactory daemonFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "snnc-kernel-" + n.incrementAndGet());
            // Kernel workers must never keep a finished CLI process alive.
            t.setDaemon(true);
            return t;
        };
    }
}
