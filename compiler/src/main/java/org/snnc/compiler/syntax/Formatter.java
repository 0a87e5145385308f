package org.snnc.compiler.syntax;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.snnc.compiler.diag.SourceFile;
import org.snnc.compiler.diag.Span;
import org.snnc.grammar.SnnLexer;

/**
 * The canonical layout of a .snn file, as {@code snnc fmt} prints it. The code comes from the AST;
 * comments and blank lines, which the AST does not keep, come from lexing {@code file.source()}
 * again and are placed by the positions of the tokens that start each printed line.
 *
 * <h2>Code</h2>
 * <ul>
 *   <li>Two spaces of indentation per body (of a network or a body-form block); one statement
 *       per line; the opening brace ends its header line and the closing brace stands on a line
 *       of its own, also for an empty body.</li>
 *   <li>Parameters {@code (name: type = default)}, an empty list dropped ({@code block b() = ...}
 *       prints as {@code block b = ...}); arguments {@code name: value}; lists and shapes
 *       {@code [a, b]}; trailing commas dropped.</li>
 *   <li>Binary operators with one space either side, unary signs attached ({@code -x}). Parentheses
 *       only where precedence needs them, with {@code ->} loosest, then {@code + -}, then
 *       {@code * / %}, then unary signs; operators are left-associative, so a right operand of the
 *       same level keeps its parentheses ({@code a - (b - c)}). A pipeline used as an operand is
 *       always parenthesised ({@code (x -> f) + y}).</li>
 *   <li>Numbers exactly as written; strings re-escaped ({@code \"}, {@code \\}, {@code \n},
 *       {@code \t}); {@code -> lif} stays bare and {@code -> lif()} keeps its parentheses.</li>
 * </ul>
 *
 * <h2>Pipelines</h2>
 * Only a pipeline that is a statement's whole value ({@code x = ...}, {@code output o = ...},
 * {@code block b = ...}, {@code return ...}) is ever broken; pipelines nested in arguments or
 * operands stay inline. The user's grouping of steps is kept: a step whose {@code ->} began a
 * source line begins a continuation line, indented two spaces past its
 * statement, and steps written on one line stay on one line, the first group beside the head.
 * A group that would make its line wider than {@value #WIDTH} columns is split instead: the head
 * alone on the statement's line, then each step of the group on a continuation line of its own
 * (a step too wide even then stays whole). So a pipeline written on one line stays on one line
 * when the statement fits, and formatting twice changes nothing. Only code counts towards the
 * width: a trailing comment may run past it.
 *
 * <h2>Comments and blank lines</h2>
 * <ul>
 *   <li>Every comment is printed once, in its original order. A comment that follows code on the
 *       same source line stays at the end of that printed line (with any comments chained after
 *       it on that line); the others go on their own lines above the line whose first token
 *       follows them, indented like it. Comments before a closing brace stay inside the body,
 *       at its indentation; comments after the last token stay at the end of the file.</li>
 *   <li>A comment inside a construct that is printed on one line (say, within the arguments of a
 *       call written over several lines) moves above that line: a {@code //} comment cannot stay
 *       in the middle of code.</li>
 *   <li>Comments sharing a source line stay on one line, joined by one space. Comment text is
 *       kept except for layout: trailing blanks are dropped and CRLF becomes LF, also inside
 *       block comments, whose continuation lines are otherwise left as written.</li>
 *   <li>Trailing comments on consecutive statement or pipeline lines are aligned one space past
 *       the longest code among them.</li>
 *   <li>One or more blank lines between statements, items or own-line comments become one blank
 *       line; none is kept at the start of the file or of a body, before a closing brace, or
 *       inside a pipeline.</li>
 * </ul>
 *
 * <p>{@link #format} is total on every tree {@link SourceParser} produces. Given a tree whose
 * positions do not match its source text (one built by hand), it still prints the code; each
 * comment goes where the positions that do match allow, at worst to the end of the file.
 */
public final class Formatter {

    /** Code wider than this (in characters) is broken where the language allows it: pipelines. */
    public static final int WIDTH = 100;
    private static final int INDENT = 2;
    private static final int CONTINUATION = 2;

    // Precedence levels: a subexpression printed where a level above its own is required gets
    // parentheses. ANY is where every expression is welcome (arguments, list elements, statements).
    private static final int ANY = 0;
    private static final int PIPE = 1;
    private static final int SUM = 2;
    private static final int PRODUCT = 3;
    private static final int SIGN = 4;
    private static final int ATOM = 5;

