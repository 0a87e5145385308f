package org.snnc.compiler.target;

/**
 * A hardware target: what the compiler must fit a network into and what the simulator charges
 * for running it. Load one with {@link TargetLoader}; the format is in docs/targets.md.
 *
 * @param name        short identifier, as in {@code --target loihi}
 * @param description one line for humans
 */
public record Target(String name, String description, ChipSpec chip, BoardSpec board,
                     CoreLimits core, NumberFormat numbers, NeuronSemantics neuron, Timing timing,
                     EnergyModel energy) {

    /** The format version this code reads and writes in {@code schema_version}. */
    public static final int SCHEMA_VERSION = 1;

    /** Cores on the whole board. */
    public long totalCores() {
        return (long) chip.cores().value() * board.chips();
    }

    /** Neurons the whole board holds when every core is full. */
    public long totalNeurons() {
        return totalCores() * core.maxNeurons().value();
    }
}
