package org.snnc.compiler.diag;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The text of one source file, with a line index so that diagnostics can show the offending line.
 * Identity-based equality: two files are the same file only if they are the same object.
 */
public final class SourceFile {

    private final String displayName;
    private final Path path;
    private final String text;
    private int[] lineStarts;

    /**
     * @param displayName the name diagnostics print (the path as the user gave it)
     * @param path        the resolved path, or null for sources that did not come from a file
     * @param text        the whole text
     */
    public SourceFile(String displayName, Path path, String text) {
        this.displayName = Objects.requireNonNull(displayName);
        this.path = path;
        this.text = Objects.requireNonNull(text);
    }

    public String displayName() {
        return displayName;
    }

    public Path path() {
        return path;
    }

    public String text() {
        return text;
    }

    private int[] lineStarts() {
        if (lineStarts == null) {
            int[] starts = new int[16];
            int n = 0;
            starts[n++] = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
                    starts[n++] = i + 1;
                }
            }
            lineStarts = Arrays.copyOf(starts, n);
        }
        return lineStarts;
    }

    /** The text of 1-based line {@code line} without its line terminator, or "" when out of range. */
    public String line(int line) {
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) return "";
        int from = starts[line - 1];
        int to = line < starts.length ? starts[line] - 1 : text.length();
        if (to > from && text.charAt(to - 1) == '\r') to--;
        return text.substring(from, Math.max(from, to));
    }

    @Override
    public String toString() {
        return displayName;
    }
}
