package org.snnc.simulator.report;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.program.Program;

/**
 * Per-core counts on the board: one SVG per chip that holds cores, drawn as its mesh of tiles
 * (tile x to the right, tile y down) with each tile's cores in a small grid inside it, one cell
 * per placed core (class {@code core}) coloured on a linear scale from 0 to the largest count;
 * empty core slots are grey. A board overview of all chips (coloured by their sums) comes first
 * when the board has more than one chip, and one legend serves every chip, since they share
 * the scale.
 */
final class HeatMap {

    private static final double[] CELL_SIZES = {26, 20, 15, 11, 8, 6, 4};
    private static final double AREA_WIDTH = 1100;
    private static final double MAX_AREA_HEIGHT = 760;

    private final Program.Mesh mesh;
    private final Program.Cores cores;
    private final double[] value;
    private final String[] tooltip;
    private final String metric;
    private final String noun;
    private final int[] slot;

    /**
     * @param value   {@code [cores]} the count to colour by, none negative
     * @param tooltip {@code [cores]} text of each core's tooltip
     * @param metric  what the count is, with its unit ("synaptic ops per core")
     * @param noun    the counted thing, for sums over a chip ("synaptic ops")
     */
    HeatMap(Program.Mesh mesh, Program.Cores cores, double[] value, String[] tooltip, String metric, String noun) {
        if (value.length != cores.count() || tooltip.length != cores.count()) {
            throw new IllegalArgumentException(value.length + " values and " + tooltip.length + " tooltips for " + cores.count() + " cores");
        }
        this.mesh = mesh;
        this.cores = cores;
        this.value = value;
        this.tooltip = tooltip;
        this.metric = metric;
        this.noun = noun;
        this.slot = slots(mesh, cores);
    }

    /**
     * Each core's place among the cores of its tile, in core order: the program stores tiles, not
     * slots, and the validator guarantees at most {@code coresPerTile} cores per tile.
     */
    static int[] slots(Program.Mesh mesh, Program.Cores cores) {
        int tiles = mesh.chipsX() * mesh.chipsY() * mesh.meshWidth() * mesh.meshHeight();
        int[] used = new int[tiles];
        int[] slot = new int[cores.count()];
        for (int k = 0; k < cores.count(); k++) {
            int tile = (cores.chip()[k] * mesh.meshHeight() + cores.y()[k]) * mesh.meshWidth() + cores.x()[k];
            slot[k] = used[tile]++;
            if (slot[k] >= mesh.coresPerTile()) {
                throw new IllegalArgumentException("tile (" + cores.x()[k] + ", " + cores.y()[k] + ") of chip " + cores.chip()[k]
                        + " holds more than " + mesh.coresPerTile() + " cores");
            }
        }
        return slot;
    }

    double max() {
        double m = 0;
        for (double v : value) m = Math.max(m, v);
        return m;
    }

    /** The whole figure as XHTML: legend, board overview, then one SVG per chip in use. */
    String html(String id) {
        double max = max();
        int chips = mesh.chipsX() * mesh.chipsY();
        double[] chipSum = new double[chips];
        int[] chipCores = new int[chips];
        for (int k = 0; k < cores.count(); k++) {
            chipSum[cores.chip()[k]] += value[k];
            chipCores[cores.chip()[k]]++;
        }
        List<Integer> used = new ArrayList<>();
        for (int c = 0; c < chips; c++) if (chipCores[c] > 0) used.add(c);

        int sub = (int) Math.ceil(Math.sqrt(mesh.coresPerTile()));
        int subRows = (mesh.coresPerTile() + sub - 1) / sub;
        double tileGap = 3;
        double panelGap = 14;
        double labelH = 34;
        // The largest cells with which all chips in use fit the area: a few chips are drawn big,
        // a full board compact.
        double cell = CELL_SIZES[CELL_SIZES.length - 1];
        for (double s : CELL_SIZES) {
            double w = chipWidth(s, sub, tileGap);
            double h = chipHeight(s, subRows, tileGap) + labelH;
            int perRow = Math.max(1, (int) ((AREA_WIDTH + panelGap) / (w + panelGap)));
            int rowsNeeded = (used.size() + perRow - 1) / perRow;
            if (rowsNeeded * (h + panelGap) <= MAX_AREA_HEIGHT) {
                cell = s;
                break;
            }
        }

        StringBuilder out = new StringBuilder();
        out.append("<div class=\"heatmap\" id=\"").append(Svg.esc(id)).append("\">");
        out.append(legend(max));
        if (chips > 1) out.append(board(chipSum, chipCores, used.size()));
        out.append("<div class=\"chips\">");
        for (int c : used) out.append(chip(c, cell, sub, subRows, tileGap, labelH, max, chipCores[c], chipSum[c]));
        out.append("</div></div>");
        return out.toString();
    }

