package org.snnc.simulator.report;

/**
 * A linear axis from 0 to a "nice" maximum with round ticks (1, 2, 2.5 or 5 x 10^k), so that
 * gridlines fall on numbers a reader can use.
 *
 * @param max  the axis end, at least the largest value
 * @param step distance between ticks
 */
record Axis(double max, double step) {

    /** An axis covering {@code [0, dataMax]} with about {@code ticks} intervals; a 0..1 axis when there is no data. */
    static Axis covering(double dataMax, int ticks) {
        if (!(dataMax > 0) || !Double.isFinite(dataMax)) return new Axis(1, 0.25);
        double raw = dataMax / ticks;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag * 10;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw * (1 - 1e-9)) {
                step = m * mag;
                break;
            }
        }
        double max = Math.ceil(dataMax / step - 1e-9) * step;
        return new Axis(max, step);
    }

    int tickCount() {
        return (int) Math.round(max / step);
    }

    double tick(int i) {
        return i * step;
    }
}
