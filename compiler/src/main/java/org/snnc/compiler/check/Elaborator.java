package org.snnc.compiler.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snnc.compiler.diag.Code;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.Span;
import org.snnc.compiler.diag.Suggest;
import org.snnc.compiler.ir.Encoding;
import org.snnc.compiler.ir.LayerMath;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.NeuronModel;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.Origin;
import org.snnc.compiler.ir.Pair;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.ir.Surrogate;
import org.snnc.compiler.syntax.Ast;

/**
 * Checks a loaded program and elaborates its network into the {@link SpikingIr}: resolves names
 * (values may be used before they are defined; cycles are errors), evaluates parameters and
 * arithmetic, expands blocks, type-checks every argument, infers shapes and counts.
 *
 * <p>Every error is collected; after one, the offending value becomes {@link Value.Poison}, which
 * silently satisfies later checks, so the user sees each mistake once and not its echoes.
 */
public final class Elaborator {

    /** Layers a network may expand to; beyond this a block expansion is surely a mistake. */
    static final int MAX_NODES = 200_000;
    /** Elements per tensor; 2^40 floats is 4 TiB, beyond any network a person means to write. */
    static final long MAX_ELEMENTS = 1L << 40;

    static final List<String> LAYERS = List.of("conv", "tconv", "avgpool", "dense", "flatten", "add", "upsample",
            "bntt", "batchnorm", "accumulate", "sparse");
    static final List<String> NEURON_MODELS = List.of("LIF", "IF");
    static final List<String> SURROGATES = List.of("triangle", "fast_sigmoid", "atan");
    static final List<String> ENCODINGS = List.of("poisson", "signed_poisson", "direct", "events");
    static final List<String> FUNCTIONS = List.of("round", "floor", "ceil", "min", "max");
    static final List<String> NETWORK_PARAM_TYPES = List.of("int", "float", "bool", "string");
    static final List<String> BLOCK_PARAM_TYPES = List.of("int", "float", "bool", "string", "tensor", "neuron");

    private final Diagnostics diagnostics;
    private final List<BNode> nodes = new ArrayList<>();
    private final Deque<Binding> evaluating = new ArrayDeque<>();
    private final Deque<Ast.Block> activeBlocks = new ArrayDeque<>();
    private final List<Binding> allValueBindings = new ArrayList<>();
    private final Scope global = new Scope(null, null);
    private int timesteps = -1;

    private Elaborator(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Raised only to stop elaboration of a network that expands beyond {@link #MAX_NODES}. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * Checks every file of the program and elaborates the main file's network.
     *
     * @param overrides      {@code --param} values by name, as text; parsed by each parameter's type
     * @param requireNetwork whether a file without a network is an error (compile) or a library (check)
     * @return the IR, or empty when the main file has no network or any error was reported
     */
    public static Optional<SpikingIr> elaborate(Loader.Program program, Map<String, String> overrides,
            boolean requireNetwork, Diagnostics diagnostics) {
        Elaborator e = new Elaborator(diagnostics);
        return e.run(program, overrides, requireNetwork);
    }

    private Optional<SpikingIr> run(Loader.Program program, Map<String, String> overrides, boolean requireNetwork) {
        for (Ast.File file : program.files()) {
            for (Ast.Item item : file.items()) {
                if (item instanceof Ast.Block b) declare(global, b.name(), new Binding(Kind.BLOCK, b.name(), b.span(), b, global));
                if (item instanceof Ast.Neuron n) declare(global, n.name(), new Binding(Kind.NEURON, n.name(), n.span(), n, global));
            }
        }
        List<Ast.Network> networks = new ArrayList<>();
        for (Ast.Item item : program.main().items()) {
            if (item instanceof Ast.Network n) networks.add(n);
        }
        for (int i = 1; i < networks.size(); i++) {
            diagnostics.report(Code.SEVERAL_NETWORKS, networks.get(i).span(), "a file holds one network; '"
                    + networks.get(0).name() + "' is already defined here", "move '" + networks.get(i).name()
                    + "' to its own file and import the blocks they share");
        }
        if (networks.isEmpty()) {
            if (requireNetwork) {
                diagnostics.report(Code.NO_NETWORK, Span.startOf(program.main().source()), "this file defines no network",
                        "it holds only blocks and neurons; import it from a file with a `network`");
            }
            for (String name : overrides.keySet()) {
                diagnostics.report(Code.UNKNOWN_PARAMETER, Span.startOf(program.main().source()),
                        "--param " + name + ": this file defines no network");
            }
            return Optional.empty();
        }
        try {
            SpikingIr ir = network(networks.get(0), overrides, program.sources());
            return diagnostics.hasErrors() ? Optional.empty() : Optional.of(ir);
        } catch (TooLarge e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- scopes and bindings

    private enum Kind { PARAM, VALUE, INPUT, NEURON, BLOCK }

    private enum State { PENDING, EVALUATING, DONE }

    private static final class Binding {
        final Kind kind;
        final String name;
        final Span span;
        final Object decl;
        final Scope scope;
        Value value;
        State state = State.PENDING;
        boolean used;
        boolean output;

        Binding(Kind kind, String name, Span span, Object decl, Scope scope) {
            this.kind = kind;
            this.name = name;
            this.span = span;
            this.decl = decl;
            this.scope = scope;
        }
    }

    private static final class Scope {
        final Scope parent;
        final Map<String, Binding> entries = new LinkedHashMap<>();
        /** The block input ({@code in}); null outside blocks. */
        final Value blockInput;

        Scope(Scope parent, Value blockInput) {
            this.parent = parent;
            this.blockInput = blockInput;
        }

        Binding lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Binding b = s.entries.get(name);
                if (b != null) return b;
            }
            return null;
        }

        Value input() {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.blockInput != null) return s.blockInput;
            }
            return null;
        }

        Set<String> visible(Set<Kind> kinds) {
            Set<String> names = new TreeSet<>();
            for (Scope s = this; s != null; s = s.parent) {
                for (Binding b : s.entries.values()) {
                    if (kinds.contains(b.kind)) names.add(b.name);
                }
            }
            return names;
        }
    }

    private void declare(Scope scope, String name, Binding binding) {
        Binding previous = scope.entries.get(name);
        if (previous != null) {
            diagnostics.report(Code.DUPLICATE, binding.span, "'" + name + "' is already defined at "
                    + previous.span.location(), "rename one of them");
            return;
        }
        scope.entries.put(name, binding);
        if (binding.kind == Kind.VALUE || binding.kind == Kind.INPUT) allValueBindings.add(binding);
    }

    // ---------------------------------------------------------------- the network

