package org.snnc.cli;

/** DESIGN.md §7: the exit codes scripts rely on. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad input: a source, data or option value the user can fix. */
    public static final int USER_ERROR = 1;
    /** The command line itself is malformed. */
    public static final int USAGE = 2;
    /** A bug in snnc. */
    public static final int INTERNAL = 3;

    private ExitCodes() {
    }
}
