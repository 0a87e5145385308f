package org.snnc.cli;

/** A problem with the user's input, already explained by its message; exit code 1, no stack trace. */
public final class UserError extends RuntimeException {

    public UserError(String message) {
        super(message, null, false, false);
    }
}
