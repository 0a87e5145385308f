package org.snnc.simulator.report;

import java.util.Locale;

/** Number formats of the report: exact counts with separators, energies and times in a readable unit. */
final class Fmt {

    private Fmt() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Three significant digits with a thousands separator when large: "12,345", "3.14", "0.00123". */
    static String sig(double v) {
        if (v == 0) return "0";
        if (!Double.isFinite(v)) return Double.isNaN(v) ? "n/a" : v > 0 ? "∞" : "-∞";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 1e-3) return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return String.format(Locale.ROOT, "%.2e", v);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    /** A unit for energies around {@code pj}: its name and how many picojoules it holds. */
    record Unit(String name, double scale) {
        String format(double value) {
            return sig(value / scale) + " " + name;
        }
    }

    static Unit energyUnit(double pj) {
        double a = Math.abs(pj);
        if (a >= 1e12) return new Unit("J", 1e12);
        if (a >= 1e9) return new Unit("mJ", 1e9);
        if (a >= 1e6) return new Unit("µJ", 1e6);
        if (a >= 1e3) return new Unit("nJ", 1e3);
        return new Unit("pJ", 1);
    }

    static String energy(double pj) {
        return energyUnit(pj).format(pj);
    }

    static String time(double ns) {
        double a = Math.abs(ns);
        if (a >= 1e9) return sig(ns / 1e9) + " s";
        if (a >= 1e6) return sig(ns / 1e6) + " ms";
        if (a >= 1e3) return sig(ns / 1e3) + " µs";
        return sig(ns) + " ns";
    }

    /** Shortens a label for an axis; the full text stays in the tooltip and the table. */
    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }
}
