package org.snnc.compiler.check;

import java.util.List;
import org.snnc.compiler.diag.Span;
import org.snnc.compiler.ir.NeuronModel;

/** What an expression evaluates to during elaboration. */
sealed interface Value {

    /** A human name of the value's kind, for "expected X, got Y" messages. */
    String kind();

    /** A number; integers are exact up to 2^53, which bounds every size the language needs. */
    record Num(double value, boolean integral) implements Value {
        public String kind() {
            return integral ? "an integer" : "a number";
        }

        @Override
        public String toString() {
            return integral ? Long.toString((long) value) : Double.toString(value);
        }
    }

    record Bool(boolean value) implements Value {
        public String kind() {
            return "a boolean";
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record Str(String value) implements Value {
        public String kind() {
            return "a string";
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    /** A bare name that is bound to nothing: a keyword argument such as {@code reset: subtract}. */
    record Sym(String name, Span span) implements Value {
        public String kind() {
            return "the name '" + name + "'";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record ListV(List<Value> elements) implements Value {
        public String kind() {
            return "a list";
        }

        @Override
        public String toString() {
            return elements.toString();
        }
    }

    /** A call used as an argument, e.g. {@code surrogate: triangle(scale: 0.3)}; interpreted by its receiver. */
    record CallV(String name, List<ArgValue> args, Span span) implements Value {
        public String kind() {
            return "the call '" + name + "(...)'";
        }
    }

    record ArgValue(String name, Value value, Span span) {
    }

    /** The output of IR builder node {@code node}. */
    record Tensor(int node) implements Value {
        public String kind() {
            return "a tensor";
        }
    }

    record Neuron(String name, NeuronModel model) implements Value {
        public String kind() {
            return "a neuron";
        }
    }

    /** The result of an expression that already produced an error; absorbs further checks. */
    enum Poison implements Value {
        INSTANCE;

        public String kind() {
            return "an erroneous value";
        }
    }
}
