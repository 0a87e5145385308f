package org.snnc.compiler.mapping;

/**
 * How one population is cut into cores: spatial tiles of {@code tileH x tileW} outputs, groups of
 * {@code tileC} output channels, and {@code join} compartments per neuron (1 when no neuron needs
 * more inputs than a core takes). Tiles at the right and bottom edges and the last channel group
 * may be smaller. Cores are numbered row tile, column tile, channel group, compartment slice,
 * the slice varying fastest.
 */
public record Tiling(int tileC, int tileH, int tileW, int join, int channelGroups, int rowTiles, int colTiles) {

    public long cores() {
        return (long) channelGroups * rowTiles * colTiles * join;
    }

    /** Start of tile {@code i} of length {@code tile} over an axis of length {@code len}. */
    public static int tileStart(int len, int tile, int i) {
        return Math.min(len, i * tile);
    }

    public static int tileEnd(int len, int tile, int i) {
        return Math.min(len, (i + 1) * tile);
    }

    /**
     * Start of slice {@code j} of {@code parts} balanced slices of {@code units} (sizes differ by at
     * most one, the largest is {@code ceil(units/parts)}); a slice is empty only when parts > units.
     */
    public static long sliceStart(long units, int parts, int j) {
        return units * j / parts;
    }
}
