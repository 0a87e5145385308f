package org.snnc.compiler.diag;

/**
 * Every diagnostic the front end can emit, with a stable number. Numbers are never reused: scripts
 * and the golden tests key on them. 0xx are lexical and syntactic, 1xx semantic.
 */
public enum Code {
    SYNTAX(1, Severity.ERROR),
    BAD_CHARACTER(2, Severity.ERROR),
    TOO_DEEP(3, Severity.ERROR),
    NOT_TEXT(4, Severity.ERROR),
    BAD_NUMBER(5, Severity.ERROR),
    UNTERMINATED(6, Severity.ERROR),

    UNKNOWN_VALUE(101, Severity.ERROR),
    UNKNOWN_LAYER(102, Severity.ERROR),
    DUPLICATE(103, Severity.ERROR),
    UNKNOWN_ARGUMENT(104, Severity.ERROR),
    MISSING_ARGUMENT(105, Severity.ERROR),
    WRONG_TYPE(106, Severity.ERROR),
    BAD_VALUE(107, Severity.ERROR),
    SHAPE_MISMATCH(108, Severity.ERROR),
    CYCLE(109, Severity.ERROR),
    NO_OUTPUT(110, Severity.ERROR),
    UNUSED(111, Severity.WARNING),
    IMPORT_CYCLE(112, Severity.ERROR),
    IMPORT_NOT_FOUND(113, Severity.ERROR),
    DUPLICATE_ARGUMENT(114, Severity.ERROR),
    TOO_MANY_ARGUMENTS(115, Severity.ERROR),
    RECURSIVE_BLOCK(116, Severity.ERROR),
    TIMESTEPS(117, Severity.ERROR),
    NO_NETWORK(118, Severity.ERROR),
    UNKNOWN_PARAMETER(119, Severity.ERROR),
    BAD_PARAMETER(120, Severity.ERROR),
    INPUT_OUTSIDE_BLOCK(121, Severity.ERROR),
    TOO_LARGE(122, Severity.ERROR),
    ARITHMETIC(123, Severity.ERROR),
    SEVERAL_NETWORKS(124, Severity.ERROR),
    NOT_A_LAYER(125, Severity.ERROR),
    IO(126, Severity.ERROR),
    MISPLACED(127, Severity.ERROR);

    private final int number;
    private final Severity severity;

    Code(int number, Severity severity) {
        this.number = number;
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    /** The stable identifier printed in brackets, e.g. {@code SNN102}. */
    public String id() {
        return String.format("SNN%03d", number);
    }
}
