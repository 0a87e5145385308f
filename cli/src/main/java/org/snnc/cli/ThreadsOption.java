package org.snnc.cli;

import picocli.CommandLine.Option;

/** {@code --threads N}: host threads for kernels or simulator cores; all processors by default. */
public final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N", description = "Host threads (default: available processors).")
    Integer threads;

    /** The thread count to use; a count below 1 is a user error, not a crash in the thread pool. */
    int count() {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) throw new UserError("--threads " + n + " is not positive");
        return n;
    }
}
