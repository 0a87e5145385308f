package org.snnc.compiler.target;

/** What a fixed-width state variable does when a result leaves its range. */
public enum Overflow {
    /** Two's-complement wrap-around: the low bits are kept. */
    WRAP,
    /** Clamp to the nearest representable value. */
    SATURATE
}
