package org.snnc.compiler.target;

import java.util.Objects;

/**
 * A dimensionless hardware constant (a count, a bit width, a flag, a mode) and where it comes
 * from. The unit of a count is in its key's name ({@code weight_bits}, {@code max_neurons}).
 *
 * @param source the citation written in the target file; {@code [U]} in it marks a number that
 *               nobody has confirmed
 */
public record Sourced<T>(T value, String source) {

    public Sourced {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    /** True when the source marks the value unconfirmed with {@code [U]}. */
    public boolean unconfirmed() {
        return source.contains("[U]");
    }
}
