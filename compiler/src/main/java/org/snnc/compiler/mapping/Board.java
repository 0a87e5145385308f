package org.snnc.compiler.mapping;

import org.snnc.compiler.target.Target;

/**
 * The mesh cores are placed on: {@code chipsX x chipsY} chips, each {@code meshW x meshH} tiles
 * of {@code coresPerTile} cores behind one router. Tiles have global coordinates
 * {@code X = chipX * meshW + x}, {@code Y = chipY * meshH + y}; a slot is one core position,
 * {@code ((Y * width) + X) * coresPerTile + k}.
 *
 * @param extended true when the target's board was too small and chips were added (rows of chips)
 */
public record Board(int chipsX, int chipsY, int meshW, int meshH, int coresPerTile, boolean extended) {

    /** The target's board, grown by rows of chips when it holds fewer than {@code cores} cores. */
    public static Board forCores(Target t, long cores) {
        int cx = t.board().chipsX().value();
        int cy = t.board().chipsY().value();
        int perChip = t.chip().cores().value();
        long chipsNeeded = (cores + perChip - 1) / perChip;
        boolean extended = chipsNeeded > (long) cx * cy;
        if (extended) cy = (int) ((chipsNeeded + cx - 1) / cx);
        return new Board(cx, cy, t.chip().meshWidth().value(), t.chip().meshHeight().value(),
                t.chip().coresPerTile().value(), extended);
    }

    public int width() {
        return chipsX * meshW;
    }

    public int height() {
        return chipsY * meshH;
    }

    public int slots() {
        return width() * height() * coresPerTile;
    }

    public int tileX(int slot) {
        return (slot / coresPerTile) % width();
    }

    public int tileY(int slot) {
        return (slot / coresPerTile) / width();
    }

    public int chip(int slot) {
        return (tileY(slot) / meshH) * chipsX + tileX(slot) / meshW;
    }

    public int slot(int x, int y, int k) {
        return ((y * width()) + x) * coresPerTile + k;
    }

    /** Router-to-router links a spike crosses between two slots (0 within one tile). */
    public int hops(int a, int b) {
        return Math.abs(tileX(a) - tileX(b)) + Math.abs(tileY(a) - tileY(b));
    }

    /** Chip-to-chip links crossed by the X-then-Y route between two slots. */
    public int chipCrossings(int a, int b) {
        return Math.abs(tileX(a) / meshW - tileX(b) / meshW) + Math.abs(tileY(a) / meshH - tileY(b) / meshH);
    }
}