    private double chipWidth(double cell, int sub, double tileGap) {
        return mesh.meshWidth() * (sub * cell + tileGap) + tileGap + 34;
    }

    private double chipHeight(double cell, int subRows, double tileGap) {
        return mesh.meshHeight() * (subRows * cell + tileGap) + tileGap + 30;
    }

    private String chip(int c, double cell, int sub, int subRows, double tileGap, double labelH, double max, int nCores, double sum) {
        int cx = c % mesh.chipsX();
        int cy = c / mesh.chipsX();
        double w = chipWidth(cell, sub, tileGap);
        double h = chipHeight(cell, subRows, tileGap) + labelH;
        double ox = 30;
        double oy = labelH;
        Svg g = Svg.of(w, h, "chip " + c + ": " + metric);
        g.text(ox, 13, "chip " + c + " (" + cx + ", " + cy + ") · " + nCores + " cores", "class", "chip-label");
        g.text(ox, 27, Fmt.sig(sum) + " " + noun, "class", "tick");
        double gridH = mesh.meshHeight() * (subRows * cell + tileGap) + tileGap;
        g.text(9, oy + gridH / 2, "tile y", "class", "axis-label", "text-anchor", "middle",
                "transform", "rotate(-90 9 " + Svg.num(oy + gridH / 2) + ")");
        double tileW = sub * cell + tileGap;
        double tileH = subRows * cell + tileGap;
        // Tile coordinates along the edges, so a reader can name a tile.
        boolean everyTile = cell * sub >= 14;
        for (int x = 0; x < mesh.meshWidth(); x++) {
            if (everyTile || x % 2 == 0) {
                g.text(ox + x * tileW + tileW / 2 + tileGap / 2, oy + mesh.meshHeight() * tileH + tileGap + 12, Integer.toString(x),
                        "class", "tick", "text-anchor", "middle");
            }
        }
        for (int y = 0; y < mesh.meshHeight(); y++) {
            if (everyTile || y % 2 == 0) {
                g.text(ox - 5, oy + y * tileH + tileH / 2 + tileGap / 2 + 4, Integer.toString(y), "class", "tick", "text-anchor", "end");
            }
        }
        g.text(ox + mesh.meshWidth() * tileW + tileGap, oy + mesh.meshHeight() * tileH + tileGap + 25, "tile x", "class", "axis-label",
                "text-anchor", "end");
        g.empty("rect", "x", ox, "y", oy, "width", mesh.meshWidth() * tileW + tileGap, "height", mesh.meshHeight() * tileH + tileGap,
                "class", "chip-frame");
        boolean[] occupied = new boolean[mesh.meshWidth() * mesh.meshHeight() * mesh.coresPerTile()];
        for (int k = 0; k < cores.count(); k++) {
            if (cores.chip()[k] == c) occupied[(cores.y()[k] * mesh.meshWidth() + cores.x()[k]) * mesh.coresPerTile() + slot[k]] = true;
        }
        for (int y = 0; y < mesh.meshHeight(); y++) {
            for (int x = 0; x < mesh.meshWidth(); x++) {
                for (int s = 0; s < mesh.coresPerTile(); s++) {
                    if (occupied[(y * mesh.meshWidth() + x) * mesh.coresPerTile() + s]) continue;
                    g.empty("rect", "x", cellX(ox, x, s, tileW, tileGap, cell, sub), "y", cellY(oy, y, s, tileH, tileGap, cell, sub),
                            "width", cell - 1, "height", cell - 1, "class", "slot", "fill", Palette.EMPTY);
                }
            }
        }
        for (int k = 0; k < cores.count(); k++) {
            if (cores.chip()[k] != c) continue;
            int s = slot[k];
            g.open("rect", "class", "core", "data-core", k, "data-value", Double.toString(value[k]),
                    "x", cellX(ox, cores.x()[k], s, tileW, tileGap, cell, sub), "y", cellY(oy, cores.y()[k], s, tileH, tileGap, cell, sub),
                    "width", cell - 1, "height", cell - 1, "fill", Palette.sequential(max > 0 ? value[k] / max : 0));
            g.title(tooltip[k]);
            g.close("rect");
        }
        return g.finish();
    }

