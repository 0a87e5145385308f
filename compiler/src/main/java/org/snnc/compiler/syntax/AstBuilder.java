package org.snnc.compiler.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.snnc.compiler.diag.SourceFile;
import org.snnc.compiler.diag.Span;
import org.snnc.grammar.SnnParser;

/** Parse tree to {@link Ast}. Only called on trees without syntax errors. */
final class AstBuilder {

    private final SourceFile source;

    AstBuilder(SourceFile source) {
        this.source = source;
    }

    Ast.File file(SnnParser.FileContext ctx) {
        List<Ast.Item> items = new ArrayList<>();
        for (SnnParser.ItemContext item : ctx.item()) {
            if (item.importDecl() != null) {
                items.add(new Ast.Import(unquote(item.importDecl().STRING().getText()), span(item.importDecl().STRING())));
            } else if (item.networkDecl() != null) {
                items.add(network(item.networkDecl()));
            } else if (item.blockDecl() != null) {
                items.add(block(item.blockDecl()));
            } else {
                items.add(neuron(item.neuronDecl()));
            }
        }
        return new Ast.File(source, items);
    }

    private Ast.Network network(SnnParser.NetworkDeclContext ctx) {
        return new Ast.Network(ctx.IDENT().getText(), span(ctx.IDENT()), params(ctx.paramList()), stmts(ctx.stmt()));
    }

    private List<Ast.Param> params(SnnParser.ParamListContext ctx) {
        List<Ast.Param> params = new ArrayList<>();
        if (ctx == null) return params;
        for (SnnParser.ParamContext p : ctx.param()) {
            params.add(new Ast.Param(p.IDENT().getText(), span(p.IDENT()), p.typeName().getText(), span(p.typeName()),
                    p.expr() == null ? null : expr(p.expr())));
        }
        return params;
    }

    private List<Ast.Stmt> stmts(List<SnnParser.StmtContext> ctxs) {
        List<Ast.Stmt> stmts = new ArrayList<>();
        for (SnnParser.StmtContext s : ctxs) {
            if (s.timestepsStmt() != null) {
                stmts.add(new Ast.Timesteps(expr(s.timestepsStmt().expr()), span(s.timestepsStmt())));
            } else if (s.neuronDecl() != null) {
                stmts.add(neuron(s.neuronDecl()));
            } else if (s.inputDecl() != null) {
                SnnParser.InputDeclContext in = s.inputDecl();
                List<Ast.Expr> shape = new ArrayList<>();
                for (SnnParser.ExprContext e : in.shape().expr()) shape.add(expr(e));
                stmts.add(new Ast.Input(in.IDENT().getText(), span(in.IDENT()), shape, application(in.application())));
            } else if (s.blockDecl() != null) {
                stmts.add(block(s.blockDecl()));
            } else if (s.outputStmt() != null) {
                SnnParser.OutputStmtContext o = s.outputStmt();
                stmts.add(new Ast.Output(o.IDENT().getText(), span(o.IDENT()), o.expr() == null ? null : expr(o.expr())));
            } else {
                SnnParser.AssignStmtContext a = s.assignStmt();
                stmts.add(new Ast.Assign(a.IDENT().getText(), span(a.IDENT()), expr(a.expr())));
            }
        }
        return stmts;
    }

    private Ast.Neuron neuron(SnnParser.NeuronDeclContext ctx) {
        return new Ast.Neuron(ctx.IDENT().getText(), span(ctx.IDENT()), call(ctx.call()));
    }

    private Ast.Block block(SnnParser.BlockDeclContext ctx) {
        if (ctx instanceof SnnParser.PipeBlockContext p) {
            return new Ast.Block(p.IDENT().getText(), span(p.IDENT()), params(p.paramList()), List.of(), expr(p.expr()), true);
        }
        SnnParser.BodyBlockContext b = (SnnParser.BodyBlockContext) ctx;
        return new Ast.Block(b.IDENT().getText(), span(b.IDENT()), params(b.paramList()), stmts(b.stmt()),
                expr(b.returnStmt().expr()), false);
    }

