package org.snnc.compiler.program;

/** A network that cannot be built into a program for a target; the message names the layer and the limit. */
public final class ProgramBuildException extends RuntimeException {

    public ProgramBuildException(String message) {
        super(message, null, false, false);
    }
}
