package org.snnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "fmt", mixinStandardHelpOptions = true, description = "Print .snn files in canonical layout.")
final class FmtCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("fmt is being written");
    }
}
