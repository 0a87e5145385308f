package org.snnc.simulator.report;

import java.util.List;

/**
 * Horizontal stacked bars: one row per item (the run, or a layer), one coloured segment per
 * kind, on one linear axis shared by all rows so that rows compare by length. Values are in
 * picojoules and drawn in the unit that suits the largest row.
 */
final class StackedBars {

    private final List<String> rows;
    private final List<String> kinds;
    private final double[][] values;
    private final String axisLabel;

    /**
     * @param values {@code [rows][kinds]}, picojoules, none negative
     * @param axisLabel what the length means; the unit is appended
     */
    StackedBars(List<String> rows, List<String> kinds, double[][] values, String axisLabel) {
        if (values.length != rows.size()) throw new IllegalArgumentException(values.length + " value rows for " + rows.size() + " rows");
        for (double[] r : values) {
            if (r.length != kinds.size()) throw new IllegalArgumentException(r.length + " values for " + kinds.size() + " kinds");
        }
        this.rows = List.copyOf(rows);
        this.kinds = List.copyOf(kinds);
        this.values = values;
        this.axisLabel = axisLabel;
    }

    static String color(int kind) {
        return Palette.CATEGORY[kind % Palette.CATEGORY.length];
    }

    String svg(String label, double width) {
        double max = 0;
        double[] totals = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (double v : values[r]) totals[r] += v;
            max = Math.max(max, totals[r]);
        }
        Fmt.Unit unit = Fmt.energyUnit(max);
        Axis axis = Axis.covering(max / unit.scale(), 5);
        int longest = 4;
        for (String r : rows) longest = Math.max(longest, Math.min(24, r.length()));
        double left = 16 + longest * 7.2;
        double right = 90;
        double plotW = width - left - right;
        double rowH = rows.size() == 1 ? 34 : 22;
        double legendRows = Math.ceil(kinds.size() / 4.0);
        double top = 12 + legendRows * 20;
        double plotH = rows.size() * rowH;
        double height = top + plotH + 48;
        Svg g = Svg.of(width, height, label);

        for (int k = 0; k < kinds.size(); k++) {
            double lx = left + (k % 4) * Math.max(160, plotW / 4);
            double ly = 8 + (k / 4) * 20;
            g.empty("rect", "x", lx, "y", ly, "width", 12.0, "height", 12.0, "fill", color(k));
            g.text(lx + 17, ly + 10.5, kinds.get(k), "class", "legend");
        }
        double y0 = top + plotH;
        for (int i = 0; i <= axis.tickCount(); i++) {
            double x = left + axis.tick(i) / axis.max() * plotW;
            g.empty("line", "x1", x, "x2", x, "y1", top, "y2", y0, "class", i == 0 ? "axis" : "grid");
            g.text(x, y0 + 16, Fmt.sig(axis.tick(i)), "class", "tick", "text-anchor", "middle");
        }
        g.text(left + plotW / 2, y0 + 38, axisLabel + " (" + unit.name() + ")", "class", "axis-label", "text-anchor", "middle");
        for (int r = 0; r < rows.size(); r++) {
            double y = top + r * rowH + 3;
            double h = rowH - 6;
            g.open("text", "x", left - 8, "y", y + h / 2 + 4, "class", "cat", "text-anchor", "end");
            g.title(rows.get(r)).raw(Svg.esc(Fmt.clip(rows.get(r), 24))).close("text");
            double x = left;
            for (int k = 0; k < kinds.size(); k++) {
                double v = values[r][k];
                double w = v / unit.scale() / axis.max() * plotW;
                if (v > 0) {
                    g.open("rect", "class", "segment", "data-row", rows.get(r), "data-kind", kinds.get(k),
                            "data-value", Double.toString(v), "x", x, "y", y, "width", w, "height", h, "fill", color(k));
                    g.title(rows.get(r) + " · " + kinds.get(k) + ": " + Fmt.energy(v) + " ("
                            + Fmt.percent(totals[r] > 0 ? v / totals[r] : 0) + " of " + Fmt.energy(totals[r]) + ")");
                    g.close("rect");
                }
                x += w;
            }
            g.text(x + 6, y + h / 2 + 4, Fmt.energy(totals[r]), "class", "tick");
        }
        return g.finish();
    }
}
