package org.snnc.compiler.target;

/**
 * Chips joined into one system; a network larger than one chip spans several.
 *
 * @param chipsX              chips along x
 * @param chipsY              chips along y
 * @param interChipHopEnergy  pJ per spike crossing one chip-to-chip link
 * @param interChipHopLatency time per chip-to-chip link crossing (a duration, see
 *                            {@link Timing#nanoseconds})
 */
public record BoardSpec(Sourced<Integer> chipsX, Sourced<Integer> chipsY,
                        Quantity interChipHopEnergy, Quantity interChipHopLatency) {

    /** Chips on the board. */
    public int chips() {
        return chipsX.value() * chipsY.value();
    }
}