    private SpikingIr network(Ast.Network net, Map<String, String> overrides, List<SpikingIr.SourceRef> sources) {
        Scope scope = new Scope(global, null);
        Map<String, Object> paramValues = new LinkedHashMap<>();
        Set<String> declared = new HashSet<>();
        for (Ast.Param p : net.params()) declared.add(p.name());
        for (String name : overrides.keySet()) {
            if (!declared.contains(name)) {
                String[] help = Suggest.didYouMean(name, declared);
                diagnostics.report(Code.UNKNOWN_PARAMETER, net.span(), "network '" + net.name() + "' has no parameter '"
                        + name + "'", help.length > 0 ? help : new String[] {"its parameters are: "
                        + (declared.isEmpty() ? "none" : String.join(", ", new TreeSet<>(declared)))});
            }
        }
        for (Ast.Param p : net.params()) {
            Value v = networkParam(p, overrides.get(p.name()), scope);
            Binding b = new Binding(Kind.PARAM, p.name(), p.span(), p, scope);
            b.value = v;
            b.state = State.DONE;
            b.used = true;
            declare(scope, p.name(), b);
            paramValues.put(p.name(), toJava(v));
        }

        Ast.Timesteps steps = null;
        List<Ast.Output> outputs = new ArrayList<>();
        for (Ast.Stmt s : net.body()) {
            if (s instanceof Ast.Timesteps t) {
                if (steps != null) {
                    diagnostics.report(Code.TIMESTEPS, t.span(), "timesteps is already set at " + steps.span().location());
                } else {
                    steps = t;
                }
            } else if (s instanceof Ast.Output o) {
                outputs.add(o);
            }
        }
        registerStatements(net.body(), scope, true);
        if (steps == null) {
            diagnostics.report(Code.TIMESTEPS, net.span(), "network '" + net.name() + "' does not say how many time steps it runs",
                    "add a statement such as `timesteps 20`");
        } else {
            Value v = eval(steps.value(), scope);
            if (v instanceof Value.Num n && n.integral() && n.value() >= 1 && n.value() <= 1_000_000) {
                timesteps = (int) n.value();
            } else if (v != Value.Poison.INSTANCE) {
                diagnostics.report(Code.BAD_VALUE, steps.value().span(), "timesteps must be an integer in [1, 1000000], got "
                        + Args.describe(v));
            }
        }
        if (outputs.isEmpty()) {
            diagnostics.report(Code.NO_OUTPUT, net.span(), "network '" + net.name() + "' has no output",
                    "mark the result with `output name = ...` or `output name`");
        }

        // Inputs first, in the order written, so that node numbering follows the source.
        for (Ast.Stmt s : net.body()) {
            if (s instanceof Ast.Input in) force(scope.entries.get(in.name()), in.span());
        }
        for (Ast.Stmt s : net.body()) {
            if (s instanceof Ast.Assign a) force(scope.entries.get(a.name()), null);
            if (s instanceof Ast.Neuron n) force(scope.entries.get(n.name()), null);
        }
        List<int[]> outputNodes = new ArrayList<>();
        Set<String> outputNames = new HashSet<>();
        List<String> outputOrder = new ArrayList<>();
        for (Ast.Output o : outputs) {
            if (!outputNames.add(o.name())) {
                diagnostics.report(Code.DUPLICATE, o.span(), "output '" + o.name() + "' is declared twice");
                continue;
            }
            Binding b;
            if (o.value() != null) {
                b = scope.entries.get(o.name());
            } else {
                b = scope.lookup(o.name());
                if (b == null || (b.kind != Kind.VALUE && b.kind != Kind.INPUT)) {
                    reportUnknownValue(o.name(), o.span(), scope);
                    continue;
                }
            }
            if (b == null) continue;
            b.used = true;
            b.output = true;
            Value v = force(b, o.span());
            if (v instanceof Value.Tensor t) {
                outputNodes.add(new int[] {t.node()});
                outputOrder.add(o.name());
                label(t.node(), o.name());
            } else if (v != Value.Poison.INSTANCE) {
                diagnostics.report(Code.WRONG_TYPE, o.span(), "output '" + o.name() + "' must be a tensor, got " + Args.describe(v));
            }
        }
        reportUnused();
        return build(net.name(), paramValues, outputOrder, outputNodes, sources);
    }

    private Value networkParam(Ast.Param p, String override, Scope scope) {
        if (!NETWORK_PARAM_TYPES.contains(p.type())) {
            diagnostics.report(Code.WRONG_TYPE, p.typeSpan(), "unknown parameter type '" + p.type() + "'",
                    hint(Suggest.didYouMean(p.type(), NETWORK_PARAM_TYPES), "network parameters are int, float, bool or string"));
            return Value.Poison.INSTANCE;
        }
        if (override != null) {
            Value v = parseOverride(p.type(), override);
            if (v == null) {
                diagnostics.report(Code.BAD_PARAMETER, p.span(), "--param " + p.name() + "=" + override + ": '" + override
                        + "' is not " + typeName(p.type()), "parameter '" + p.name() + "' is declared here as " + p.type());
                return Value.Poison.INSTANCE;
            }
            return v;
        }
        if (p.defaultValue() == null) {
            diagnostics.report(Code.MISSING_ARGUMENT, p.span(), "parameter '" + p.name() + "' has no default and no value was given",
                    "pass --param " + p.name() + "=... or give it a default");
            return Value.Poison.INSTANCE;
        }
        return coerce(p, eval(p.defaultValue(), scope));
    }

    /** Checks a value against a declared parameter type; ints widen to float. */
    private Value coerce(Ast.Param p, Value v) {
        if (v == Value.Poison.INSTANCE) return v;
        if (!fits(p.type(), v)) {
            diagnostics.report(Code.WRONG_TYPE, p.defaultValue() != null ? p.defaultValue().span() : p.span(),
                    "parameter '" + p.name() + "' is declared " + p.type() + " but gets " + Args.describe(v));
            return Value.Poison.INSTANCE;
        }
        if (p.type().equals("float")) return new Value.Num(((Value.Num) v).value(), false);
        return v;
    }

    /** Whether {@code v} is of declared parameter type {@code type}; ints count as floats. */
    private static boolean fits(String type, Value v) {
        return switch (type) {
            case "int" -> v instanceof Value.Num n && n.integral();
            case "float" -> v instanceof Value.Num;
            case "bool" -> v instanceof Value.Bool;
            case "string" -> v instanceof Value.Str;
            case "tensor" -> v instanceof Value.Tensor;
            case "neuron" -> v instanceof Value.Neuron;
            default -> false;
        };
    }

