package org.snnc.compiler.target;

import java.util.List;
import java.util.Optional;

/**
 * Latency of each event, per event. Durations are written in ns, us, ms or cycles; cycles
 * need the clock.
 *
 * @param clock         core clock in MHz; absent for asynchronous chips, whose durations are
 *                      then all written in time units
 * @param synapticOp    one synaptic operation (one weight added to one neuron)
 * @param neuronUpdate  one neuron's update in a time step
 * @param spikeOut      a neuron's spike leaving its core
 * @param hopWithinTile a spike between cores of one tile
 * @param hopEastWest   a spike crossing one tile along x
 * @param hopNorthSouth a spike crossing one tile along y
 * @param barrier       the synchronisation that ends every time step
 * @param minStep       shortest time step; 0 when a step lasts as long as its work, the length
 *                      of the global tick otherwise (TrueNorth: 1 ms)
 */
public record Timing(Optional<Quantity> clock, Quantity synapticOp, Quantity neuronUpdate,
                     Quantity spikeOut, Quantity hopWithinTile, Quantity hopEastWest,
                     Quantity hopNorthSouth, Quantity barrier, Quantity minStep) {

    /** Units a duration may be written in. */
    public static final List<String> DURATION_UNITS = List.of("ns", "us", "ms", "cycles");

    /**
     * The duration in nanoseconds.
     *
     * @throws IllegalArgumentException when {@code q} is not a duration, or is in cycles and
     *                                  this target has no clock (the loader refuses such files)
     */
    public double nanoseconds(Quantity q) {
        return switch (q.unit()) {
            case "ns" -> q.value();
            case "us" -> q.value() * 1e3;
            case "ms" -> q.value() * 1e6;
            case "cycles" -> q.value() * 1e3 / clock.orElseThrow(() -> new IllegalArgumentException(
                    "a duration in cycles needs timing.clock")).value();
            default -> throw new IllegalArgumentException("not a duration: " + q.unit());
        };
    }
}
