package org.snnc.compiler.mapping;

/**
 * How one population is cut into cores: spatial tiles of {@code tileH x tileW} outputs, groups of
 * {@code tileC} output channels, and {@code join} shares of every neuron's inputs (1 when no
 * neuron needs more inputs than a core takes). Tiles at the right and bottom edges and the last
 * channel group may be smaller.
 *
 * <p>Each tile's cores are consecutive, numbered row tile, column tile, channel group, then
 * slice, the slice varying fastest. With joined compartments ({@code relay} false) slice
 * {@code j} holds share {@code j}, slice 0 being the soma. With relays the first {@code somas}
 * slices hold the neurons themselves, the tile's channels cut into balanced slices (a neuron
 * reads two axons per share, so fewer neurons fit a soma core than relays a relay core); they read
 * no share, and slice {@code somas + j} holds the relay neurons of share {@code j} for the whole
 * tile: every input reaches the neuron through a relay, so all of them arrive one tick late alike.
 */
public record Tiling(int tileC, int tileH, int tileW, int join, boolean relay, int somas, int channelGroups,
        int rowTiles, int colTiles) {

    /** A tiling without relays. */
    public Tiling(int tileC, int tileH, int tileW, int join, int channelGroups, int rowTiles, int colTiles) {
        this(tileC, tileH, tileW, join, false, 1, channelGroups, rowTiles, colTiles);
    }

    /** Cores per tile: the shares, plus the soma cores when the shares are relayed. */
    public int perTile() {
        return relay ? join + somas : join;
    }

    /** Channels {@code [c0 + start, c0 + end)} of a tile of {@code channels} channels held by soma {@code k}. */
    public int somaStart(int channels, int k) {
        return (int) sliceStart(channels, somas, k);
    }

    public long cores() {
        return (long) channelGroups * rowTiles * colTiles * perTile();
    }

    /** The share of the inputs slice {@code slice} holds, or -1 for a relayed soma, which holds none. */
    public int share(int slice) {
        return !relay ? slice : slice < somas ? -1 : slice - somas;
    }

    /** The slice holding share {@code share}. */
    public int sliceOf(int share) {
        return relay ? somas + share : share;
    }

    /** The soma slice holding channel {@code ch} of a tile whose channels start at {@code c0} and end at {@code c1}. */
    public int somaOf(int c0, int c1, int ch) {
        if (!relay || somas == 1) return 0;
        // Balanced slices: slice k starts at floor(len * k / somas); invert by search from the estimate.
        int len = c1 - c0;
        int rel = ch - c0;
        int k = (int) ((long) rel * somas / len);
        while (k + 1 < somas && somaStart(len, k + 1) <= rel) k++;
        while (k > 0 && somaStart(len, k) > rel) k--;
        return k;
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
