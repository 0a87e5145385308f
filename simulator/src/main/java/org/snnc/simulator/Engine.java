package org.snnc.simulator;

import java.util.function.BooleanSupplier;
import org.snnc.compiler.program.Program;

/** Runs a program for a number of steps. */
public interface Engine {

    /**
     * @param steps     time steps to run (often the program's timesteps)
     * @param input     the input channels' spikes per step
     * @param options   what to record and how to report progress
     */
    SimResult run(Program program, Costs costs, int steps, InputSpikes input, Options options);

    /**
     * @param recordSpikes whether to keep every step's spikes (tests; memory grows with spikes)
     * @param progress     called after every step with the steps done; may be a no-op
     * @param cancelled    polled after every step: true stops the run, whose result then says
     *                     {@code interrupted}
     */
    record Options(boolean recordSpikes, Progress progress, BooleanSupplier cancelled) {
        public static Options quiet() {
            return new Options(false, done -> { }, () -> false);
        }

        public static Options recording() {
            return new Options(true, done -> { }, () -> false);
        }
    }

    interface Progress {
        void stepDone(int done);
    }
}
