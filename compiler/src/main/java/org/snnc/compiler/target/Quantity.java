package org.snnc.compiler.target;

import java.util.Objects;

/**
 * A physical hardware constant in the unit it was written in, and where it comes from.
 * Energies are in {@code pJ}, power in {@code mW}, frequency in {@code MHz}; durations may be
 * {@code ns}, {@code us}, {@code ms} or {@code cycles} (see {@link Timing#nanoseconds}).
 *
 * @param source the citation written in the target file; {@code [U]} in it marks a number that
 *               nobody has confirmed
 */
public record Quantity(double value, String unit, String source) {

    public Quantity {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(source, "source");
    }

    /** True when the source marks the value unconfirmed with {@code [U]}. */
    public boolean unconfirmed() {
        return source.contains("[U]");
    }
}
