package org.snnc.simulator.report;

/** Colours of the report: a perceptually even sequential scale for heat maps, distinct hues for categories. */
final class Palette {

    private Palette() {
    }

    /**
     * Stops of matplotlib's viridis at 0, 1/8, ..., 1: light where the count is high, readable
     * in grey print and by colour-blind readers, and its darkest end still differs from the
     * light grey of an empty core slot.
     */
    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

    /** Categorical colours for the energy kinds (Tableau 10 hues, distinct side by side). */
    static final String[] CATEGORY = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f",
        "#ff9da7", "#bab0ac"};

    static final String EMPTY = "#e6e6e6";

    /** The colour of {@code t} in [0, 1] (clamped) on the sequential scale, as {@code #rrggbb}. */
    static String sequential(double t) {
        double c = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        double pos = c * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(pos));
        double f = pos - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int r = mix(a >> 16 & 0xff, b >> 16 & 0xff, f);
        int g = mix(a >> 8 & 0xff, b >> 8 & 0xff, f);
        int bl = mix(a & 0xff, b & 0xff, f);
        return String.format(java.util.Locale.ROOT, "#%02x%02x%02x", r, g, bl);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