    private static Value parseOverride(String type, String text) {
        String t = text.trim();
        try {
            switch (type) {
                case "int": {
                    long x = Long.parseLong(t.replace("_", ""));
                    return Math.abs(x) <= (1L << 53) ? new Value.Num(x, true) : null;
                }
                case "float": {
                    double x = Double.parseDouble(t);
                    return Double.isFinite(x) ? new Value.Num(x, false) : null;
                }
                case "bool":
                    return t.equals("true") ? new Value.Bool(true) : t.equals("false") ? new Value.Bool(false) : null;
                default:
                    return new Value.Str(text);
            }
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String typeName(String type) {
        return switch (type) {
            case "int" -> "an integer";
            case "float" -> "a number";
            case "bool" -> "true or false";
            default -> "a " + type;
        };
    }

    private static Object toJava(Value v) {
        if (v instanceof Value.Num n) return n.integral() ? (Object) (long) n.value() : (Object) n.value();
        if (v instanceof Value.Bool b) return b.value();
        if (v instanceof Value.Str s) return s.value();
        return null;
    }

    /** Declares the statements of a network or block body in {@code scope}; evaluation is lazy. */
    private void registerStatements(List<Ast.Stmt> body, Scope scope, boolean isNetwork) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.Assign a) {
                declare(scope, a.name(), new Binding(Kind.VALUE, a.name(), a.span(), a, scope));
            } else if (s instanceof Ast.Output o && isNetwork && o.value() != null) {
                declare(scope, o.name(), new Binding(Kind.VALUE, o.name(), o.span(), o, scope));
            } else if (s instanceof Ast.Input in) {
                if (isNetwork) {
                    declare(scope, in.name(), new Binding(Kind.INPUT, in.name(), in.span(), in, scope));
                } else {
                    misplaced("input", s.span());
                }
            } else if (s instanceof Ast.Neuron n) {
                declare(scope, n.name(), new Binding(Kind.NEURON, n.name(), n.span(), n, scope));
            } else if (s instanceof Ast.Block b) {
                declare(scope, b.name(), new Binding(Kind.BLOCK, b.name(), b.span(), b, scope));
            } else if (!isNetwork) {
                misplaced(s instanceof Ast.Timesteps ? "timesteps" : "output", s.span());
            }
        }
    }

    private void misplaced(String what, Span span) {
        diagnostics.report(Code.MISPLACED, span, "'" + what + "' cannot appear inside a block",
                "declare it in the network body");
    }

    /** The value of a binding, evaluating it on first use and catching dependency cycles. */
    private Value force(Binding b, Span usedAt) {
        if (b == null) return Value.Poison.INSTANCE;
        if (b.state == State.DONE) return b.value;
        if (b.state == State.EVALUATING) {
            StringBuilder path = new StringBuilder();
            List<Binding> chain = new ArrayList<>(evaluating);
            java.util.Collections.reverse(chain);
            int from = chain.indexOf(b);
            for (Binding x : chain.subList(Math.max(0, from), chain.size())) path.append(x.name).append(" -> ");
            path.append(b.name);
            diagnostics.report(Code.CYCLE, usedAt != null ? usedAt : b.span, "'" + b.name + "' depends on itself: " + path,
                    "a network is a graph without cycles; recurrence lives inside neurons");
            b.value = Value.Poison.INSTANCE;
            b.state = State.DONE;
            return b.value;
        }
        b.state = State.EVALUATING;
        evaluating.push(b);
        Value v;
        try {
            v = switch (b.kind) {
                case VALUE -> {
                    Ast.Expr expr = b.decl instanceof Ast.Assign a ? a.value() : ((Ast.Output) b.decl).value();
                    Value r = eval(expr, b.scope);
                    if (r instanceof Value.Tensor t) label(t.node(), b.name);
                    yield settle(r, expr.span(), b.scope);
                }
                case INPUT -> input((Ast.Input) b.decl, b.scope);
                case NEURON -> neuronDecl((Ast.Neuron) b.decl, b.scope);
                default -> b.value;
            };
        } finally {
            evaluating.pop();
        }
        if (b.state == State.DONE) return b.value; // a cycle through this binding already settled it
        b.value = v;
        b.state = State.DONE;
        return v;
    }

    /** A named value must be a tensor or a constant; a leftover bare name or call is an error here. */
    private Value settle(Value v, Span span, Scope scope) {
        if (v instanceof Value.Sym s) {
            reportUnknownValue(s.name(), s.span(), scope);
            return Value.Poison.INSTANCE;
        }
        if (v instanceof Value.CallV c) {
            reportCallWithoutInput(c.name(), c.span(), scope);
            return Value.Poison.INSTANCE;
        }
        return v;
    }

    private void reportUnused() {
        // After an error most unused values are its echoes (a typo leaves its target unused).
        if (diagnostics.hasErrors()) return;
        for (Binding b : allValueBindings) {
            if (!b.used && !b.output) {
                diagnostics.report(Code.UNUSED, b.span, (b.kind == Kind.INPUT ? "input '" : "value '") + b.name
                        + "' is never used", "remove it, or use it in an output");
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    private Value eval(Ast.Expr e, Scope scope) {
        if (e instanceof Ast.Num n) return number(n);
        if (e instanceof Ast.Str s) return new Value.Str(s.value());
        if (e instanceof Ast.Bool b) return new Value.Bool(b.value());
        if (e instanceof Ast.BlockInput in) {
            Value v = scope.input();
            if (v == null) {
                diagnostics.report(Code.INPUT_OUTSIDE_BLOCK, in.span(), "'in' is the input of a block and means nothing here",
                        "name the value you mean");
                return Value.Poison.INSTANCE;
            }
            return v;
        }
        if (e instanceof Ast.Name n) return name(n, scope);
        if (e instanceof Ast.ListExpr l) {
            List<Value> elements = new ArrayList<>();
            for (Ast.Expr x : l.elements()) elements.add(eval(x, scope));
            return new Value.ListV(List.copyOf(elements));
        }
        if (e instanceof Ast.Unary u) return unary(u, scope);
        if (e instanceof Ast.Binary b) return binary(b, scope);
        if (e instanceof Ast.CallExpr c) return headCall(c.call(), scope);
        return pipe((Ast.Pipe) e, scope, null);
    }

    private Value number(Ast.Num n) {
        String text = n.text().replace("_", "");
        boolean integral = !(text.contains(".") || text.contains("e") || text.contains("E"));
        try {
            if (integral) {
                long x = Long.parseLong(text);
                if (x <= (1L << 53)) return new Value.Num(x, true);
            } else {
                double x = Double.parseDouble(text);
                if (Double.isFinite(x)) return new Value.Num(x, false);
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below: the lexer only lets digits through, so it is too long
        }
        diagnostics.report(Code.BAD_NUMBER, n.span(), "number " + clip(n.text()) + " is too large",
                integral ? "integers must be at most 2^53" : "numbers must be finite doubles");
        return Value.Poison.INSTANCE;
    }

    private Value name(Ast.Name n, Scope scope) {
        Binding b = scope.lookup(n.name());
        if (b == null) return new Value.Sym(n.name(), n.span());
        b.used = true;
        return switch (b.kind) {
            case BLOCK -> new Value.CallV(n.name(), List.of(), n.span());
            default -> force(b, n.span());
        };
    }

    private Value unary(Ast.Unary u, Scope scope) {
        Value v = eval(u.operand(), scope);
        if (v == Value.Poison.INSTANCE) return v;
        if (!(v instanceof Value.Num n)) {
            notANumber(v, u.operand().span(), scope, "operand of '" + u.op() + "'");
            return Value.Poison.INSTANCE;
        }
        return u.op().equals("-") ? new Value.Num(-n.value(), n.integral()) : n;
    }

    private Value binary(Ast.Binary b, Scope scope) {
        Value l = eval(b.left(), scope);
        Value r = eval(b.right(), scope);
        if (l == Value.Poison.INSTANCE || r == Value.Poison.INSTANCE) return Value.Poison.INSTANCE;
        if (!(l instanceof Value.Num x)) {
            notANumber(l, b.left().span(), scope, "left operand of '" + b.op() + "'");
            return Value.Poison.INSTANCE;
        }
        if (!(r instanceof Value.Num y)) {
            notANumber(r, b.right().span(), scope, "right operand of '" + b.op() + "'");
            return Value.Poison.INSTANCE;
        }
        boolean ints = x.integral() && y.integral();
        if ((b.op().equals("/") || b.op().equals("%")) && y.value() == 0) {
            diagnostics.report(Code.ARITHMETIC, b.span(), "division by zero");
            return Value.Poison.INSTANCE;
        }
        double result = switch (b.op()) {
            case "+" -> x.value() + y.value();
            case "-" -> x.value() - y.value();
            case "*" -> x.value() * y.value();
            case "/" -> x.value() / y.value();
            default -> ints ? Math.floorMod((long) x.value(), (long) y.value())
                    : x.value() - y.value() * Math.floor(x.value() / y.value());
        };
        boolean integral = ints && !b.op().equals("/");
        if (!Double.isFinite(result) || (integral && Math.abs(result) > (double) (1L << 53))) {
            diagnostics.report(Code.ARITHMETIC, b.span(), "the result of '" + b.op() + "' is too large");
            return Value.Poison.INSTANCE;
        }
        return new Value.Num(result, integral);
    }

    private void notANumber(Value v, Span span, Scope scope, String what) {
        if (v instanceof Value.Sym s) {
            reportUnknownValue(s.name(), span, scope);
        } else {
            diagnostics.report(Code.WRONG_TYPE, span, "the " + what + " must be a number, got " + Args.describe(v));
        }
    }

    /** A call at the head of an expression: a function, {@code add(a, b)}, or a symbolic argument value. */
    private Value headCall(Ast.Call call, Scope scope) {
        List<Value.ArgValue> args = evalArgs(call, scope);
        Binding b = scope.lookup(call.name());
        if (b == null && FUNCTIONS.contains(call.name())) return function(call, args);
        if (b == null && call.name().equals("add")) return add(null, call, args);
        if (b != null && b.kind != Kind.BLOCK && b.kind != Kind.NEURON) {
            b.used = true;
            diagnostics.report(Code.NOT_A_LAYER, call.span(), "'" + call.name() + "' is a value, not a layer or function");
            return Value.Poison.INSTANCE;
        }
        if (b != null) b.used = true;
        return new Value.CallV(call.name(), args, call.span());
    }

    private List<Value.ArgValue> evalArgs(Ast.Call call, Scope scope) {
        List<Value.ArgValue> args = new ArrayList<>();
        for (Ast.Arg a : call.args()) {
            Value v = eval(a.value(), scope);
            args.add(new Value.ArgValue(a.name(), v, a.name() != null ? a.span() : a.value().span()));
        }
        return args;
    }

    private Value function(Ast.Call call, List<Value.ArgValue> args) {
        String f = call.name();
        boolean unary = !f.equals("min") && !f.equals("max");
        if ((unary && args.size() != 1) || (!unary && args.size() < 2)) {
            diagnostics.report(Code.TOO_MANY_ARGUMENTS, call.span(), f + " takes " + (unary ? "one number" : "two or more numbers")
                    + ", got " + args.size() + " argument" + (args.size() == 1 ? "" : "s"));
            return Value.Poison.INSTANCE;
        }
        double acc = f.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        boolean integral = true;
        for (Value.ArgValue a : args) {
            if (a.value() == Value.Poison.INSTANCE) return Value.Poison.INSTANCE;
            if (a.name() != null) {
                diagnostics.report(Code.UNKNOWN_ARGUMENT, a.span(), f + " takes no named arguments");
                return Value.Poison.INSTANCE;
            }
            if (!(a.value() instanceof Value.Num n)) {
                diagnostics.report(Code.WRONG_TYPE, a.span(), "the argument of " + f + " must be a number, got " + Args.describe(a.value()),
                        a.value() instanceof Value.Sym s ? new String[] {"'" + s.name() + "' is not defined here"} : new String[0]);
                return Value.Poison.INSTANCE;
            }
            integral &= n.integral();
            switch (f) {
                case "round" -> acc = Math.rint(n.value());
                case "floor" -> acc = Math.floor(n.value());
                case "ceil" -> acc = Math.ceil(n.value());
                case "min" -> acc = Math.min(acc, n.value());
                default -> acc = Math.max(acc, n.value());
            }
        }
        return new Value.Num(acc, unary || integral);
    }

    // ---------------------------------------------------------------- layers

    /**
     * A pipeline. When {@code implicitInput} is given (the pipe form of a block), the head of the
     * chain is the first layer and receives it.
     */
    private Value pipe(Ast.Pipe p, Scope scope, Value implicitInput) {
        List<Ast.Call> layers = new ArrayList<>();
        Ast.Expr head = p;
        while (head instanceof Ast.Pipe q) {
            layers.add(q.layer());
            head = q.source();
        }
        java.util.Collections.reverse(layers);
        Value v;
        if (implicitInput != null) {
            v = headAsLayer(head, scope, implicitInput);
        } else {
            v = eval(head, scope);
            v = asTensorInput(v, head.span(), scope, layers.get(0).name());
        }
        for (Ast.Call layer : layers) {
            v = apply(v, layer, scope);
        }
        return v;
    }

    /** In {@code block b = conv(8) -> lif}, the head names a layer that takes the block's input. */
    private Value headAsLayer(Ast.Expr head, Scope scope, Value input) {
        if (head instanceof Ast.CallExpr c) return apply(input, c.call(), scope);
        if (head instanceof Ast.Name n) return apply(input, new Ast.Call(n.name(), n.span(), List.of(), false), scope);
        if (head instanceof Ast.BlockInput) return input;
        diagnostics.report(Code.NOT_A_LAYER, head.span(), "a block written with '=' starts with the layer that takes its input",
                "write `block name(...) { ... return ... }` to start from another value");
        return Value.Poison.INSTANCE;
    }

    /** The value piped into {@code layerName}; reports what it is when it is not a tensor. */
    private Value asTensorInput(Value v, Span span, Scope scope, String layerName) {
        if (v instanceof Value.Tensor || v == Value.Poison.INSTANCE) return v;
        if (v instanceof Value.Sym s) {
            reportUnknownValue(s.name(), span, scope);
        } else if (v instanceof Value.CallV c) {
            reportCallWithoutInput(c.name(), c.span(), scope);
        } else {
            diagnostics.report(Code.WRONG_TYPE, span, "the input of " + layerName + " must be a tensor, got " + Args.describe(v));
        }
        return Value.Poison.INSTANCE;
    }

    private Value apply(Value input, Ast.Call call, Scope scope) {
        List<Value.ArgValue> args = evalArgs(call, scope);
        Binding b = scope.lookup(call.name());
        if (b != null) {
            b.used = true;
            switch (b.kind) {
                case BLOCK:
                    return invokeBlock(b, input, args, call);
                case NEURON: {
                    if (!args.isEmpty()) {
                        diagnostics.report(Code.TOO_MANY_ARGUMENTS, call.span(), "neuron '" + call.name() + "' takes no arguments here",
                                "define another neuron with the parameters you want");
                    }
                    Value n = force(b, call.span());
                    if (n instanceof Value.Neuron neuron) return spiking(input, neuron, call);
                    return Value.Poison.INSTANCE;
                }
                case PARAM: {
                    Value n = b.value;
                    if (n instanceof Value.Neuron neuron && args.isEmpty()) return spiking(input, neuron, call);
                    if (n == Value.Poison.INSTANCE) return n;
                    diagnostics.report(Code.NOT_A_LAYER, call.span(), "'" + call.name() + "' is " + Args.describe(n) + ", not a layer");
                    return Value.Poison.INSTANCE;
                }
                default:
                    diagnostics.report(Code.NOT_A_LAYER, call.span(), "'" + call.name() + "' is a value, not a layer",
                            "to combine two values write add(" + "x, " + call.name() + ")");
                    return Value.Poison.INSTANCE;
            }
        }
        if (NEURON_MODELS.contains(call.name())) {
            Value n = neuronModel(call.name(), call.span(), args);
            return n instanceof Value.Neuron neuron ? spiking(input, neuron, call) : n;
        }
        if (!LAYERS.contains(call.name())) {
            reportUnknownLayer(call.name(), call.span(), scope);
            return Value.Poison.INSTANCE;
        }
        if (call.name().equals("add")) return add(input, call, args);
        if (input == Value.Poison.INSTANCE) {
            // still check the arguments, so their errors are not hidden behind the input's
            layer(call, args, null);
            return input;
        }
        return layer(call, args, (Value.Tensor) input);
    }

    private Value spiking(Value input, Value.Neuron neuron, Ast.Call call) {
        if (!(input instanceof Value.Tensor t)) return Value.Poison.INSTANCE;
        Shape shape = shapeOf(t);
        String keyword = neuron.model().kind().toLowerCase(java.util.Locale.ROOT);
        return node(new Op.Spiking(keyword, neuron.model()), List.of(t.node()), shape, call.span());
    }

    /** One built-in layer; with a null input only the arguments are checked. */
    private Value layer(Ast.Call call, List<Value.ArgValue> args, Value.Tensor input) {
        String name = call.name();
        Span span = call.span();
        Shape in = input == null ? null : shapeOf(input);
        switch (name) {
            case "conv": {
                Args a = Args.bind(name, span, args, List.of("out", "kernel", "stride", "padding", "dilation", "bias"),
                        Set.of("out", "kernel"), diagnostics);
                int out = (int) a.integer("out", 1, 1, Args.MAX_DIM);
                Pair k = a.pair("kernel", Pair.of(1), 1, Args.MAX_WINDOW);
                Pair s = a.pair("stride", Pair.of(1), 1, Args.MAX_WINDOW);
                Pair d = a.pair("dilation", Pair.of(1), 1, Args.MAX_WINDOW);
                Pair p = a.pair("padding", new Pair(d.h() * (k.h() - 1) / 2, d.w() * (k.w() - 1) / 2), 0, Args.MAX_WINDOW);
                boolean bias = a.bool("bias", false);
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                long h = LayerMath.convOut(in.height(), k.h(), s.h(), p.h(), d.h());
                long w = LayerMath.convOut(in.width(), k.w(), s.w(), p.w(), d.w());
                if (h < 1 || w < 1) return doesNotFit(span, "conv with kernel " + k + ", dilation " + d + ", padding " + p, in, h, w);
                return node(new Op.Conv(out, k, s, p, d, bias), List.of(input.node()), shape(out, h, w, span), span);
            }
            case "tconv": {
                Args a = Args.bind(name, span, args, List.of("out", "kernel", "stride", "padding", "output_padding", "dilation",
                        "bias"), Set.of("out", "kernel"), diagnostics);
                int out = (int) a.integer("out", 1, 1, Args.MAX_DIM);
                Pair k = a.pair("kernel", Pair.of(1), 1, Args.MAX_WINDOW);
                Pair s = a.pair("stride", Pair.of(1), 1, Args.MAX_WINDOW);
                Pair p = a.pair("padding", Pair.of(0), 0, Args.MAX_WINDOW);
                Pair op = a.pair("output_padding", Pair.of(0), 0, Args.MAX_WINDOW);
                Pair d = a.pair("dilation", Pair.of(1), 1, Args.MAX_WINDOW);
                boolean bias = a.bool("bias", false);
                if (a.ok() && (op.h() >= Math.max(s.h(), d.h()) || op.w() >= Math.max(s.w(), d.w()))) {
                    a.fail(Code.BAD_VALUE, a.spanOf("output_padding"), "output_padding " + op
                            + " must be smaller than the stride or the dilation", new String[0]);
                }
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                long h = LayerMath.convTransposeOut(in.height(), k.h(), s.h(), p.h(), op.h(), d.h());
                long w = LayerMath.convTransposeOut(in.width(), k.w(), s.w(), p.w(), op.w(), d.w());
                if (h < 1 || w < 1) return doesNotFit(span, "tconv with kernel " + k + ", padding " + p, in, h, w);
                return node(new Op.ConvTranspose(out, k, s, p, op, d, bias), List.of(input.node()), shape(out, h, w, span), span);
            }
            case "avgpool": {
                Args a = Args.bind(name, span, args, List.of("kernel", "stride", "padding", "count_include_pad"),
                        Set.of("kernel"), diagnostics);
                Pair k = a.pair("kernel", Pair.of(1), 1, Args.MAX_WINDOW);
                Pair s = a.pair("stride", k, 1, Args.MAX_WINDOW);
                Pair p = a.pair("padding", Pair.of(0), 0, Args.MAX_WINDOW);
                boolean include = a.bool("count_include_pad", true);
                if (a.ok() && (p.h() > k.h() / 2 || p.w() > k.w() / 2)) {
                    a.fail(Code.BAD_VALUE, a.spanOf("padding"), "avgpool padding " + p + " must be at most half the kernel " + k,
                            new String[0]);
                }
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                long h = LayerMath.poolOut(in.height(), k.h(), s.h(), p.h());
                long w = LayerMath.poolOut(in.width(), k.w(), s.w(), p.w());
                if (h < 1 || w < 1) return doesNotFit(span, "avgpool with kernel " + k + ", padding " + p, in, h, w);
                return node(new Op.AvgPool(k, s, p, include), List.of(input.node()), shape(in.channels(), h, w, span), span);
            }
            case "dense": {
                Args a = Args.bind(name, span, args, List.of("out", "bias"), Set.of("out"), diagnostics);
                int out = (int) a.integer("out", 1, 1, Args.MAX_DIM);
                boolean bias = a.bool("bias", false);
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                if (!in.isFlat()) {
                    diagnostics.report(Code.SHAPE_MISMATCH, span, "dense needs a flat input [C], got " + in,
                            "insert `-> flatten` before it");
                    return Value.Poison.INSTANCE;
                }
                return node(new Op.Dense(out, bias), List.of(input.node()), Shape.flat(out), span);
            }
            case "flatten": {
                Args a = Args.bind(name, span, args, List.of(), Set.of(), diagnostics);
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                if (in.size() > Args.MAX_DIM) {
                    diagnostics.report(Code.TOO_LARGE, span, "flatten of " + in + " gives " + in.size()
                            + " features; the limit is " + Args.MAX_DIM);
                    return Value.Poison.INSTANCE;
                }
                return node(new Op.Flatten(), List.of(input.node()), Shape.flat((int) in.size()), span);
            }
            case "upsample": {
                Args a = Args.bind(name, span, args, List.of("size", "scale", "mode", "align_corners"), Set.of(), diagnostics);
                Pair size = a.pair("size", null, 1, Args.MAX_DIM);
                long scale = a.integer("scale", 0, 1, Args.MAX_WINDOW);
                String mode = a.symbol("mode", "bilinear", List.of("bilinear", "nearest"));
                boolean align = a.bool("align_corners", false);
                if (a.ok() && a.has("size") == a.has("scale")) {
                    a.fail(Code.MISSING_ARGUMENT, span, "upsample needs exactly one of 'size' and 'scale'",
                            new String[] {"write upsample(64) for a 64x64 output or upsample(scale: 2)"});
                }
                if (a.ok() && align && mode.equals("nearest")) {
                    a.fail(Code.BAD_VALUE, a.spanOf("align_corners"), "align_corners applies to bilinear upsampling only",
                            new String[0]);
                }
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                long h = size != null ? size.h() : in.height() * scale;
                long w = size != null ? size.w() : in.width() * scale;
                Op.Upsample.Mode m = mode.equals("nearest") ? Op.Upsample.Mode.NEAREST : Op.Upsample.Mode.BILINEAR;
                Shape out = shape(in.channels(), h, w, span);
                if (out == null) return Value.Poison.INSTANCE;
                return node(new Op.Upsample(out.height(), out.width(), m, align), List.of(input.node()), out, span);
            }
            case "bntt": {
                Args a = Args.bind(name, span, args, List.of("eps", "momentum", "shift"), Set.of(), diagnostics);
                double eps = a.number("eps", 1e-4, 0, true, 1);
                double momentum = a.number("momentum", 0.1, 0, false, 1);
                boolean shift = a.bool("shift", false);
                if (!a.ok() || in == null || timesteps < 1) return Value.Poison.INSTANCE;
                return node(new Op.Bntt(timesteps, eps, momentum, shift), List.of(input.node()), in, span);
            }
            case "batchnorm": {
                Args a = Args.bind(name, span, args, List.of("eps", "momentum", "affine"), Set.of(), diagnostics);
                double eps = a.number("eps", 1e-5, 0, true, 1);
                double momentum = a.number("momentum", 0.1, 0, false, 1);
                boolean affine = a.bool("affine", true);
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                return node(new Op.BatchNorm(eps, momentum, affine), List.of(input.node()), in, span);
            }
            case "accumulate": {
                Args a = Args.bind(name, span, args, List.of(), Set.of(), diagnostics);
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                return node(new Op.Accumulate(), List.of(input.node()), in, span);
            }
            default: { // sparse
                Args a = Args.bind(name, span, args, List.of("out", "fan_in", "seed"), Set.of("out", "fan_in"), diagnostics);
                int out = (int) a.integer("out", 1, 1, Args.MAX_DIM);
                long fanIn = a.integer("fan_in", 1, 1, Args.MAX_DIM);
                long seed = a.integer("seed", 0, 0, 1L << 53);
                if (!a.ok() || in == null) return Value.Poison.INSTANCE;
                if (fanIn > in.size()) {
                    diagnostics.report(Code.BAD_VALUE, a.spanOf("fan_in"), "fan_in " + fanIn + " exceeds the " + in.size()
                            + " elements of the input " + in);
                    return Value.Poison.INSTANCE;
                }
                return node(new Op.SparseProjection(out, (int) fanIn, seed), List.of(input.node()), Shape.flat(out), span);
            }
        }
    }

    private Value doesNotFit(Span span, String what, Shape in, long h, long w) {
        diagnostics.report(Code.SHAPE_MISMATCH, span, what + " does not fit input " + in + ": the output would be "
                + h + "x" + w, "use a smaller kernel or more padding, or apply it earlier");
        return Value.Poison.INSTANCE;
    }

    private Value add(Value piped, Ast.Call call, List<Value.ArgValue> args) {
        List<Value.Tensor> inputs = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        boolean ok = true;
        if (piped != null) {
            if (piped instanceof Value.Tensor t) {
                inputs.add(t);
                spans.add(call.span());
            } else {
                ok = false;
            }
        }
        for (Value.ArgValue a : args) {
            if (a.name() != null) {
                diagnostics.report(Code.UNKNOWN_ARGUMENT, a.span(), "add takes only values to sum, not '" + a.name() + "'");
                ok = false;
            } else if (a.value() instanceof Value.Tensor t) {
                inputs.add(t);
                spans.add(a.span());
            } else if (a.value() != Value.Poison.INSTANCE) {
                asTensorInputReport(a.value(), a.span());
                ok = false;
            } else {
                ok = false;
            }
        }
        if (!ok) return Value.Poison.INSTANCE;
        if (inputs.size() < 2) {
            diagnostics.report(Code.MISSING_ARGUMENT, call.span(), "add needs at least two values, got " + inputs.size(),
                    "write add(a, b) or a -> add(b)");
            return Value.Poison.INSTANCE;
        }
        Shape first = shapeOf(inputs.get(0));
        for (int i = 1; i < inputs.size(); i++) {
            Shape s = shapeOf(inputs.get(i));
            if (!s.equals(first)) {
                diagnostics.report(Code.SHAPE_MISMATCH, spans.get(i), "shape " + s + " cannot be added to " + first,
                        "make both the same shape, e.g. with upsample, avgpool or a 1x1 conv");
                return Value.Poison.INSTANCE;
            }
        }
        List<Integer> ids = new ArrayList<>();
        for (Value.Tensor t : inputs) ids.add(t.node());
        return node(new Op.Add(), ids, first, call.span());
    }

    private void asTensorInputReport(Value v, Span span) {
        if (v instanceof Value.Sym s) {
            diagnostics.report(Code.UNKNOWN_VALUE, span, "unknown value '" + s.name() + "'");
        } else {
            diagnostics.report(Code.WRONG_TYPE, span, "add sums tensors, got " + Args.describe(v));
        }
    }

    // ---------------------------------------------------------------- blocks, neurons, inputs

    private Value invokeBlock(Binding b, Value input, List<Value.ArgValue> args, Ast.Call call) {
        Ast.Block block = (Ast.Block) b.decl;
        if (activeBlocks.contains(block)) {
            diagnostics.report(Code.RECURSIVE_BLOCK, call.span(), "block '" + block.name() + "' uses itself",
                    "blocks expand in place; a block cannot contain itself");
            return Value.Poison.INSTANCE;
        }
        List<String> names = new ArrayList<>();
        Set<String> required = new HashSet<>();
        for (Ast.Param p : block.params()) {
            names.add(p.name());
            if (p.defaultValue() == null) required.add(p.name());
        }
        Args a = Args.bind(block.name(), call.span(), args, names, required, diagnostics);
        Scope scope = new Scope(b.scope, input);
        for (Ast.Param p : block.params()) {
            Value v;
            if (!BLOCK_PARAM_TYPES.contains(p.type())) {
                diagnostics.report(Code.WRONG_TYPE, p.typeSpan(), "unknown parameter type '" + p.type() + "'",
                        hint(Suggest.didYouMean(p.type(), BLOCK_PARAM_TYPES), "block parameters are "
                                + String.join(", ", BLOCK_PARAM_TYPES)));
                v = Value.Poison.INSTANCE;
            } else if (a.has(p.name())) {
                v = argument(p, a.raw(p.name()), a.spanOf(p.name()), scope);
            } else if (p.defaultValue() != null) {
                v = coerce(p, eval(p.defaultValue(), scope));
            } else {
                v = Value.Poison.INSTANCE; // missing: reported by bind
            }
            Binding pb = new Binding(Kind.PARAM, p.name(), p.span(), p, scope);
            pb.value = v;
            pb.state = State.DONE;
            pb.used = true;
            declare(scope, p.name(), pb);
        }
        activeBlocks.push(block);
        try {
            registerStatements(block.body(), scope, false);
            for (Ast.Stmt s : block.body()) {
                if (s instanceof Ast.Assign as) force(scope.entries.get(as.name()), null);
            }
            Value result;
            if (block.pipeForm() && block.result() instanceof Ast.Pipe p) {
                result = pipe(p, scope, input);
            } else if (block.pipeForm()) {
                result = headAsLayer(block.result(), scope, input);
            } else {
                result = settle(eval(block.result(), scope), block.result().span(), scope);
                if (!(result instanceof Value.Tensor) && result != Value.Poison.INSTANCE) {
                    diagnostics.report(Code.WRONG_TYPE, block.result().span(), "block '" + block.name()
                            + "' must return a tensor, got " + Args.describe(result));
                    result = Value.Poison.INSTANCE;
                }
            }
            return result;
        } finally {
            activeBlocks.pop();
        }
    }

    /** A block argument checked against its parameter's declared type. */
    private Value argument(Ast.Param p, Value v, Span span, Scope scope) {
        if (v == Value.Poison.INSTANCE) return v;
        if (v instanceof Value.Sym s && !p.type().equals("string")) {
            reportUnknownValue(s.name(), span, scope);
            return Value.Poison.INSTANCE;
        }
        if (!fits(p.type(), v)) {
            diagnostics.report(Code.WRONG_TYPE, span, "argument '" + p.name() + "' must be " + p.type() + ", got " + Args.describe(v));
            return Value.Poison.INSTANCE;
        }
        return p.type().equals("float") ? new Value.Num(((Value.Num) v).value(), false) : v;
    }

    private Value neuronDecl(Ast.Neuron n, Scope scope) {
        Ast.Call model = n.model();
        if (!NEURON_MODELS.contains(model.name())) {
            diagnostics.report(Code.UNKNOWN_LAYER, model.span(), "unknown neuron model '" + model.name() + "'",
                    hint(Suggest.didYouMean(model.name(), NEURON_MODELS), "the neuron models are LIF and IF"));
            return Value.Poison.INSTANCE;
        }
        Value v = neuronModel(model.name(), model.span(), evalArgs(model, scope));
        return v instanceof Value.Neuron neuron ? new Value.Neuron(n.name(), neuron.model()) : v;
    }

    private Value neuronModel(String kind, Span span, List<Value.ArgValue> args) {
        boolean lif = kind.equals("LIF");
        List<String> params = lif ? List.of("leak", "threshold", "reset", "surrogate", "detach_reset")
                : List.of("threshold", "reset", "surrogate", "detach_reset");
        Args a = Args.bind(kind, span, args, params, Set.of(), diagnostics);
        double leak = lif ? a.number("leak", 0.99, 0, false, 1) : 1.0;
        double threshold = a.number("threshold", 1.0, 0, true, 1e9);
        String reset = a.symbol("reset", "subtract", List.of("subtract", "zero"));
        Surrogate surrogate = surrogate(a);
        boolean detach = a.bool("detach_reset", true);
        if (!a.ok()) return Value.Poison.INSTANCE;
        NeuronModel.Reset r = reset.equals("zero") ? NeuronModel.Reset.ZERO : NeuronModel.Reset.SUBTRACT;
        return new Value.Neuron(kind, new NeuronModel(kind, leak, threshold, r, surrogate, detach));
    }

    private Surrogate surrogate(Args a) {
        Surrogate fallback = new Surrogate(Surrogate.Kind.TRIANGLE, 1.0, 0.0);
        if (!a.has("surrogate")) return fallback;
        Value v = a.raw("surrogate");
        Span span = a.spanOf("surrogate");
        if (v == Value.Poison.INSTANCE) return fallback;
        String name;
        List<Value.ArgValue> args;
        if (v instanceof Value.Sym s) {
            name = s.name();
            args = List.of();
        } else if (v instanceof Value.CallV c) {
            name = c.name();
            args = c.args();
            span = c.span();
        } else {
            a.fail(Code.WRONG_TYPE, span, "surrogate must be one of " + String.join(", ", SURROGATES) + ", got "
                    + Args.describe(v), new String[0]);
            return fallback;
        }
        if (!SURROGATES.contains(name)) {
            a.fail(Code.BAD_VALUE, span, "unknown surrogate '" + name + "'", hint(Suggest.didYouMean(name, SURROGATES),
                    "the surrogates are " + String.join(", ", SURROGATES)));
            return fallback;
        }
        Surrogate.Kind kind = switch (name) {
            case "triangle" -> Surrogate.Kind.TRIANGLE;
            case "fast_sigmoid" -> Surrogate.Kind.FAST_SIGMOID;
            default -> Surrogate.Kind.ATAN;
        };
        String shapeParam = switch (kind) {
            case TRIANGLE -> null;
            case FAST_SIGMOID -> "slope";
            case ATAN -> "alpha";
        };
        List<String> params = shapeParam == null ? List.of("scale") : List.of("scale", shapeParam);
        Args s = Args.bind(name, span, args, params, Set.of(), diagnostics);
        double scale = s.number("scale", 1.0, 0, true, 1e6);
        double shape = shapeParam == null ? 0.0 : s.number(shapeParam, kind == Surrogate.Kind.FAST_SIGMOID ? 25.0 : 2.0, 0, true, 1e6);
        if (!s.ok()) {
            a.fail(Code.BAD_VALUE, span, "see the surrogate's errors above", new String[0]);
            return fallback;
        }
        return new Surrogate(kind, scale, shape);
    }

    private Value input(Ast.Input in, Scope scope) {
        List<Long> dims = new ArrayList<>();
        boolean ok = true;
        for (Ast.Expr e : in.shape()) {
            Value v = eval(e, scope);
            if (v instanceof Value.Num n && n.integral() && n.value() >= 1 && n.value() <= Args.MAX_DIM) {
                dims.add((long) n.value());
            } else {
                if (v != Value.Poison.INSTANCE) {
                    if (v instanceof Value.Sym s) {
                        reportUnknownValue(s.name(), e.span(), scope);
                    } else {
                        diagnostics.report(Code.BAD_VALUE, e.span(), "a dimension of input '" + in.name()
                                + "' must be an integer in [1, " + Args.MAX_DIM + "], got " + Args.describe(v));
                    }
                }
                ok = false;
            }
        }
        if (ok && dims.size() != 1 && dims.size() != 3) {
            diagnostics.report(Code.SHAPE_MISMATCH, in.span(), "input '" + in.name() + "' has " + dims.size()
                    + " dimensions; inputs are [channels, height, width] or [features]");
            ok = false;
        }
        Encoding encoding = encoding(in, evalArgs(in.encoding(), scope), dims);
        if (!ok || encoding == null) return Value.Poison.INSTANCE;
        Shape shape = dims.size() == 1 ? Shape.flat(dims.get(0).intValue())
                : shape(dims.get(0), dims.get(1), dims.get(2), in.span());
        if (shape == null) return Value.Poison.INSTANCE;
        Value t = node(new Op.Input(encoding), List.of(), shape, in.span());
        if (t instanceof Value.Tensor tensor) nodes.get(tensor.node()).inputName = in.name();
        return t;
    }

    private Encoding encoding(Ast.Input in, List<Value.ArgValue> args, List<Long> dims) {
        Ast.Call call = in.encoding();
        if (!ENCODINGS.contains(call.name())) {
            diagnostics.report(Code.BAD_VALUE, call.span(), "unknown encoding '" + call.name() + "'",
                    hint(Suggest.didYouMean(call.name(), ENCODINGS), "the encodings are " + String.join(", ", ENCODINGS)));
            return null;
        }
        boolean events = call.name().equals("events");
        Args a = Args.bind(call.name(), call.span(), args, events ? List.of("polarity", "window_ms") : List.of(), Set.of(),
                diagnostics);
        int polarity = (int) a.integer("polarity", events ? 2 : 1, 1, Args.MAX_DIM);
        double window = a.number("window_ms", events ? 50.0 : 0.0, 0, true, 1e9);
        if (!a.ok()) return null;
        if (events && !dims.isEmpty() && dims.get(0) % polarity != 0) {
            diagnostics.report(Code.SHAPE_MISMATCH, call.span(), "events with " + polarity + " polarities need a channel count that is a multiple of "
                    + polarity + ", but input '" + in.name() + "' has " + dims.get(0) + " channels");
            return null;
        }
        Encoding.Kind kind = switch (call.name()) {
            case "poisson" -> Encoding.Kind.POISSON;
            case "signed_poisson" -> Encoding.Kind.SIGNED_POISSON;
            case "direct" -> Encoding.Kind.DIRECT;
            default -> Encoding.Kind.EVENTS;
        };
        return new Encoding(kind, polarity, window);
    }

    // ---------------------------------------------------------------- diagnostics helpers

    private void reportUnknownValue(String name, Span span, Scope scope) {
        Set<String> candidates = scope.visible(Set.of(Kind.VALUE, Kind.INPUT, Kind.PARAM));
        String[] help = Suggest.didYouMean(name, candidates);
        if (help.length == 0 && (LAYERS.contains(name) || scope.visible(Set.of(Kind.BLOCK, Kind.NEURON)).contains(name))) {
            help = new String[] {"'" + name + "' is a layer: apply it to a value with `x -> " + name + "`"};
        }
        diagnostics.report(Code.UNKNOWN_VALUE, span, "unknown value '" + name + "'", help);
    }

    private void reportUnknownLayer(String name, Span span, Scope scope) {
        Set<String> candidates = new TreeSet<>(LAYERS);
        candidates.addAll(NEURON_MODELS);
        candidates.addAll(scope.visible(Set.of(Kind.BLOCK, Kind.NEURON)));
        String[] help = Suggest.didYouMean(name, candidates);
        if (help.length == 0 && scope.visible(Set.of(Kind.VALUE, Kind.INPUT)).contains(name)) {
            help = new String[] {"'" + name + "' is a value: combine values with add(x, " + name + ")"};
        }
        diagnostics.report(Code.UNKNOWN_LAYER, span, "unknown layer '" + name + "'", help);
    }

    private void reportCallWithoutInput(String name, Span span, Scope scope) {
        Binding b = scope.lookup(name);
        boolean known = LAYERS.contains(name) || NEURON_MODELS.contains(name) || (b != null && (b.kind == Kind.BLOCK || b.kind == Kind.NEURON));
        if (known) {
            diagnostics.report(Code.MISSING_ARGUMENT, span, name + " needs an input", "write `x -> " + name + "(...)`");
        } else {
            reportUnknownLayer(name, span, scope);
        }
    }

    private static String[] hint(String[] suggestion, String fallback) {
        return suggestion.length > 0 ? suggestion : new String[] {fallback};
    }

    private static String clip(String s) {
        return s.length() > 24 ? s.substring(0, 21) + "..." : s;
    }

    // ---------------------------------------------------------------- building the IR

    /** A node under construction; names are given at the end, once unreachable nodes are pruned. */
    private static final class BNode {
        final Op op;
        final List<Integer> inputs;
        final Shape shape;
        final Span span;
        String value;
        String inputName;

        BNode(Op op, List<Integer> inputs, Shape shape, Span span) {
            this.op = op;
            this.inputs = inputs;
            this.shape = shape;
            this.span = span;
        }
    }

    private Shape shapeOf(Value.Tensor t) {
        return nodes.get(t.node()).shape;
    }

    /** A shape, or null after reporting when it exceeds the dimension or element limits. */
    private Shape shape(long c, long h, long w, Span span) {
        if (c > Args.MAX_DIM || h > Args.MAX_DIM || w > Args.MAX_DIM || c * h > MAX_ELEMENTS || c * h * w > MAX_ELEMENTS) {
            diagnostics.report(Code.TOO_LARGE, span, "tensor [" + c + "," + h + "," + w + "] is too large; each dimension may be at most "
                    + Args.MAX_DIM + " and a tensor at most " + MAX_ELEMENTS + " elements");
            return null;
        }
        return new Shape((int) c, (int) h, (int) w);
    }

    private Value node(Op op, List<Integer> inputs, Shape shape, Span span) {
        if (shape == null) return Value.Poison.INSTANCE;
        if (nodes.size() >= MAX_NODES) {
            diagnostics.report(Code.TOO_LARGE, span, "the network expands to more than " + MAX_NODES + " layers",
                    "check blocks that call other blocks many times");
            throw new TooLarge();
        }
        nodes.add(new BNode(op, List.copyOf(inputs), shape, span));
        return new Value.Tensor(nodes.size() - 1);
    }

    private void label(int node, String name) {
        BNode n = nodes.get(node);
        if (n.value == null && n.inputName == null) n.value = name;
    }

    private SpikingIr build(String network, Map<String, Object> params, List<String> outputNames, List<int[]> outputNodes,
            List<SpikingIr.SourceRef> sources) {
        boolean[] live = new boolean[nodes.size()];
        Deque<Integer> work = new ArrayDeque<>();
        for (int[] o : outputNodes) work.push(o[0]);
        while (!work.isEmpty()) {
            int id = work.pop();
            if (live[id]) continue;
            live[id] = true;
            for (int in : nodes.get(id).inputs) work.push(in);
        }
        int[] newId = new int[nodes.size()];
        Set<String> taken = new HashSet<>();
        for (BNode n : nodes) {
            if (n.inputName != null) taken.add(n.inputName);
        }
        Map<String, Integer> counters = new HashMap<>();
        List<Node> result = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!live[i]) continue;
            BNode n = nodes.get(i);
            newId[i] = result.size();
            List<Integer> ins = new ArrayList<>();
            for (int in : n.inputs) ins.add(newId[in]);
            String name = n.inputName;
            if (name == null) {
                String keyword = n.op.keyword();
                do {
                    name = keyword + counters.merge(keyword, 1, Integer::sum);
                } while (taken.contains(name));
            }
            Shape in = n.inputs.isEmpty() ? n.shape : nodes.get(n.inputs.get(0)).shape;
            long[] sm;
            try {
                sm = LayerMath.synapsesAndMacs(n.op, in, n.shape);
            } catch (ArithmeticException e) {
                diagnostics.report(Code.TOO_LARGE, n.span, "layer " + name + " has more synapses than can be counted");
                sm = new long[] {0, 0};
            }
            Origin origin = new Origin(n.span.source().displayName(), n.span.line(), n.span.column());
            result.add(new Node(result.size(), name, n.op, ins, n.shape, LayerMath.neurons(n.op, n.shape), sm[0], sm[1],
                    n.value, origin));
        }
        List<SpikingIr.OutputRef> outs = new ArrayList<>();
        for (int i = 0; i < outputNames.size(); i++) {
            outs.add(new SpikingIr.OutputRef(outputNames.get(i), newId[outputNodes.get(i)[0]]));
        }
        return new SpikingIr(network, params, Math.max(timesteps, 1), result, outs, sources);
    }
}
