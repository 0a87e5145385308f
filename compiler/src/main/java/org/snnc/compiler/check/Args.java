package org.snnc.compiler.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snnc.compiler.diag.Code;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.Span;
import org.snnc.compiler.diag.Suggest;
import org.snnc.compiler.ir.Pair;

/**
 * The arguments of one call, bound to a signature (positional in declared order, then by name),
 * with typed getters that check ranges. Every problem is reported and a usable default returned,
 * so that elaboration goes on and finds the next problem too; {@link #ok()} says whether all was well.
 */
final class Args {

    /** Largest channel count or spatial size accepted; far above any chip and safe from overflow. */
    static final long MAX_DIM = 1L << 24;
    /** Largest kernel, stride, padding or dilation accepted. */
    static final long MAX_WINDOW = 1L << 12;

    private final String callee;
    private final Span callSpan;
    private final Diagnostics diagnostics;
    private final Map<String, Value.ArgValue> bound = new HashMap<>();
    private boolean ok = true;

    private Args(String callee, Span callSpan, Diagnostics diagnostics) {
        this.callee = callee;
        this.callSpan = callSpan;
        this.diagnostics = diagnostics;
    }

    static Args bind(String callee, Span callSpan, List<Value.ArgValue> args, List<String> params, Set<String> required,
            Diagnostics diagnostics) {
        Args a = new Args(callee, callSpan, diagnostics);
        Set<String> misspelt = new java.util.HashSet<>();
        int position = 0;
        for (Value.ArgValue arg : args) {
            if (arg.value() == Value.Poison.INSTANCE) a.ok = false;
            String name = arg.name();
            if (name == null) {
                if (position >= params.size()) {
                    a.fail(Code.TOO_MANY_ARGUMENTS, arg.span(), callee + " takes " + count(params.size())
                            + (params.isEmpty() ? "" : " (" + String.join(", ", params) + ")") + ", got more", new String[0]);
                    continue;
                }
                name = params.get(position++);
            } else if (!params.contains(name)) {
                String[] help = Suggest.didYouMean(name, params);
                Suggest.closest(name, params).ifPresent(misspelt::add);
                if (help.length == 0 && !params.isEmpty()) {
                    help = new String[] {callee + " takes " + String.join(", ", params)};
                }
                a.fail(Code.UNKNOWN_ARGUMENT, arg.span(), callee + " has no argument '" + name + "'", help);
                continue;
            }
            if (a.bound.containsKey(name)) {
                a.fail(Code.DUPLICATE_ARGUMENT, arg.span(), "argument '" + name + "' of " + callee + " is given twice",
                        new String[0]);
                continue;
            }
            a.bound.put(name, new Value.ArgValue(name, arg.value(), arg.span()));
        }
        for (String r : params) {
            // A misspelt required argument is one mistake, already reported as unknown.
            if (required.contains(r) && !a.bound.containsKey(r) && !misspelt.contains(r)) {
                a.fail(Code.MISSING_ARGUMENT, callSpan, callee + " needs argument '" + r + "'",
                        new String[] {"write " + callee + "(" + r + ": ...)"});
            }
        }
        return a;
    }

    private static String count(int n) {
        return n == 0 ? "no arguments" : n == 1 ? "1 argument" : n + " arguments";
    }

    boolean ok() {
        return ok;
    }

    boolean has(String name) {
        return bound.containsKey(name);
    }

    Value raw(String name) {
        Value.ArgValue a = bound.get(name);
        return a == null ? null : a.value();
    }

    Span spanOf(String name) {
        Value.ArgValue a = bound.get(name);
        return a == null ? callSpan : a.span();
    }

    void fail(Code code, Span span, String message, String[] help) {
        ok = false;
        diagnostics.report(code, span, message, help);
    }

    /** An integer in [min, max], or {@code fallback} when absent. */
    long integer(String name, long fallback, long min, long max) {
        Value.ArgValue a = bound.get(name);
        if (a == null) return fallback;
        Long x = element(name, a.value(), a.span(), min, max, "an integer");
        return x == null ? fallback : x;
    }

