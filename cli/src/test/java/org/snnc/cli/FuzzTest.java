package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.SourceFile;
import org.snnc.compiler.syntax.Ast;
import org.snnc.compiler.syntax.Formatter;
import org.snnc.compiler.syntax.SourceParser;
import org.snnc.grammar.SnnLexer;

/**
 * Thousands of random mutations of the examples (token deletions, duplications, swaps,
 * truncations, stray bytes) and a set of pathological inputs, each through {@code snnc check}:
 * the exit code is 0 or 1, never a crash, and every failure is explained by at least one located
 * diagnostic; every mutant that checks clean also survives {@code snnc fmt} unchanged in meaning.
 * The seed is fixed, so a failure reproduces; the failing input is printed.
 */
class FuzzTest {

    static final int MUTATIONS_PER_FILE = 600;
    static final Pattern LOCATED = Pattern.compile("(?m)^\\S+:\\d+:\\d+: error\\[SNN\\d{3}\\]: .+$");

    @TempDir
    static Path work;

    static List<Path> examples = new ArrayList<>();

    @BeforeAll
    static void copyExamples() throws IOException {
        Path src = Path.of("../examples");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".snn") && !p.toString().contains("src")).toList()) {
                Path dest = work.resolve(src.relativize(p).toString());
                Files.createDirectories(dest.getParent());
                Files.copy(p, dest);
                if (dest.getParent().equals(work)) examples.add(dest);
            }
        }
        examples.sort(null);
        assertTrue(examples.size() >= 6, "examples found: " + examples);
    }

    @Test
    void mutatedExamplesNeverCrash() throws IOException {
        SplittableRandom random = new SplittableRandom(20261127);
        int runs = 0;
        int survivors = 0;
        for (Path file : examples) {
            String original = Files.readString(file);
            List<Token> tokens = tokens(original);
            Path mutant = file.resolveSibling("mutant.snn");
            for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
                String text = mutate(original, tokens, random);
                Files.writeString(mutant, text, StandardCharsets.UTF_8);
                CliRun run = CliRun.of("check", mutant.toString());
                runs++;
                assertWellBehaved(run, text);
                if (run.exitCode() == 0) {
                    survivors++;
                    assertFormatPreservesTheProgram(text);
                }
            }
            Files.delete(mutant);
        }
        assertTrue(runs >= 3000, "runs: " + runs);
        assertTrue(survivors > 0 && survivors < runs, "survivors: " + survivors + " of " + runs);
    }

    @Test
    void pathologicalInputsNeverCrashOrHang() throws IOException {
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(new byte[0]);
        inputs.add("\n\n   \t\n".getBytes(StandardCharsets.UTF_8));
        byte[] binary = new byte[4096];
        new SplittableRandom(7).nextBytes(binary);
        inputs.add(binary);
        String deeplab = Files.readString(work.resolve("deeplab.snn"));
        for (int cut = 1; cut < deeplab.length(); cut += 97) {
            inputs.add(deeplab.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        }
        inputs.add(("network N(T: int = 2) { timesteps " + "(".repeat(10_000) + "T" + ")".repeat(10_000) + " }").getBytes(StandardCharsets.UTF_8));
        inputs.add(("network N(T: int = 2) { x = " + "[".repeat(10_000) + " }").getBytes(StandardCharsets.UTF_8));
        inputs.add(("network N(T: int = 2) { timesteps " + "- ".repeat(10_000) + "T }").getBytes(StandardCharsets.UTF_8));
        inputs.add(("network N(T: int = 2) { timesteps T " + "{ ".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
        inputs.add(("network N(T: int = 2) { timesteps T\n input x: [4] encode poisson\n output y = x"
                + " -> LIF".repeat(10_000) + "\n}").getBytes(StandardCharsets.UTF_8));
        inputs.add(("network N(T: int = 2) { timesteps 1" + " + 1".repeat(10_000) + " }").getBytes(StandardCharsets.UTF_8));
        // A block expanding to 2^40 layers must stop at the node limit, not run for ever.
        StringBuilder doubling = new StringBuilder("block b0 = LIF\n");
        for (int i = 1; i <= 40; i++) doubling.append("block b").append(i).append(" = b").append(i - 1).append(" -> b").append(i - 1).append('\n');
        doubling.append("network N(T: int = 2) { timesteps T\n input x: [4] encode poisson\n output y = x -> b40\n}\n");
        inputs.add(doubling.toString().getBytes(StandardCharsets.UTF_8));
        inputs.add(tenMegabytes());
        inputs.add(("network N(T: int = 2) { timesteps T\n" + "x".repeat(10 << 20) + "\n}").getBytes(StandardCharsets.UTF_8));
        inputs.add(("/*" + "*".repeat(1 << 20)).getBytes(StandardCharsets.UTF_8));
        inputs.add(("network N(T: int = 2) { input x: [4] encode poisson\n s = \"" + "\\".repeat(5000)).getBytes(StandardCharsets.UTF_8));

        Path file = work.resolve("pathological.snn");
        for (byte[] input : inputs) {
            Files.write(file, input);
            CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of("check", file.toString()),
                    () -> "hang on input starting " + preview(input));
            assertWellBehaved(run, preview(input));
        }
    }

    /** 10 MB of statements: a long but well-formed file, ending in an error to report. */
    private static byte[] tenMegabytes() {
        StringBuilder b = new StringBuilder("network N(T: int = 2) {\n  timesteps T\n  input x: [4] encode poisson\n");
        int i = 0;
        while (b.length() < 10 << 20) b.append("  v").append(i++).append(" = x -> LIF(leak: 0.5) // filler\n");
        b.append("  output y = v0 -> nosuchlayer\n}\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void assertWellBehaved(CliRun run, String input) {
        if (run.exitCode() != 0 && run.exitCode() != 1) {
            fail("exit " + run.exitCode() + " on input:\n" + input + "\n--- stderr:\n" + run.err());
        }
        if (run.err().contains("internal error") || run.err().contains("Exception") || run.err().contains("\tat ")) {
            fail("crash on input:\n" + input + "\n--- stderr:\n" + run.err());
        }
        if (run.exitCode() == 1 && !LOCATED.matcher(run.err()).find()) {
            fail("error without a located diagnostic on input:\n" + input + "\n--- stderr:\n" + run.err());
        }
        if (run.exitCode() == 0) assertEquals("", run.err().replaceAll("(?s).*warning\\[SNN\\d+\\].*", ""), run.err());
    }

    /** The formatter's round trip on every survivor: parse(fmt(x)) is parse(x), and fmt is idempotent. */
    private static void assertFormatPreservesTheProgram(String text) {
        Ast.File parsed = parse(text).orElseThrow(() -> new AssertionError("a survivor did not parse:\n" + text));
        String formatted = Formatter.format(parsed);
        Ast.File again = parse(formatted).orElseThrow(() -> new AssertionError("fmt output did not parse:\n" + formatted));
        assertEquals(Ast.dump(parsed), Ast.dump(again), () -> "fmt changed the program:\n" + text);
        assertEquals(formatted, Formatter.format(again), () -> "fmt is not idempotent on:\n" + text);
    }

    private static java.util.Optional<Ast.File> parse(String text) {
        return SourceParser.parse(new SourceFile("mutant.snn", null, text), new Diagnostics());
    }

    static List<Token> tokens(String text) {
        SnnLexer lexer = new SnnLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Token> tokens = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getChannel() == Token.DEFAULT_CHANNEL) tokens.add(t);
        }
        return tokens;
    }

    /** One random edit: delete, duplicate or swap tokens, truncate, or insert a stray character. */
    static String mutate(String text, List<Token> tokens, SplittableRandom random) {
        int kind = random.nextInt(6);
        Token a = tokens.get(random.nextInt(tokens.size()));
        Token b = tokens.get(random.nextInt(tokens.size()));
        return switch (kind) {
            case 0 -> text.substring(0, a.getStartIndex()) + text.substring(a.getStopIndex() + 1);
            case 1 -> text.substring(0, a.getStopIndex() + 1) + " " + a.getText() + text.substring(a.getStopIndex() + 1);
            case 2 -> {
                Token first = a.getStartIndex() < b.getStartIndex() ? a : b;
                Token second = first == a ? b : a;
                if (first == second) yield text;
                yield text.substring(0, first.getStartIndex()) + second.getText()
                        + text.substring(first.getStopIndex() + 1, second.getStartIndex()) + first.getText()
                        + text.substring(second.getStopIndex() + 1);
            }
            case 3 -> text.substring(0, random.nextInt(text.length()));
            case 4 -> {
                int at = random.nextInt(text.length());
                String stray = String.valueOf("(){}[]:,=->\"@#\u0000\u00e9/*0.5e".charAt(random.nextInt(22)));
                yield text.substring(0, at) + stray + text.substring(at);
            }
            default -> text.substring(0, b.getStartIndex()) + a.getText() + text.substring(b.getStopIndex() + 1);
        };
    }

    private static String preview(byte[] input) {
        String s = new String(input, 0, Math.min(input.length, 120), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e\\n]", "?") + (input.length > 120 ? "... (" + input.length + " bytes)" : "");
    }
}