    private static double cellX(double ox, int x, int s, double tileW, double tileGap, double cell, int sub) {
        return ox + tileGap + x * tileW + (s % sub) * cell;
    }

    private static double cellY(double oy, int y, int s, double tileH, double tileGap, double cell, int sub) {
        return oy + tileGap + y * tileH + (s / sub) * cell;
    }

    /** The colour scale from 0 to the largest count, with five ticks and the metric as its label. */
    private String legend(double max) {
        double w = 420;
        Svg g = Svg.of(w, 52, "colour scale of " + metric);
        int steps = 64;
        double barW = 300;
        double x0 = 10;
        for (int i = 0; i < steps; i++) {
            g.empty("rect", "x", x0 + i * barW / steps, "y", 18.0, "width", barW / steps + 0.5, "height", 12.0,
                    "fill", Palette.sequential((i + 0.5) / steps));
        }
        g.text(x0, 12, metric + " (linear scale)", "class", "legend");
        for (int i = 0; i <= 4; i++) {
            double x = x0 + i * barW / 4;
            g.empty("line", "x1", x, "x2", x, "y1", 30.0, "y2", 34.0, "class", "axis");
            g.text(x, 46, Fmt.sig(max * i / 4), "class", "tick", "text-anchor", "middle");
        }
        g.empty("rect", "x", x0 + barW + 20, "y", 18.0, "width", 12.0, "height", 12.0, "fill", Palette.EMPTY, "class", "slot");
        g.text(x0 + barW + 37, 28.5, "empty slot", "class", "legend");
        return g.finish();
    }

    /** The board as chips: used ones coloured by their share of the largest chip sum, unused ones grey. */
    private String board(double[] chipSum, int[] chipCores, int used) {
        double s = Math.max(12, Math.min(30, 360.0 / mesh.chipsX()));
        double ox = 30;
        double oy = 22;
        double w = ox + mesh.chipsX() * s + 10;
        double h = oy + mesh.chipsY() * s + 22;
        double chipMax = 0;
        for (double v : chipSum) chipMax = Math.max(chipMax, v);
        Svg g = Svg.of(Math.max(w, 360), h, "board of " + chipSum.length + " chips");
        g.text(ox, 14, "board: " + used + " of " + chipSum.length + " chips in use (colour: chip total)", "class", "chip-label");
        for (int c = 0; c < chipSum.length; c++) {
            int x = c % mesh.chipsX();
            int y = c / mesh.chipsX();
            String fill = chipCores[c] == 0 ? Palette.EMPTY : Palette.sequential(chipMax > 0 ? chipSum[c] / chipMax : 0);
            g.open("rect", "class", "chip", "data-chip", c, "x", ox + x * s, "y", oy + y * s, "width", s - 2, "height", s - 2, "fill", fill);
            g.title("chip " + c + " (" + x + ", " + y + "): " + (chipCores[c] == 0 ? "unused"
                    : chipCores[c] + " cores, " + metric + " " + Fmt.sig(chipSum[c])));
            g.close("rect");
        }
        g.text(ox + mesh.chipsX() * s / 2, h - 4, "chip x", "class", "axis-label", "text-anchor", "middle");
        g.text(12, oy + mesh.chipsY() * s / 2, "chip y", "class", "axis-label", "text-anchor", "middle",
                "transform", "rotate(-90 12 " + Svg.num(oy + mesh.chipsY() * s / 2) + ")");
        return g.finish();
    }
}
