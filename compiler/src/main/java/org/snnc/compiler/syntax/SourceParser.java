package org.snnc.compiler.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.snnc.compiler.diag.Code;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.SourceFile;
import org.snnc.compiler.diag.Span;
import org.snnc.grammar.SnnLexer;
import org.snnc.grammar.SnnParser;

/**
 * Text to {@link Ast.File}: lexing, a nesting-depth guard, parsing with error recovery so that
 * every syntax error of the file is reported, and the AST visitor. Never throws on bad input.
 */
public final class SourceParser {

    /** Deeper bracket nesting than any real network needs; beyond it we stop before recursing. */
    public static final int MAX_NESTING = 64;

    private SourceParser() {
    }

    /** The parsed file, or empty when the text could not be parsed at all (errors are reported). */
    public static Optional<Ast.File> parse(SourceFile source, Diagnostics diagnostics) {
        int nul = source.text().indexOf('\0');
        if (nul >= 0) {
            diagnostics.report(Code.NOT_TEXT, spanAtOffset(source, nul),
                    "this is not a text file (it contains a NUL byte)",
                    "give the path of a .snn source file");
            return Optional.empty();
        }
        SnnLexer lexer = new SnnLexer(CharStreams.fromString(source.text(), source.displayName()));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (!reportLexicalErrors(source, tokens.getTokens(), diagnostics)) {
            return Optional.empty();
        }
        try {
            SnnParser.FileContext tree = parseTree(source, tokens, diagnostics);
            if (diagnostics.hasErrors()) {
                // A tree repaired by error recovery holds guesses; building on it would only add noise.
                return Optional.empty();
            }
            return Optional.of(new AstBuilder(source).file(tree));
        } catch (StackOverflowError e) {
            diagnostics.report(Code.TOO_DEEP, Span.startOf(source),
                    "this file nests expressions too deeply to be read",
                    "split long chains into named values");
            return Optional.empty();
        }
    }

    /** Reports bad characters, unterminated strings/comments and over-deep nesting; false stops. */
    private static boolean reportLexicalErrors(SourceFile source, List<Token> tokens, Diagnostics diagnostics) {
        int depth = 0;
        for (Token t : tokens) {
            switch (t.getType()) {
                case SnnLexer.BAD_CHAR -> diagnostics.report(Code.BAD_CHARACTER, span(source, t),
                        "unexpected character " + describeChar(t.getText()));
                case SnnLexer.UNTERMINATED_STRING -> diagnostics.report(Code.UNTERMINATED, span(source, t),
                        "unterminated string", "close it with '\"' on the same line");
                case SnnLexer.UNTERMINATED_COMMENT -> diagnostics.report(Code.UNTERMINATED,
                        new Span(source, t.getLine(), t.getCharPositionInLine() + 1, 2),
                        "unterminated comment", "close it with '*/'");
                default -> {
                    String text = t.getText();
                    if ("(".equals(text) || "[".equals(text) || "{".equals(text)) {
                        if (++depth > MAX_NESTING) {
                            diagnostics.report(Code.TOO_DEEP, span(source, t),
                                    "brackets nested more than " + MAX_NESTING + " deep",
                                    "name intermediate values instead of nesting");
                            return false;
                        }
                    } else if (")".equals(text) || "]".equals(text) || "}".equals(text)) {
                        depth = Math.max(0, depth - 1);
                    }
                }
            }
        }
        return !diagnostics.hasErrors();
    }

