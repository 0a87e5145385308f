package org.snnc.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;

/** The {@code snnc} entry point: runs the command on a thread with room for deep inputs, exits with its code. */
public final class Main {

    /**
     * The front end recurses over expressions; a generous stack turns "stack overflow" on absurd
     * inputs into a located diagnostic instead of a crash. Only address space is reserved.
     */
    private static final long STACK_BYTES = 1L << 30;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = runWithLargeStack(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** {@link Snnc#run} on a thread with a large stack, as the real command runs; tests use it too. */
    public static int runWithLargeStack(String[] args, PrintWriter out, PrintWriter err) throws InterruptedException {
        int[] code = {ExitCodes.INTERNAL};
        Thread worker = new Thread(null, () -> code[0] = Snnc.run(args, out, err), "snnc", STACK_BYTES);
        worker.start();
        worker.join();
        return code[0];
    }
}
