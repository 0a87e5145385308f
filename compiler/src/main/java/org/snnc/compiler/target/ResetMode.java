package org.snnc.compiler.target;

/** What happens to the voltage of a neuron that fires. */
public enum ResetMode {
    /** Hard reset: v := 0. */
    ZERO,
    /** Soft reset: v := v - threshold, keeping the surplus. */
    SUBTRACT
}
