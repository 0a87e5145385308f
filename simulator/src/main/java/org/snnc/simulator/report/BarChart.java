package org.snnc.simulator.report;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Vertical bars, one group per category (layer) and one bar per series in each group, on a
 * linear axis from 0, as the seed paper's Fig. 11 draws spike rates per layer. Each bar carries
 * {@code data-value} (the number it stands for) and a tooltip; its height is
 * {@code value / axis max x plot height}.
 */
final class BarChart {

    /** One series of bars; {@code values} are indexed like the categories. */
    record Series(String name, String color, double[] values) {
    }

    /**
     * A second axis on the right showing the left axis times {@code factor} (a per-step
     * probability beside a rate over the run, say).
     */
    record SecondAxis(double factor, String label, DoubleFunction<String> format) {
    }

    static final double PLOT_HEIGHT = 260;

    private final List<String> categories;
    private final List<Series> series;
    private final String xLabel;
    private final String yLabel;
    private final DoubleFunction<String> format;
    private SecondAxis second;
    private double width = 1100;

    BarChart(List<String> categories, List<Series> series, String xLabel, String yLabel, DoubleFunction<String> format) {
        for (Series s : series) {
            if (s.values().length != categories.size()) {
                throw new IllegalArgumentException("series '" + s.name() + "' has " + s.values().length + " values for "
                        + categories.size() + " categories");
            }
        }
        this.categories = List.copyOf(categories);
        this.series = List.copyOf(series);
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.format = format;
    }

    BarChart secondAxis(SecondAxis a) {
        this.second = a;
        return this;
    }

    BarChart width(double w) {
        this.width = w;
        return this;
    }

    String svg(String label) {
        double dataMax = 0;
        for (Series s : series) for (double v : s.values()) dataMax = Math.max(dataMax, v);
        Axis axis = Axis.covering(dataMax, 5);
        int n = Math.max(1, categories.size());
        double left = 78;
        double right = second != null ? 86 : 24;
        double top = 40;
        double plotW = width - left - right;
        double band = plotW / n;
        int longest = 0;
        for (String c : categories) longest = Math.max(longest, Math.min(24, c.length()));
        // Rotate the category labels when they would not fit under their band side by side.
        boolean rotate = longest * 7.0 > band - 4;
        double labelDepth = rotate ? 12 + longest * 5.2 : 20;
        double bottom = labelDepth + 34;
        double height = top + PLOT_HEIGHT + bottom;
        Svg g = Svg.of(width, height, label);
        double y0 = top + PLOT_HEIGHT;

        // Legend above the plot: one swatch per series, and what the right axis means.
        double lx = left;
        for (Series s : series) {
            g.empty("rect", "x", lx, "y", 10.0, "width", 12.0, "height", 12.0, "fill", s.color());
            g.text(lx + 17, 20.5, s.name(), "class", "legend");
            lx += 30 + s.name().length() * 6.8;
        }

        // Gridlines and left axis ticks.
        for (int i = 0; i <= axis.tickCount(); i++) {
            double v = axis.tick(i);
            double y = y0 - v / axis.max() * PLOT_HEIGHT;
            g.empty("line", "x1", left, "x2", left + plotW, "y1", y, "y2", y, "class", i == 0 ? "axis" : "grid");
            g.text(left - 6, y + 4, format.apply(v), "class", "tick", "text-anchor", "end");
        }
        if (second != null) {
            // The right axis gets round ticks of its own, placed where they fall on the left scale.
            double secondMax = axis.max() * second.factor();
            Axis right2 = Axis.covering(secondMax, 5);
            for (int i = 0; i <= right2.tickCount(); i++) {
                double v = right2.tick(i);
                if (v > secondMax * (1 + 1e-9)) break;
                double y = y0 - v / secondMax * PLOT_HEIGHT;
                g.empty("line", "x1", left + plotW, "x2", left + plotW + 4, "y1", y, "y2", y, "class", "axis");
                g.text(left + plotW + 7, y + 4, second.format().apply(v), "class", "tick");
            }
        }
        g.empty("line", "x1", left, "x2", left, "y1", top, "y2", y0, "class", "axis");
        g.text(16, top + PLOT_HEIGHT / 2, yLabel, "class", "axis-label", "text-anchor", "middle",
                "transform", "rotate(-90 16 " + Svg.num(top + PLOT_HEIGHT / 2) + ")");
        if (second != null) {
            double x = width - 14;
            g.empty("line", "x1", left + plotW, "x2", left + plotW, "y1", top, "y2", y0, "class", "axis");
            g.text(x, top + PLOT_HEIGHT / 2, second.label(), "class", "axis-label", "text-anchor", "middle",
                    "transform", "rotate(90 " + Svg.num(x) + " " + Svg.num(top + PLOT_HEIGHT / 2) + ")");
        }

        // Bars: the group fills 70% of its band, split evenly between the series.
        double groupW = Math.min(band * 0.7, 90.0 * series.size());
        double barW = groupW / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++) {
            double gx = left + c * band + (band - groupW) / 2;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[c];
                double h = v / axis.max() * PLOT_HEIGHT;
                g.open("rect", "class", "bar", "data-category", categories.get(c), "data-series", series.get(s).name(),
                        "data-value", Double.toString(v), "x", gx + s * barW, "y", y0 - h, "width", Math.max(1, barW - 1),
                        "height", h, "fill", series.get(s).color());
                g.title(categories.get(c) + " · " + series.get(s).name() + ": " + format.apply(v)
                        + (second != null ? " (" + second.format().apply(v * second.factor()) + ")" : ""));
                g.close("rect");
                // With one series the value sits on its bar, so a silent layer reads as 0, not as a missing bar.
                if (series.size() == 1 && barW >= 30) {
                    g.text(gx + s * barW + barW / 2, y0 - h - 5, format.apply(v), "class", "value", "text-anchor", "middle");
                }
            }
            double cx = left + c * band + band / 2;
            String text = Fmt.clip(categories.get(c), 24);
            if (rotate) {
                g.open("text", "x", cx, "y", y0 + 12, "class", "cat", "text-anchor", "end",
                        "transform", "rotate(-40 " + Svg.num(cx) + " " + Svg.num(y0 + 12) + ")");
            } else {
                g.open("text", "x", cx, "y", y0 + 16, "class", "cat", "text-anchor", "middle");
            }
            g.title(categories.get(c)).raw(Svg.esc(text)).close("text");
        }
        g.text(left + plotW / 2, height - 8, xLabel, "class", "axis-label", "text-anchor", "middle");
        return g.finish();
    }
}