    private Ast.Expr expr(SnnParser.ExprContext ctx) {
        if (ctx instanceof SnnParser.PipeExprContext p) {
            // Long chains are left-deep trees: walk the spine in a loop, not by recursion.
            List<SnnParser.PipeExprContext> spine = new ArrayList<>();
            SnnParser.ExprContext cur = p;
            while (cur instanceof SnnParser.PipeExprContext q) {
                spine.add(q);
                cur = q.expr();
            }
            Ast.Expr result = expr(cur);
            for (int i = spine.size() - 1; i >= 0; i--) {
                SnnParser.PipeExprContext q = spine.get(i);
                result = new Ast.Pipe(result, application(q.application()), span(q));
            }
            return result;
        }
        if (ctx instanceof SnnParser.UnaryExprContext u) {
            return new Ast.Unary(u.op.getText(), expr(u.expr()), span(u));
        }
        if (ctx instanceof SnnParser.MulExprContext m) {
            return new Ast.Binary(m.op.getText(), expr(m.expr(0)), expr(m.expr(1)), span(m));
        }
        if (ctx instanceof SnnParser.AddExprContext a) {
            return new Ast.Binary(a.op.getText(), expr(a.expr(0)), expr(a.expr(1)), span(a));
        }
        return primary(((SnnParser.PrimaryExprContext) ctx).primary());
    }

    private Ast.Expr primary(SnnParser.PrimaryContext ctx) {
        if (ctx instanceof SnnParser.NumberLitContext n) return new Ast.Num(n.NUMBER().getText(), span(n));
        if (ctx instanceof SnnParser.StringLitContext s) return new Ast.Str(unquote(s.STRING().getText()), span(s));
        if (ctx instanceof SnnParser.BoolLitContext b) return new Ast.Bool(b.getText().equals("true"), span(b));
        if (ctx instanceof SnnParser.BlockInputContext i) return new Ast.BlockInput(span(i));
        if (ctx instanceof SnnParser.CallExprContext c) return new Ast.CallExpr(call(c.call()));
        if (ctx instanceof SnnParser.NameRefContext n) return new Ast.Name(n.IDENT().getText(), span(n));
        if (ctx instanceof SnnParser.ListLitContext l) {
            List<Ast.Expr> elements = new ArrayList<>();
            for (SnnParser.ExprContext e : l.expr()) elements.add(expr(e));
            return new Ast.ListExpr(elements, span(l));
        }
        return expr(((SnnParser.ParenExprContext) ctx).expr());
    }

    private Ast.Call application(SnnParser.ApplicationContext ctx) {
        if (ctx.call() != null) return call(ctx.call());
        return new Ast.Call(ctx.IDENT().getText(), span(ctx.IDENT()), List.of(), false);
    }

    private Ast.Call call(SnnParser.CallContext ctx) {
        List<Ast.Arg> args = new ArrayList<>();
        for (SnnParser.ArgContext a : ctx.arg()) {
            if (a.IDENT() != null) {
                args.add(new Ast.Arg(a.IDENT().getText(), span(a.IDENT()), expr(a.expr())));
            } else {
                args.add(new Ast.Arg(null, span(a), expr(a.expr())));
            }
        }
        return new Ast.Call(ctx.IDENT().getText(), span(ctx.IDENT()), args, true);
    }

    private Span span(TerminalNode node) {
        return SourceParser.span(source, node.getSymbol());
    }

    /** From the first token to the last when they share a line, else to the end of the first line. */
    private Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop();
        int column = start.getCharPositionInLine() + 1;
        int length;
        if (stop != null && stop.getLine() == start.getLine() && stop.getStopIndex() >= start.getStartIndex()) {
            length = stop.getStopIndex() - start.getStartIndex() + 1;
        } else {
            length = source.line(start.getLine()).length() - column + 1;
        }
        return new Span(source, start.getLine(), column, Math.max(1, length));
    }

    private static String unquote(String quoted) {
        StringBuilder b = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                char next = quoted.charAt(++i);
                b.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