    private Formatter() {
    }

    /** The canonical text of {@code file}: lines joined by LF, ending in one LF ("" for an empty file). */
    public static String format(Ast.File file) {
        Tokens tokens = Tokens.lex(file.source());
        Layout layout = new Layout(tokens);
        for (Ast.Item item : file.items()) {
            layout.declaration(item, 0);
        }
        return new Weaver(tokens, layout.lines).weave();
    }

    // ---- expressions -------------------------------------------------------------------------

    private static int precedence(Ast.Expr e) {
        if (e instanceof Ast.Pipe) return PIPE;
        if (e instanceof Ast.Binary b) return level(b.op());
        if (e instanceof Ast.Unary) return SIGN;
        return ATOM;
    }

    private static int level(String op) {
        return "+".equals(op) || "-".equals(op) ? SUM : PRODUCT;
    }

    /**
     * Left-deep chains ({@code a + b + c ...}, long pipelines) and runs of signs are walked in
     * loops: only parentheses, which the parser bounds, make this recurse.
     */
    private static void expr(Ast.Expr e, int required, StringBuilder b) {
        if (precedence(e) < required) {
            b.append('(');
            expr(e, ANY, b);
            b.append(')');
        } else if (e instanceof Ast.Binary top) {
            int level = level(top.op());
            Deque<Ast.Binary> spine = new ArrayDeque<>();
            Ast.Expr left = top;
            while (left instanceof Ast.Binary bin && level(bin.op()) == level) {
                spine.push(bin);
                left = bin.left();
            }
            expr(left, level, b);
            while (!spine.isEmpty()) {
                Ast.Binary bin = spine.pop();
                b.append(' ').append(bin.op()).append(' ');
                expr(bin.right(), level + 1, b);
            }
        } else if (e instanceof Ast.Unary u) {
            Ast.Expr operand = u;
            while (operand instanceof Ast.Unary v) {
                b.append(v.op());
                operand = v.operand();
            }
            expr(operand, SIGN, b);
        } else if (e instanceof Ast.Pipe p) {
            List<Ast.Pipe> steps = spine(p);
            expr(steps.get(0).source(), PIPE, b);
            for (Ast.Pipe step : steps) {
                b.append(" -> ");
                call(step.layer(), b);
            }
        } else {
            atom(e, b);
        }
    }

    private static void atom(Ast.Expr e, StringBuilder b) {
        if (e instanceof Ast.Num n) {
            b.append(n.text());
        } else if (e instanceof Ast.Str s) {
            b.append(quote(s.value()));
        } else if (e instanceof Ast.Bool bool) {
            b.append(bool.value());
        } else if (e instanceof Ast.BlockInput) {
            b.append("in");
        } else if (e instanceof Ast.Name n) {
            b.append(n.name());
        } else if (e instanceof Ast.CallExpr c) {
            call(c.call(), b);
        } else if (e instanceof Ast.ListExpr l) {
            list(l.elements(), b);
        }
    }

    /** The steps of a pipeline, first applied first; the head is {@code steps.get(0).source()}. */
    private static List<Ast.Pipe> spine(Ast.Pipe last) {
        List<Ast.Pipe> steps = new ArrayList<>();
        Ast.Expr cur = last;
        while (cur instanceof Ast.Pipe p) {
            steps.add(p);
            cur = p.source();
        }
        Collections.reverse(steps);
        return steps;
    }

    private static void call(Ast.Call call, StringBuilder b) {
        b.append(call.name());
        if (!call.parens() && call.args().isEmpty()) return;
        b.append('(');
        for (int i = 0; i < call.args().size(); i++) {
            Ast.Arg arg = call.args().get(i);
            if (i > 0) b.append(", ");
            if (arg.name() != null) b.append(arg.name()).append(": ");
            expr(arg.value(), ANY, b);
        }
        b.append(')');
    }

    private static void list(List<Ast.Expr> elements, StringBuilder b) {
        b.append('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) b.append(", ");
            expr(elements.get(i), ANY, b);
        }
        b.append(']');
    }

