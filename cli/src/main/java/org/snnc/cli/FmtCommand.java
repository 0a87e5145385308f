package org.snnc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.snnc.compiler.check.Loader;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.io.AtomicFile;
import org.snnc.compiler.syntax.Ast;
import org.snnc.compiler.syntax.Formatter;
import org.snnc.compiler.syntax.SourceParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = {"Print .snn files in canonical layout; several files each after a '// ==> FILE <=='.",
                "Only each file's own syntax matters; imports are not read.",
                "A file with syntax errors is reported and never rewritten.",
                "Exit code 1 when a file has errors or, with --check, is not in canonical layout."})
final class FmtCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .snn files to format.")
    List<Path> files;

    @Option(names = "--write", description = "Rewrite in place (atomically) each file whose layout changes, "
            + "reporting 'formatted FILE' on stderr.")
    boolean write;

    @Option(names = "--check", description = "Change nothing; print the files not in canonical layout.")
    boolean check;

    @Override
    public Integer call() {
        if (write && check) {
            throw new ParameterException(spec.commandLine(), "--write and --check cannot be used together");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean failed = false;
        for (Path file : files) {
            String name = file.toString();
            Diagnostics diagnostics = new Diagnostics();
            Optional<Ast.File> tree = Loader.readSource(file, name, diagnostics)
                    .flatMap(source -> SourceParser.parse(source, diagnostics));
            DiagnosticPrinter.print(diagnostics, err);
            if (tree.isEmpty() || diagnostics.hasErrors()) {
                failed = true;
                continue;
            }
            String text = tree.get().source().text();
            String formatted = Formatter.format(tree.get());
            boolean changed = !formatted.equals(text);
            if (check) {
                if (changed) {
                    out.println(name);
                    failed = true;
                }
            } else if (write) {
                if (changed) {
                    try {
                        replace(file, formatted);
                        err.println("formatted " + name);
                    } catch (IOException e) {
                        err.println("snnc: error: cannot write " + name + ": " + e.getMessage());
                        failed = true;
                    }
                }
            } else {
                if (files.size() > 1) out.println("// ==> " + name + " <==");
                out.print(formatted);
            }
        }
        out.flush();
        err.flush();
        return failed ? ExitCodes.USER_ERROR : ExitCodes.OK;
    }

    /**
     * Replaces the file's content so that a reader, or a crash, sees the old text or the new one and
     * never a mix: the new text goes to a temporary file in the same directory (a rename across
     * file systems would not be atomic), is forced to disk, then renamed over the file ({@link AtomicFile}).
     */
    static void replace(Path file, String text) throws IOException {
        // A symbolic link stays a link: its target is what gets rewritten.
        Path target = file.toRealPath();
        AtomicFile.write(target, temp -> {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            copyPermissions(target, temp);
        });
    }

    /** The source keeps its mode (it may differ from the directory's default a new file gets). */
    private static void copyPermissions(Path from, Path to) throws IOException {
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the rewritten file has the directory's default access.
        }
    }
}
