package org.snnc.simulator;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The barrier between the phases of a time step, for a fixed team of threads where thread 0 is
 * the caller. A phase of a step lasts tens of microseconds, so a waiting thread spins briefly
 * before it parks: a parked thread's wake-up costs about as much as a phase. Spinning is bounded
 * because the machine may be shared (a thread that spins while the thread it waits for is
 * descheduled only delays it).
 *
 * <p>Thread 0 leads: it waits for the others, runs the phase's serial part (if any) on the
 * caller's thread, then releases them, so callbacks such as progress and cancellation are only
 * ever called from the thread that started the run. A failure in any thread breaks the barrier:
 * every waiting thread then throws {@link Broken}.
 */
final class StepBarrier {

    /** Spin-wait iterations before parking (each a pause instruction, tens of nanoseconds). */
    private static final int SPINS = 1 << 12;

    private final int parties;
    private final Thread[] team;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile Throwable failure;

    /** Thrown in the threads that wait at a barrier some other thread has broken. */
    static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Broken() {
            super("another simulation thread failed", null, false, false);
        }
    }

    /** @param team the threads, team[0] being the caller's */
    StepBarrier(Thread[] team) {
        this.team = team.clone();
        this.parties = team.length;
    }

    /**
     * Waits until every thread of the team has arrived; thread 0 then runs {@code serial} (may be
     * null) before any thread goes on. All writes before the barrier, and those of
     * {@code serial}, are visible to every thread after it.
     */
    void await(int worker, Runnable serial) {
        int gen = generation;
        if (worker != 0) {
            arrived.incrementAndGet();
            LockSupport.unpark(team[0]);
            for (int i = 0; generation == gen; i++) {
                if (failure != null) throw new Broken();
                if (i < SPINS) Thread.onSpinWait(); else LockSupport.park(this);
            }
            return;
        }
        for (int i = 0; arrived.get() < parties - 1; i++) {
            if (failure != null) throw new Broken();
            if (Thread.currentThread().isInterrupted()) {
                IllegalStateException e = new IllegalStateException("the simulation was interrupted");
                fail(e);
                throw e;
            }
            if (i < SPINS) Thread.onSpinWait(); else LockSupport.park(this);
        }
        arrived.set(0);
        if (serial != null) serial.run();
        generation = gen + 1;
        for (int w = 1; w < parties; w++) LockSupport.unpark(team[w]);
    }

    /** Breaks the barrier for good: waiting and arriving threads throw {@link Broken}. */
    void fail(Throwable cause) {
        if (failure == null) failure = cause;
        for (Thread t : team) {
            if (t != Thread.currentThread()) LockSupport.unpark(t);
        }
    }

    /** The first failure, or null. */
    Throwable failure() {
        return failure;
    }
}
