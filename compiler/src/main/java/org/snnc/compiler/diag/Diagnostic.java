package org.snnc.compiler.diag;

import java.util.List;

/**
 * One message to the user about their source.
 *
 * @param code    what kind of problem, with its stable number
 * @param span    where; never null (file-level problems point at 1:1)
 * @param message what is wrong, naming the offending values
 * @param help    what to do about it ("did you mean 'conv'?"), one line each; may be empty
 */
public record Diagnostic(Code code, Span span, String message, List<String> help) {

    public Diagnostic {
        help = List.copyOf(help);
    }

    public Severity severity() {
        return code.severity();
    }

    public boolean isError() {
        return code.severity() == Severity.ERROR;
    }
}