    private static String params(List<Ast.Param> params) {
        if (params.isEmpty()) return "";
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < params.size(); i++) {
            Ast.Param p = params.get(i);
            if (i > 0) b.append(", ");
            b.append(p.name()).append(": ").append(p.type());
            if (p.defaultValue() != null) {
                b.append(" = ");
                expr(p.defaultValue(), ANY, b);
            }
        }
        return b.append(')').toString();
    }

    /** A string literal whose value is {@code value}; the grammar has escapes for these four only. */
    private static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static int width(CharSequence text) {
        return Character.codePointCount(text, 0, text.length());
    }

    // ---- lines of code -----------------------------------------------------------------------

    private enum Kind {
        /** Starts a statement or item. */
        STATEMENT,
        /** Starts a statement and opens a body: the header line ending in an opening brace. */
        OPEN,
        /** Continues a pipeline. */
        CONTINUATION,
        /** The closing brace of a body. */
        CLOSE
    }

    /**
     * One printed line of code. {@code anchor} is the index (among the source's code tokens) of the
     * token the line starts with, or -1 when it could not be found.
     */
    private record Line(int indent, String code, Kind kind, int anchor) {
    }

    /** The lines of code of a file, in order, each with its anchor in the source tokens. */
    private static final class Layout {
        private final Tokens tokens;
        final List<Line> lines = new ArrayList<>();

        Layout(Tokens tokens) {
            this.tokens = tokens;
        }

        /** An item or a statement (blocks and neurons are both). */
        void declaration(Object node, int indent) {
            if (node instanceof Ast.Import i) {
                add(indent, "import " + quote(i.path()), Kind.STATEMENT, tokens.keywordBefore(i.span(), "import"));
            } else if (node instanceof Ast.Network n) {
                body(indent, "network " + n.name() + params(n.params()) + " {",
                        tokens.keywordBefore(n.span(), "network"), n.body(), null);
            } else if (node instanceof Ast.Block b) {
                int anchor = tokens.keywordBefore(b.span(), "block");
                String head = "block " + b.name() + params(b.params());
                if (b.pipeForm()) {
                    statement(indent, head + " = ", b.result(), anchor);
                } else {
                    body(indent, head + " {", anchor, b.body(), b.result());
                }
            } else if (node instanceof Ast.Neuron n) {
                StringBuilder text = new StringBuilder("neuron ").append(n.name()).append(" = ");
                call(n.model(), text);
                add(indent, text.toString(), Kind.STATEMENT, tokens.keywordBefore(n.span(), "neuron"));
            } else if (node instanceof Ast.Timesteps t) {
                statement(indent, "timesteps ", t.value(), tokens.at(t.span()));
            } else if (node instanceof Ast.Input in) {
                StringBuilder text = new StringBuilder("input ").append(in.name()).append(": ");
                list(in.shape(), text);
                text.append(" encode ");
                call(in.encoding(), text);
                add(indent, text.toString(), Kind.STATEMENT, tokens.keywordBefore(in.span(), "input"));
            } else if (node instanceof Ast.Output o) {
                int anchor = tokens.keywordBefore(o.span(), "output");
                if (o.value() == null) {
                    add(indent, "output " + o.name(), Kind.STATEMENT, anchor);
                } else {
                    statement(indent, "output " + o.name() + " = ", o.value(), anchor);
                }
            } else if (node instanceof Ast.Assign a) {
                statement(indent, a.name() + " = ", a.value(), tokens.at(a.span()));
            }
        }

        /** A header ending in '{', the body one level in, {@code return result} if any, and '}'. */
        private void body(int indent, String header, int anchor, List<Ast.Stmt> stmts, Ast.Expr result) {
            add(indent, header, Kind.OPEN, anchor);
            int open = tokens.next(anchor, "{");
            int close = tokens.closing(open);
            for (Ast.Stmt s : stmts) {
                declaration(s, indent + INDENT);
            }
            if (result != null) {
                statement(indent + INDENT, "return ", result, tokens.returnIn(open, close));
            }
            add(indent, "}", Kind.CLOSE, close);
        }

        /** {@code prefix value}, where a pipeline value is laid out by the rule in the class comment. */
        private void statement(int indent, String prefix, Ast.Expr value, int anchor) {
            if (!(value instanceof Ast.Pipe last)) {
                StringBuilder text = new StringBuilder(prefix);
                expr(value, ANY, text);
                add(indent, text.toString(), Kind.STATEMENT, anchor);
                return;
            }
            List<Ast.Pipe> steps = spine(last);
            StringBuilder head = new StringBuilder(prefix);
            expr(steps.get(0).source(), PIPE, head);
            // The steps in the groups the user wrote: a step whose '->' began a source line begins one.
            List<List<Step>> groups = new ArrayList<>();
            groups.add(new ArrayList<>());
            for (Ast.Pipe step : steps) {
                StringBuilder text = new StringBuilder("-> ");
                call(step.layer(), text);
                int arrow = tokens.arrowBefore(step.layer().span());
                if (arrow > 0 && tokens.line(arrow) != tokens.line(arrow - 1)) groups.add(new ArrayList<>());
                groups.get(groups.size() - 1).add(new Step(text.toString(), arrow));
            }
            for (int g = 0; g < groups.size(); g++) {
                List<Step> group = groups.get(g);
                boolean first = g == 0;
                int lineIndent = first ? indent : indent + CONTINUATION;
                StringBuilder line = new StringBuilder(first ? head : "");
                for (Step step : group) {
                    if (line.length() > 0) line.append(' ');
                    line.append(step.text());
                }
                if (lineIndent + width(line) <= WIDTH) {
                    add(lineIndent, line.toString(), first ? Kind.STATEMENT : Kind.CONTINUATION,
                            first ? anchor : group.get(0).arrow());
                    continue;
                }
                // Too wide: the head alone, then one step per line.
                if (first) add(indent, head.toString(), Kind.STATEMENT, anchor);
                for (Step step : group) {
                    add(indent + CONTINUATION, step.text(), Kind.CONTINUATION, step.arrow());
                }
            }
        }

        /** One printed step of a pipeline and the index of its '->' in the source (-1 if unknown). */
        private record Step(String text, int arrow) {
        }

        private void add(int indent, String code, Kind kind, int anchor) {
            lines.add(new Line(indent, code, kind, anchor));
        }
    }

    // ---- the source's tokens and comments ----------------------------------------------------

    /**
     * A comment of the source. {@code after} is the index of the code token before it (-1 at the
     * start of the file); {@code newlineBefore} says whether a line break separates it from the
     * token or comment just before it.
     */
    private record Comment(String text, int line, int endLine, int after, boolean newlineBefore) {
    }

    private static final class Tokens {
        /** The default-channel tokens, without EOF. */
        final List<Token> code = new ArrayList<>();
        final List<Comment> comments = new ArrayList<>();
        private final Map<Long, Integer> byPosition = new HashMap<>();

        static Tokens lex(SourceFile source) {
            Tokens t = new Tokens();
            if (source == null) return t;
            SnnLexer lexer = new SnnLexer(CharStreams.fromString(source.text(), source.displayName()));
            lexer.removeErrorListeners();
            boolean newline = false;
            for (Token tok = lexer.nextToken(); tok.getType() != Token.EOF; tok = lexer.nextToken()) {
                String text = tok.getText();
                if (tok.getChannel() == Token.DEFAULT_CHANNEL) {
                    t.byPosition.put(key(tok.getLine(), tok.getCharPositionInLine() + 1), t.code.size());
                    t.code.add(tok);
                    newline = false;
                } else if (text.startsWith("//") || text.startsWith("/*")) {
                    String clean = clean(text);
                    t.comments.add(new Comment(clean, tok.getLine(), tok.getLine() + count(text, '\n'),
                            t.code.size() - 1, newline));
                    newline = false;
                } else if (text.indexOf('\n') >= 0) {
                    newline = true;
                }
            }
            return t;
        }

        private static long key(int line, int column) {
            return ((long) line << 32) | (column & 0xffffffffL);
        }

        int line(int token) {
            return code.get(token).getLine();
        }

        /** The token a span starts at, or -1. */
        int at(Span span) {
            if (span == null) return -1;
            return byPosition.getOrDefault(key(span.line(), span.column()), -1);
        }

        /** The keyword just before the token at {@code span} ({@code network} before its name), or -1. */
        int keywordBefore(Span span, String keyword) {
            int i = at(span);
            return i > 0 && keyword.equals(code.get(i - 1).getText()) ? i - 1 : -1;
        }

        /** The {@code ->} before a pipeline step's layer, or -1. */
        int arrowBefore(Span layer) {
            return keywordBefore(layer, "->");
        }

        /** The first token with this text at or after {@code from}, or -1. */
        int next(int from, String text) {
            if (from < 0) return -1;
            for (int i = from; i < code.size(); i++) {
                if (text.equals(code.get(i).getText())) return i;
            }
            return -1;
        }

        /** The '}' that closes the '{' at {@code open}, or -1. */
        int closing(int open) {
            if (open < 0) return -1;
            int depth = 0;
            for (int i = open; i < code.size(); i++) {
                String text = code.get(i).getText();
                if ("{".equals(text)) {
                    depth++;
                } else if ("}".equals(text) && --depth == 0) {
                    return i;
                }
            }
            return -1;
        }

        /** The {@code return} of the body between {@code open} and {@code close}, not of a nested block; or -1. */
        int returnIn(int open, int close) {
            if (open < 0 || close < 0) return -1;
            int depth = 0;
            int found = -1;
            for (int i = open + 1; i < close; i++) {
                String text = code.get(i).getText();
                if ("{".equals(text)) {
                    depth++;
                } else if ("}".equals(text)) {
                    depth--;
                } else if (depth == 0 && "return".equals(text)) {
                    found = i;
                }
            }
            return found;
        }

        private static int count(String text, char c) {
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == c) n++;
            }
            return n;
        }
    }

    /** A comment's text without the layout part: CRLF as LF, no blanks at the ends of its lines. */
    static String clean(String comment) {
        String[] lines = comment.replace("\r\n", "\n").split("\n", -1);
        StringBuilder b = new StringBuilder(comment.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) b.append('\n');
            String line = lines[i];
            int end = line.length();
            while (end > 0 && " \t\f\r".indexOf(line.charAt(end - 1)) >= 0) end--;
            b.append(line, 0, end);
        }
        return b.toString();
    }

    // ---- weaving comments and blank lines into the code --------------------------------------

    /** A printed row: a blank line ({@code text} null), a comment line, or code with an optional trailing comment. */
    private record Row(int indent, String text, String trailing, boolean alignable) {
        static final Row BLANK = new Row(0, null, null, false);
    }

    private static final class Weaver {
        private final Tokens tokens;
        private final List<Line> lines;
        /** Per line, and at index lines.size() for the end of the file. */
        private final List<List<Comment>> leading = new ArrayList<>();
        private final List<List<Comment>> inner = new ArrayList<>();
        private final List<List<Comment>> trailing = new ArrayList<>();
        /** Per line, the index of its last code token, or -1 when its anchor is unknown. */
        private final int[] lastToken;

        private final List<Row> rows = new ArrayList<>();
        /** The source line where the last printed row ended, or -1 when unknown. */
        private int previousEnd = -1;
        /** False at the start of the file and just after a '{': no blank line goes there. */
        private boolean blankAllowed;

        Weaver(Tokens tokens, List<Line> lines) {
            this.tokens = tokens;
            this.lines = lines;
            for (int i = 0; i <= lines.size(); i++) {
                leading.add(new ArrayList<>());
                inner.add(new ArrayList<>());
                trailing.add(new ArrayList<>());
            }
            lastToken = new int[lines.size()];
            place();
        }

        /**
         * Attaches each comment to a line. Lines whose anchors are missing or out of order (only for
         * a tree that does not match its source) take no comments; the rest partition the tokens.
         */
        private void place() {
            List<Integer> anchored = new ArrayList<>();
            int last = -1;
            for (int i = 0; i < lines.size(); i++) {
                int a = lines.get(i).anchor();
                lastToken[i] = -1;
                if (a > last && a < tokens.code.size()) {
                    anchored.add(i);
                    last = a;
                }
            }
            for (int k = 0; k < anchored.size(); k++) {
                int next = k + 1 < anchored.size() ? lines.get(anchored.get(k + 1)).anchor() : tokens.code.size();
                lastToken[anchored.get(k)] = next - 1;
            }
            int previousAfter = Integer.MIN_VALUE;
            boolean previousTrailing = false;
            for (Comment c : tokens.comments) {
                int k = lastAnchoredAtOrBefore(anchored, c.after());
                boolean isTrailing = false;
                if (k < 0) {
                    leading.get(anchored.isEmpty() ? lines.size() : anchored.get(0)).add(c);
                } else {
                    int nextLine = k + 1 < anchored.size() ? anchored.get(k + 1) : lines.size();
                    int nextAnchor = nextLine < lines.size() ? lines.get(nextLine).anchor() : tokens.code.size();
                    if (c.after() + 1 != nextAnchor) {
                        inner.get(anchored.get(k)).add(c);
                    } else if (!c.newlineBefore() && (c.after() != previousAfter || previousTrailing)) {
                        trailing.get(nextLine - 1).add(c);
                        isTrailing = true;
                    } else {
                        leading.get(nextLine).add(c);
                    }
                }
                previousAfter = c.after();
                previousTrailing = isTrailing;
            }
        }

        private int lastAnchoredAtOrBefore(List<Integer> anchored, int token) {
            int lo = 0;
            int hi = anchored.size() - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (lines.get(anchored.get(mid)).anchor() <= token) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }

        String weave() {
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                boolean statement = line.kind() == Kind.STATEMENT || line.kind() == Kind.OPEN;
                int commentIndent = line.kind() == Kind.CLOSE ? line.indent() + INDENT : line.indent();
                for (List<Comment> group : groups(leading.get(i))) {
                    comment(commentIndent, group, line.kind() != Kind.CONTINUATION);
                }
                int codeLine = lastToken[i] >= 0 ? tokens.line(line.anchor()) : -1;
                // Comments from inside the line print above it but belong to its statement: the
                // blank line, if any, goes before them.
                if (statement) blankBefore(codeLine);
                for (List<Comment> group : groups(inner.get(i))) {
                    rows.add(new Row(line.indent(), join(group), null, false));
                }
                List<Comment> after = trailing.get(i);
                String tail = after.isEmpty() ? null : join(after);
                boolean alignable = tail != null && tail.indexOf('\n') < 0
                        && (line.kind() == Kind.STATEMENT || line.kind() == Kind.CONTINUATION);
                rows.add(new Row(line.indent(), line.code(), tail, alignable));
                if (!after.isEmpty()) {
                    previousEnd = after.get(after.size() - 1).endLine();
                } else {
                    previousEnd = lastToken[i] >= 0 ? tokens.line(lastToken[i]) : -1;
                }
                blankAllowed = line.kind() != Kind.OPEN;
            }
            for (List<Comment> group : groups(leading.get(lines.size()))) {
                comment(0, group, true);
            }
            return render();
        }

        private void comment(int indent, List<Comment> group, boolean mayBreak) {
            if (mayBreak) blankBefore(group.get(0).line());
            rows.add(new Row(indent, join(group), null, false));
            previousEnd = group.get(group.size() - 1).endLine();
            blankAllowed = true;
        }

        private void blankBefore(int sourceLine) {
            if (blankAllowed && previousEnd >= 0 && sourceLine >= 0 && sourceLine - previousEnd >= 2) {
                rows.add(Row.BLANK);
            }
        }

        /** Comments that shared a source line form one group, printed on one line. */
        private static List<List<Comment>> groups(List<Comment> comments) {
            List<List<Comment>> groups = new ArrayList<>();
            Comment previous = null;
            for (Comment c : comments) {
                // Code between two comments (possible inside a line) separates them as a line break does.
                if (previous == null || c.newlineBefore() || c.after() != previous.after()) groups.add(new ArrayList<>());
                groups.get(groups.size() - 1).add(c);
                previous = c;
            }
            return groups;
        }

        private static String join(List<Comment> group) {
            StringBuilder b = new StringBuilder();
            for (Comment c : group) {
                if (b.length() > 0) b.append(' ');
                b.append(c.text());
            }
            return b.toString();
        }

        private String render() {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < rows.size()) {
                Row row = rows.get(i);
                if (!row.alignable()) {
                    appendRow(out, row, 0);
                    i++;
                    continue;
                }
                int end = i;
                int column = 0;
                while (end < rows.size() && rows.get(end).alignable()) {
                    Row r = rows.get(end);
                    column = Math.max(column, r.indent() + width(r.text()) + 1);
                    end++;
                }
                for (; i < end; i++) {
                    appendRow(out, rows.get(i), column);
                }
            }
            return out.toString();
        }

        private static void appendRow(StringBuilder out, Row row, int trailingColumn) {
            if (row.text() != null) {
                out.append(" ".repeat(row.indent())).append(row.text());
                if (row.trailing() != null) {
                    int used = row.indent() + width(row.text());
                    out.append(" ".repeat(Math.max(1, trailingColumn - used))).append(row.trailing());
                }
            }
            out.append('\n');
        }
    }
}
