package org.snnc.simulator.report;

import java.util.Locale;

/**
 * A small writer of SVG (and XHTML) markup. Every attribute value and every text node passes
 * through {@link #esc}, so strings from user files (layer names, paths) cannot open elements.
 * Elements are written in order; callers close what they open.
 */
final class Svg {

    private final StringBuilder b = new StringBuilder();

    /** Opens an {@code <svg>} of the given size in CSS pixels, with a label for screen readers. */
    static Svg of(double width, double height, String label) {
        Svg s = new Svg();
        s.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", width, "height", height,
                "viewBox", "0 0 " + num(width) + " " + num(height), "role", "img", "aria-label", label);
        return s;
    }

    /** Opens an element; {@code attrs} alternate names and values (numbers via {@link #num}). */
    Svg open(String tag, Object... attrs) {
        b.append('<').append(tag);
        attributes(attrs);
        b.append('>');
        return this;
    }

    Svg close(String tag) {
        b.append("</").append(tag).append('>');
        return this;
    }

    /** A childless element, written self-closed. */
    Svg empty(String tag, Object... attrs) {
        b.append('<').append(tag);
        attributes(attrs);
        b.append("/>");
        return this;
    }

    /** An element holding only text. */
    Svg element(String tag, String text, Object... attrs) {
        open(tag, attrs);
        b.append(esc(text));
        return close(tag);
    }

    Svg text(double x, double y, String text, Object... attrs) {
        Object[] all = new Object[attrs.length + 4];
        all[0] = "x";
        all[1] = x;
        all[2] = "y";
        all[3] = y;
        System.arraycopy(attrs, 0, all, 4, attrs.length);
        return element("text", text, all);
    }

    /** A tooltip: browsers show an element's first {@code <title>} child on hover. */
    Svg title(String text) {
        return element("title", text);
    }

    /** Markup that is already escaped (a nested builder's output). */
    Svg raw(String markup) {
        b.append(markup);
        return this;
    }

    /** Closes the {@code <svg>} opened by {@link #of} and returns the markup. */
    String finish() {
        close("svg");
        return b.toString();
    }

    /** The markup written so far, for builders of XHTML fragments that never opened an svg. */
    String markup() {
        return b.toString();
    }

    private void attributes(Object[] attrs) {
        if (attrs.length % 2 != 0) throw new IllegalArgumentException("attributes come in name/value pairs: " + attrs.length);
        for (int i = 0; i < attrs.length; i += 2) {
            Object v = attrs[i + 1];
            if (v == null) continue;
            String value = v instanceof Double d ? num(d) : v instanceof Float f ? num(f) : v.toString();
            b.append(' ').append(attrs[i]).append("=\"").append(esc(value)).append('"');
        }
    }

    /**
     * Escapes text for XML content and double- or single-quoted attributes. Characters XML
     * forbids (most C0 controls, lone surrogates) become U+FFFD, so a hostile name cannot make
     * the page unparseable either.
     */
    static String esc(String s) {
        StringBuilder o = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> o.append("&amp;");
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                        o.append('\uFFFD');
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        o.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        o.append('\uFFFD');
                    } else {
                        o.append(c);
                    }
                }
            }
        }
        return o.toString();
    }

    /** Coordinates with at most two decimals, no exponent and no trailing zeros: short and exact enough for pixels. */
    static String num(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("not a finite coordinate: " + v);
        double r = Math.round(v * 100) / 100.0;
        if (r == Math.rint(r) && Math.abs(r) < 1e15) return Long.toString((long) r);
        String s = String.format(Locale.ROOT, "%.2f", r);
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }
}