    /** An integer or a two-element list {@code [h, w]} of integers in [min, max]. */
    Pair pair(String name, Pair fallback, long min, long max) {
        Value.ArgValue a = bound.get(name);
        if (a == null) return fallback;
        Value v = a.value();
        if (v == Value.Poison.INSTANCE) return fallback;
        if (v instanceof Value.ListV list) {
            if (list.elements().size() != 2) {
                fail(Code.WRONG_TYPE, a.span(), "argument '" + name + "' of " + callee
                        + " must be an integer or a list [height, width], got a list of " + list.elements().size(), new String[0]);
                return fallback;
            }
            Long h = element(name, list.elements().get(0), a.span(), min, max, PER_AXIS);
            Long w = element(name, list.elements().get(1), a.span(), min, max, PER_AXIS);
            return h == null || w == null ? fallback : new Pair(h.intValue(), w.intValue());
        }
        Long x = element(name, v, a.span(), min, max, PER_AXIS);
        return x == null ? fallback : Pair.of(x.intValue());
    }

    private static final String PER_AXIS = "an integer or a list [height, width]";

    /** One integer in [min, max], or null after reporting; {@code expected} names the argument's type. */
    private Long element(String name, Value v, Span span, long min, long max, String expected) {
        if (v == Value.Poison.INSTANCE) {
            ok = false;
            return null;
        }
        if (!(v instanceof Value.Num n) || !n.integral()) {
            fail(Code.WRONG_TYPE, span, "argument '" + name + "' of " + callee + " must be " + expected + ", got "
                    + describe(v), help(v));
            return null;
        }
        long x = (long) n.value();
        if (x < min || x > max) {
            fail(Code.BAD_VALUE, span, "argument '" + name + "' of " + callee + " must be " + range(min, max)
                    + ", got " + x, new String[0]);
            return null;
        }
        return x;
    }

    /** A number in the interval; {@code openLow} excludes {@code low} itself. */
    double number(String name, double fallback, double low, boolean openLow, double high) {
        Value.ArgValue a = bound.get(name);
        if (a == null) return fallback;
        Value v = a.value();
        if (v == Value.Poison.INSTANCE) return fallback;
        if (!(v instanceof Value.Num n)) {
            fail(Code.WRONG_TYPE, a.span(), "argument '" + name + "' of " + callee + " must be a number, got "
                    + describe(v), help(v));
            return fallback;
        }
        double x = n.value();
        if (x < low || (openLow && x == low) || x > high || Double.isNaN(x)) {
            String interval = (openLow ? "(" : "[") + fmt(low) + ", " + (high >= 1e9 ? "inf)" : fmt(high) + "]");
            fail(Code.BAD_VALUE, a.span(), "argument '" + name + "' of " + callee + " must be in " + interval
                    + ", got " + n, new String[0]);
            return fallback;
        }
        return x;
    }

    boolean bool(String name, boolean fallback) {
        Value.ArgValue a = bound.get(name);
        if (a == null) return fallback;
        Value v = a.value();
        if (v == Value.Poison.INSTANCE) return fallback;
        if (!(v instanceof Value.Bool b)) {
            fail(Code.WRONG_TYPE, a.span(), "argument '" + name + "' of " + callee + " must be true or false, got "
                    + describe(v), help(v));
            return fallback;
        }
        return b.value();
    }

    /** One of {@code allowed}, written as a bare name ({@code reset: subtract}). */
    String symbol(String name, String fallback, List<String> allowed) {
        Value.ArgValue a = bound.get(name);
        if (a == null) return fallback;
        Value v = a.value();
        if (v == Value.Poison.INSTANCE) return fallback;
        String given = v instanceof Value.Sym s ? s.name() : v instanceof Value.Str s ? s.value() : null;
        if (given == null || !allowed.contains(given)) {
            String[] help = given == null ? new String[0] : Suggest.didYouMean(given, allowed);
            fail(given == null ? Code.WRONG_TYPE : Code.BAD_VALUE, a.span(), "argument '" + name + "' of " + callee
                    + " must be one of " + String.join(", ", allowed) + ", got " + (given == null ? describe(v) : "'" + given + "'"),
                    help);
            return fallback;
        }
        return given;
    }

    static String describe(Value v) {
        if (v instanceof Value.Num n) return n.toString();
        if (v instanceof Value.Bool b) return b.toString();
        return v.kind();
    }

    /** For a bare name meant as a value, or a fraction where a whole number belongs: what to do. */
    private static String[] help(Value v) {
        if (v instanceof Value.Sym s) return new String[] {"'" + s.name() + "' is not defined here"};
        if (v instanceof Value.Num n && !n.integral()) return new String[] {"round it with round(...), floor(...) or ceil(...)"};
        return new String[0];
    }

    private static String range(long min, long max) {
        if (max >= MAX_DIM && min == 1) return "a positive integer (at most " + max + ")";
        if (max >= MAX_DIM && min == 0) return "a non-negative integer (at most " + max + ")";
        return "an integer in [" + min + ", " + max + "]";
    }

    static String fmt(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
