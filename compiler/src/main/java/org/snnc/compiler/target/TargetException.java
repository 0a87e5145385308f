package org.snnc.compiler.target;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem found in one target description, reported together so that a user fixes them
 * in one round rather than one per run.
 */
public final class TargetException extends RuntimeException {

    private final List<TargetError> errors;

    public TargetException(List<TargetError> errors) {
        super(render(errors), null, false, false);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a TargetException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<TargetError> errors() {
        return errors;
    }

    /** All errors, one {@link TargetError#render()} after another, newline-separated. */
    public String render() {
        return getMessage();
    }

    private static String render(List<TargetError> errors) {
        return errors.stream().map(TargetError::render).collect(Collectors.joining("\n"));
    }
}