    /**
     * Two-stage parsing (the ANTLR authors' recipe): fast SLL prediction without recovery first,
     * and only on failure full LL with recovery, which gives the correct set of errors.
     */
    private static SnnParser.FileContext parseTree(SourceFile source, CommonTokenStream tokens, Diagnostics diagnostics) {
        SnnParser parser = new SnnParser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            return parser.file();
        } catch (ParseCancellationException e) {
            tokens.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.addErrorListener(new Listener(source, diagnostics));
            return parser.file();
        }
    }

    private static final class Listener extends BaseErrorListener {
        private final SourceFile source;
        private final Diagnostics diagnostics;
        private int reported;
        /** Lines that already have a syntax error: later ones on the same line are recovery echoes. */
        private final java.util.Set<Integer> lines = new java.util.HashSet<>();

        Listener(SourceFile source, Diagnostics diagnostics) {
            this.source = source;
            this.diagnostics = diagnostics;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                RecognitionException e) {
            // Recovery in a binary-like file can produce one error per token; a hundred say enough.
            if (++reported > 100) return;
            Token token = (Token) offending;
            Parser parser = (Parser) recognizer;
            IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
            String found = token == null || token.getType() == Token.EOF ? "end of file" : "'" + clip(token.getText()) + "'";
            Token previous = parser.getInputStream().LT(-1);
            Span where;
            String message;
            if (token != null && previous != null && token.getLine() > previous.getLine() && previous.getType() != Token.EOF) {
                // Something is missing at the end of a line: point there, not at the next line's start.
                String prevText = previous.getText();
                where = new Span(source, previous.getLine(), previous.getCharPositionInLine() + 1 + prevText.length(), 1);
                message = "expected " + describe(expected) + " after '" + clip(prevText) + "'";
            } else {
                where = token == null ? new Span(source, line, col + 1, 1) : span(source, token);
                message = msg.startsWith("missing ")
                        ? "expected " + describe(expected) + " before " + found
                        : "unexpected " + found + "; expected " + describe(expected);
            }
            if (!lines.add(where.line())) return;
            diagnostics.report(Code.SYNTAX, where, message);
        }
    }

    /** "')' or ','", "a name", "an expression" — the expected set in the user's words. */
    static String describe(IntervalSet expected) {
        List<String> names = new ArrayList<>();
        boolean expression = expected.contains(SnnLexer.NUMBER) && expected.contains(SnnLexer.IDENT);
        if (expression) names.add("an expression");
        for (int type : expected.toArray()) {
            if (expression && (type == SnnLexer.NUMBER || type == SnnLexer.STRING || type == SnnLexer.IDENT
                    || isExpressionStart(type))) {
                continue;
            }
            names.add(tokenName(type));
        }
        if (names.isEmpty()) return "something else";
        if (names.size() > 8) {
            names = new ArrayList<>(names.subList(0, 8));
            names.add("...");
        }
        if (names.size() == 1) return names.get(0);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static boolean isExpressionStart(int type) {
        String literal = SnnLexer.VOCABULARY.getLiteralName(type);
        return literal != null && List.of("'('", "'['", "'-'", "'+'", "'true'", "'false'", "'in'").contains(literal);
    }

    private static String tokenName(int type) {
        if (type == Token.EOF) return "end of file";
        if (type == SnnLexer.IDENT) return "a name";
        if (type == SnnLexer.NUMBER) return "a number";
        if (type == SnnLexer.STRING) return "a string";
        String literal = SnnLexer.VOCABULARY.getLiteralName(type);
        return literal != null ? literal : SnnLexer.VOCABULARY.getDisplayName(type);
    }

    static Span span(SourceFile source, Token t) {
        String text = t.getType() == Token.EOF ? "" : t.getText();
        int newline = text.indexOf('\n');
        int length = newline >= 0 ? newline : text.length();
        return new Span(source, t.getLine(), t.getCharPositionInLine() + 1, Math.max(1, length));
    }

    private static Span spanAtOffset(SourceFile source, int offset) {
        int line = 1;
        int lineStart = 0;
        String text = source.text();
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Span(source, line, offset - lineStart + 1, 1);
    }

    private static String describeChar(String text) {
        int c = text.codePointAt(0);
        if (c < 0x20 || c == 0x7f) return String.format("U+%04X", c);
        return "'" + text + "'";
    }

    private static String clip(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() > 40 ? oneLine.substring(0, 37) + "..." : oneLine;
    }
}
