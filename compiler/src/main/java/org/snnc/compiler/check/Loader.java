package org.snnc.compiler.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snnc.compiler.diag.Code;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.SourceFile;
import org.snnc.compiler.diag.Span;
import org.snnc.compiler.diag.Suggest;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.syntax.Ast;
import org.snnc.compiler.syntax.SourceParser;

/**
 * Reads a main file and, transitively, every file it imports (paths relative to the importing
 * file), each once. Import cycles and missing files are located errors at the import.
 */
public final class Loader {

    /** Larger files are refused before reading: no network description comes near this. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private final Diagnostics diagnostics;
    private final Map<Path, Ast.File> loaded = new LinkedHashMap<>();
    private final Map<Path, String> hashes = new LinkedHashMap<>();
    private final List<Path> stack = new ArrayList<>();

    private Loader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The parsed files, the main file first, or empty when the main file could not be read or parsed. */
    public static Optional<Program> load(Path file, String displayName, Diagnostics diagnostics) {
        Loader loader = new Loader(diagnostics);
        Path key = file.toAbsolutePath().normalize();
        Optional<SourceFile> source = loader.read(key, displayName, null);
        if (source.isEmpty()) return Optional.empty();
        Optional<Ast.File> main = loader.parseWithImports(key, source.get());
        return main.map(m -> loader.program());
    }

    /** Parses text that did not come from a file (tests, `fmt` of stdin); imports resolve from cwd. */
    public static Optional<Program> loadText(String displayName, String text, Diagnostics diagnostics) {
        Loader loader = new Loader(diagnostics);
        Path key = Path.of(displayName).toAbsolutePath().normalize();
        loader.hashes.put(key, sha256(text.getBytes(StandardCharsets.UTF_8)));
        Optional<Ast.File> main = loader.parseWithImports(key, new SourceFile(displayName, key, text));
        return main.map(m -> loader.program());
    }

    /**
     * Reads one source file as strict UTF-8 (a leading BOM dropped), without parsing it or
     * following its imports: for tools that need only the file's own text, like {@code snnc fmt}.
     * A missing, unreadable, oversized, non-UTF-8 or directory path is reported and gives empty.
     */
    public static Optional<SourceFile> readSource(Path file, String displayName, Diagnostics diagnostics) {
        return new Loader(diagnostics).read(file.toAbsolutePath().normalize(), displayName, null);
    }

    private Program program() {
        List<Ast.File> files = new ArrayList<>(loaded.values());
        List<SpikingIr.SourceRef> refs = new ArrayList<>();
        for (Ast.File f : files) {
            refs.add(new SpikingIr.SourceRef(f.source().displayName(), hashes.get(f.source().path())));
        }
        return new Program(files.get(0), files, refs);
    }

    private Optional<Ast.File> parseWithImports(Path key, SourceFile source) {
        stack.add(key);
        Optional<Ast.File> parsed = SourceParser.parse(source, diagnostics);
        parsed.ifPresent(f -> {
            loaded.put(key, f);
            for (Ast.Item item : f.items()) {
                if (item instanceof Ast.Import imp) follow(key, imp);
            }
        });
        stack.remove(stack.size() - 1);
        return parsed;
    }

    private void follow(Path from, Ast.Import imp) {
        Path dir = from.getParent() == null ? Path.of(".") : from.getParent();
        Path target;
        try {
            target = dir.resolve(imp.path()).toAbsolutePath().normalize();
        } catch (RuntimeException e) { // InvalidPathException: NUL or other bytes the OS refuses
            diagnostics.report(Code.IMPORT_NOT_FOUND, imp.span(), "'" + imp.path() + "' is not a valid path");
            return;
        }
        if (stack.contains(target)) {
            StringBuilder cycle = new StringBuilder();
            for (Path p : stack.subList(stack.indexOf(target), stack.size())) {
                cycle.append(p.getFileName()).append(" -> ");
            }
            cycle.append(target.getFileName());
            diagnostics.report(Code.IMPORT_CYCLE, imp.span(), "import cycle: " + cycle,
                    "move the shared blocks into a file that imports neither");
            return;
        }
        if (loaded.containsKey(target)) return;
        String display = imp.span().source().displayName();
        Path displayDir = Path.of(display).getParent();
        String targetDisplay = displayDir == null ? imp.path() : displayDir.resolve(imp.path()).normalize().toString();
        Optional<SourceFile> source = read(target, targetDisplay, imp);
        source.ifPresent(s -> parseWithImports(target, s));
    }

    private Optional<SourceFile> read(Path path, String displayName, Ast.Import at) {
        Span where = at == null ? null : at.span();
        try {
            if (Files.isDirectory(path)) {
                problem(where, displayName, displayName + " is a directory, not a .snn file");
                return Optional.empty();
            }
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                problem(where, displayName, displayName + " is " + size + " bytes; the limit for a source file is "
                        + MAX_FILE_BYTES);
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(path);
            hashes.put(path, sha256(bytes));
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                if (text.startsWith("\uFEFF")) text = text.substring(1);
                return Optional.of(new SourceFile(displayName, path, text));
            } catch (CharacterCodingException e) {
                // Decode leniently only to point at the first bad byte with a line and column.
                String lenient = new String(bytes, StandardCharsets.UTF_8);
                SourceFile source = new SourceFile(displayName, path, lenient);
                int bad = lenient.indexOf('\uFFFD');
                int line = 1;
                int col = 1;
                for (int i = 0; i < Math.max(0, bad); i++) {
                    if (lenient.charAt(i) == '\n') {
                        line++;
                        col = 1;
                    } else {
                        col++;
                    }
                }
                diagnostics.report(Code.NOT_TEXT, new Span(source, line, col, 1),
                        "this file is not UTF-8 text", "save it as UTF-8; .snn sources are text files");
                return Optional.empty();
            }
        } catch (NoSuchFileException e) {
            String[] help = similarFile(path);
            if (where != null) {
                diagnostics.report(Code.IMPORT_NOT_FOUND, where, "cannot find '" + displayName + "'", help);
            } else {
                problem(null, displayName, "cannot find '" + displayName + "'", help);
            }
            return Optional.empty();
        } catch (IOException e) {
            problem(where, displayName, "cannot read " + displayName + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void problem(Span where, String displayName, String message, String... help) {
        Span span = where != null ? where : Span.startOf(new SourceFile(displayName, null, ""));
        diagnostics.report(where != null ? Code.IMPORT_NOT_FOUND : Code.IO, span, message, help);
    }

    private static String[] similarFile(Path path) {
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) return new String[0];
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snn")).toList();
            return Suggest.didYouMean(path.getFileName().toString(), names);
        } catch (IOException e) {
            return new String[0];
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    /** The main file and everything it imports, in load order. */
    public record Program(Ast.File main, List<Ast.File> files, List<SpikingIr.SourceRef> sources) {
        public Program {
            files = List.copyOf(files);
            sources = List.copyOf(sources);
        }
    }
}
