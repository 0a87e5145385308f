package org.snnc.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command; {@link #run} is the one factory tests call with their own writers. */
@Command(name = "snnc",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Neuromorphic compiler and simulator: .snn networks to spiking IR, trained weights, chips and energy.",
        subcommands = {CheckCommand.class, FmtCommand.class, CompileCommand.class, TrainCommand.class, EvalCommand.class,
                PredictCommand.class, EnergyCommand.class, SimCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Snnc implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Runs one command line; output goes to {@code out}, diagnostics to {@code err}. Never throws. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Snnc());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError) {
                commandLine.getErr().println("snnc: error: " + e.getMessage());
                return ExitCodes.USER_ERROR;
            }
            commandLine.getErr().println("snnc: internal error: " + e);
            if (System.getenv("SNNC_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("This is a bug in snnc. Rerun with SNNC_DEBUG=1 for the stack trace and report it.");
            }
            return ExitCodes.INTERNAL;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("snnc: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr())) {
                c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            }
            return ExitCodes.USAGE;
        });
        try {
            int code = cli.execute(args);
            out.flush();
            err.flush();
            return code;
        } catch (StackOverflowError | OutOfMemoryError e) {
            err.println("snnc: error: the input is too large or too deeply nested to process (" + e.getClass().getSimpleName() + ")");
            err.flush();
            return ExitCodes.USER_ERROR;
        }
    }
}
