package org.snnc.compiler.target;

/**
 * One problem in a target description.
 *
 * @param file    the file as the user named it (a path, or {@code loihi.yaml} for a preset);
 *                empty when the problem is not in any file, such as an unknown preset name
 * @param line    1-based line, or 0 when the problem has no position (the file cannot be read)
 * @param column  1-based column, or 0 with {@code line}
 * @param keyPath dotted path of the key concerned ({@code core.max_input_axons}); empty for
 *                problems of the file as a whole
 * @param message what is wrong, naming the offending value
 * @param hint    what to do about it, or null when there is nothing useful to add
 */
public record TargetError(String file, int line, int column, String keyPath, String message,
                          String hint) {

    /**
     * GNU style, so editors can jump to the position:
     * {@code loihi.yaml:12:5: error: core.max_input_axons: expected ..., got -4}, then
     * {@code   help: ...} on its own line when there is a hint.
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        if (!file.isEmpty()) {
            out.append(file).append(':');
            if (line > 0) {
                out.append(line).append(':').append(column).append(':');
            }
            out.append(' ');
        }
        out.append("error: ");
        if (!keyPath.isEmpty()) {
            out.append(keyPath).append(": ");
        }
        out.append(message);
        if (hint != null) {
            out.append("\n  help: ").append(hint);
        }
        return out.toString();
    }
}
