package org.snnc.compiler.diag;

/**
 * Renders a diagnostic GNU style, then the source line with a caret under the span, then help:
 *
 * <pre>
 * deeplab.snn:12:14: error[SNN102]: unknown layer 'conv9'
 *    12 |   x = y -> conv9(3)
 *       |            ^^^^^
 *   help: did you mean 'conv'?
 * </pre>
 */
public final class Renderer {

    /** Lines longer than this are shown as a window around the span; a 10 MB line stays readable. */
    private static final int MAX_SHOWN = 120;

    private Renderer() {
    }

    public static String render(Diagnostic d) {
        StringBuilder out = new StringBuilder();
        Span s = d.span();
        out.append(s.location()).append(": ").append(d.severity().label())
                .append('[').append(d.code().id()).append("]: ").append(d.message()).append('\n');
        String line = s.source().line(s.line());
        if (!line.isEmpty() || s.length() > 0) {
            int col = Math.max(0, s.column() - 1);
            int from = 0;
            String prefix = "";
            if (line.length() > MAX_SHOWN) {
                from = Math.max(0, Math.min(col - MAX_SHOWN / 3, line.length() - MAX_SHOWN));
                boolean clippedEnd = from + MAX_SHOWN < line.length();
                line = line.substring(from, Math.min(line.length(), from + MAX_SHOWN));
                if (from > 0) {
                    prefix = "...";
                }
                if (clippedEnd) line = line + "...";
            }
            String gutter = String.valueOf(s.line());
            String pad = " ".repeat(gutter.length());
            out.append(' ').append(gutter).append(" | ").append(prefix).append(printable(line)).append('\n');
            int caretAt = Math.min(col - from, line.length());
            int width = Math.max(1, Math.min(s.length(), line.length() - caretAt));
            out.append(' ').append(pad).append(" | ").append(" ".repeat(Math.max(0, caretAt + prefix.length())))
                    .append("^".repeat(width)).append('\n');
        }
        for (String h : d.help()) {
            out.append("  help: ").append(h).append('\n');
        }
        return out.toString();
    }

    /** Tabs become one space (so the caret lines up with 1-based columns); control bytes become '?'. */
    private static String printable(String line) {
        StringBuilder b = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            b.append(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f || c == '\uFFFD') ? '?' : c);
        }
        return b.toString();
    }
}
