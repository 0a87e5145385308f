package org.snnc.compiler.syntax;

import java.lang.reflect.RecordComponent;
import java.util.List;
import org.snnc.compiler.diag.SourceFile;
import org.snnc.compiler.diag.Span;

/**
 * The typed syntax tree of a .snn file: what the user wrote, with places, before any name is
 * resolved or any value computed. Built from the ANTLR parse tree by {@link AstBuilder}.
 */
public final class Ast {

    private Ast() {
    }

    /** A parsed file. */
    public record File(SourceFile source, List<Item> items) {
        public File {
            items = List.copyOf(items);
        }
    }

    /** What may stand at the top of a file. */
    public sealed interface Item permits Import, Network, Block, Neuron {
        Span span();
    }

    /** What may stand in a network or block body. */
    public sealed interface Stmt permits Timesteps, Neuron, Input, Block, Output, Assign {
        Span span();
    }

    public record Import(String path, Span span) implements Item {
    }

    public record Network(String name, Span span, List<Param> params, List<Stmt> body) implements Item {
        public Network {
            params = List.copyOf(params);
            body = List.copyOf(body);
        }
    }

    /**
     * A reusable block. The pipe form {@code block b(p) = conv(p) -> lif} has an empty body and a
     * result whose head receives the block's input; the body form ends in {@code return expr} and
     * names its input {@code in}.
     */
    public record Block(String name, Span span, List<Param> params, List<Stmt> body, Expr result,
            boolean pipeForm) implements Item, Stmt {
        public Block {
            params = List.copyOf(params);
            body = List.copyOf(body);
        }
    }

    /** {@code neuron lif = LIF(leak: 0.99)}. */
    public record Neuron(String name, Span span, Call model) implements Item, Stmt {
    }

    /** A declared parameter; {@code defaultValue} is null when the parameter is required. */
    public record Param(String name, Span span, String type, Span typeSpan, Expr defaultValue) {
    }

    public record Timesteps(Expr value, Span span) implements Stmt {
    }

    /** {@code input image: [3, size, size] encode poisson}. */
    public record Input(String name, Span span, List<Expr> shape, Call encoding) implements Stmt {
        public Input {
            shape = List.copyOf(shape);
        }
    }

    /** {@code output seg = expr}, or {@code output seg} naming an existing value (value null). */
    public record Output(String name, Span span, Expr value) implements Stmt {
    }

    public record Assign(String name, Span span, Expr value) implements Stmt {
    }

    /** Expressions: arithmetic on constants and pipelines of layers on tensors. */
    public sealed interface Expr permits Num, Str, Bool, BlockInput, Name, CallExpr, ListExpr, Unary, Binary, Pipe {
        Span span();
    }

    /** A number literal; {@code text} is kept so that the formatter prints it as written. */
    public record Num(String text, Span span) implements Expr {
    }

    public record Str(String value, Span span) implements Expr {
    }

    public record Bool(boolean value, Span span) implements Expr {
    }

    /** {@code in}: the input of the enclosing block. */
    public record BlockInput(Span span) implements Expr {
    }

    public record Name(String name, Span span) implements Expr {
    }

    public record CallExpr(Call call) implements Expr {
        @Override
        public Span span() {
            return call.span();
        }
    }

    public record ListExpr(List<Expr> elements, Span span) implements Expr {
        public ListExpr {
            elements = List.copyOf(elements);
        }
    }

    public record Unary(String op, Expr operand, Span span) implements Expr {
    }

    public record Binary(String op, Expr left, Expr right, Span span) implements Expr {
    }

    /** {@code source -> layer}: the layer applied to the source. */
    public record Pipe(Expr source, Call layer, Span span) implements Expr {
    }

    /**
     * A call or a bare name in call position ({@code -> lif}); {@code parens} says which, so the
     * formatter gives back what was written.
     */
    public record Call(String name, Span span, List<Arg> args, boolean parens) {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** A positional ({@code name} null) or named argument. */
    public record Arg(String name, Span span, Expr value) {
    }

    /**
     * A position-free rendering of any AST node: two trees are the same program exactly when their
     * dumps are equal. Used by the formatter's round-trip tests and by the fuzz test.
     */
    public static String dump(Object node) {
        StringBuilder b = new StringBuilder();
        dump(node, b);
        return b.toString();
    }

    private static void dump(Object node, StringBuilder b) {
        if (node == null) {
            b.append("null");
        } else if (node instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) b.append(", ");
                dump(list.get(i), b);
            }
            b.append(']');
        } else if (node instanceof Record r) {
            b.append(r.getClass().getSimpleName()).append('(');
            boolean first = true;
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (c.getType() == Span.class || c.getType() == SourceFile.class) continue;
                if (!first) b.append(", ");
                first = false;
                try {
                    dump(c.getAccessor().invoke(r), b);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            b.append(')');
        } else if (node instanceof String s) {
            b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
            b.append(node);
        }
    }
}
