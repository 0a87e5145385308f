package org.snnc.compiler.diag;

/**
 * A region of a source file: 1-based line and column of its first character and its length in
 * characters on that line (a span never reaches past the end of its first line when rendered).
 */
public record Span(SourceFile source, int line, int column, int length) {

    /** Where diagnostics that concern no particular place point: the start of the file. */
    public static Span startOf(SourceFile source) {
        return new Span(source, 1, 1, 0);
    }

    /** The span from the start of this one to the end of {@code other} when both share a line. */
    public Span to(Span other) {
        if (other == null || other.source != source || other.line != line || other.column < column) {
            return this;
        }
        return new Span(source, line, column, Math.max(length, other.column + other.length - column));
    }

    public String location() {
        return source.displayName() + ":" + line + ":" + column;
    }
}
