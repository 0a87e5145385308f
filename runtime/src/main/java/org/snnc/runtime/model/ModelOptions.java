package org.snnc.runtime.model;

/**
 * How a network's parameters start.
 *
 * @param seed seed of the one {@link java.util.SplittableRandom} the initial weights come from
 * @param init the weight distribution
 */
public record ModelOptions(long seed, Init init) {

    public static final long DEFAULT_SEED = 1;

    public ModelOptions {
        if (init == null) {
            throw new IllegalArgumentException("init is required");
        }
    }

    public static ModelOptions defaults() {
        return new ModelOptions(DEFAULT_SEED, Init.XAVIER);
    }
}
