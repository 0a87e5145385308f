package org.snnc.runtime.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed number of worker threads over which kernels split independent index ranges.
 *
 * <p>Determinism contract: {@link #forRange} hands each index of {@code [0, count)} to exactly one
 * chunk, and kernels give every output element to exactly one index, computing it in a fixed
 * order. The bits of every result therefore do not depend on the thread count. Chunks are
 * contiguous and their number never exceeds {@link #threads()}, so a kernel may keep one scratch
 * buffer per chunk.
 *
 * <p>A training step makes thousands of calls (several per layer and time step), many of them a
 * few microseconds of work, so hand-off is cheap: the workers spin briefly on a generation
 * counter between calls and only then park, and the caller runs chunk 0 itself and spins for the
 * others before parking. A thread-pool submit and {@code Future.get} per call cost tens of
 * microseconds each, a tenth of a step. One call runs at a time (concurrent callers queue); a call
 * made from inside a chunk runs its whole range on that thread.
 */
public final class Parallel implements AutoCloseable {

    /** Runs on {@code [from, to)}; {@code chunk} is in {@code [0, threads)} and unique per call. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to, int chunk);
    }

    /** How long an idle thread spins before parking: a few kernel calls' worth. */
    private static final long SPIN_NANOS = 100_000;

    private static final Parallel SERIAL = new Parallel(1);

    private final int threads;
    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    /** The latest call; workers run each call whose generation they have not seen. */
    private volatile Call current = new Call(0, null, 0, 0);
    private volatile boolean closed;
    private volatile Thread waiter;
    private volatile Throwable failure;
    /** The thread inside a call, so a call it makes from its own chunk runs inline. */
    private Thread dispatching;

    /** One {@link #forRange} call, immutable so a worker reads it whole. */
    private record Call(int generation, RangeBody body, int count, int chunks) {
    }

    /** @param threads number of threads, at least 1; 1 runs everything on the caller's thread */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        // The caller runs the first chunk itself, so one thread fewer is started.
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
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
        Thread self = Thread.currentThread();
        if (chunks == 1 || self instanceof Worker || self == dispatching) {
            body.run(0, count, 0);
            return;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Parallel used after close");
            }
            dispatching = self;
            failure = null;
            pending.set(chunks - 1);
            current = new Call(current.generation() + 1, body, count, chunks);
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            try {
                body.run(0, bound(count, chunks, 1), 0);
            } finally {
                awaitWorkers();
                dispatching = null;
            }
            Throwable f = failure;
            if (f != null) {
                failure = null;
                if (f instanceof RuntimeException r) {
                    throw r;
                }
                if (f instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(f);
            }
        }
    }

    private void awaitWorkers() {
        long start = System.nanoTime();
        while (pending.get() != 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.yield();
            } else {
                waiter = Thread.currentThread();
                if (pending.get() != 0) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
        }
    }

    private static int bound(int count, int chunks, int c) {
        return (int) ((long) count * c / chunks);
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {
        private final int chunk;
        volatile boolean parked;

        Worker(int chunk) {
            super("snnc-kernel-" + chunk);
            this.chunk = chunk;
            // Kernel workers must never keep a finished CLI process alive.
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                Call c = awaitCall(seen);
                if (c == null) {
                    return;
                }
                seen = c.generation();
                if (chunk >= c.chunks()) {
                    continue;
                }
                try {
                    c.body().run(bound(c.count(), c.chunks(), chunk), bound(c.count(), c.chunks(), chunk + 1), chunk);
                } catch (Throwable t) {
                    failure = t;
                }
                if (pending.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }

        /** The latest call if it is not generation {@code seen}, waiting for one; null once closed. */
        private Call awaitCall(int seen) {
            long start = System.nanoTime();
            while (true) {
                Call c = current;
                if (c.generation() != seen) {
                    return c;
                }
                if (closed) {
                    return null;
                }
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.yield();
                } else {
                    parked = true;
                    if (current.generation() == seen && !closed) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
    }
}
