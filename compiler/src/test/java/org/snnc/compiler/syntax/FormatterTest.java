package org.snnc.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.SourceFile;
import org.snnc.grammar.SnnLexer;

/**
 * The formatter keeps the program (equal {@link Ast#dump}), keeps every comment in order, is
 * idempotent, and gives the examples back unchanged. Golden cases live in
 * {@code src/test/resources/fmt/<case>.snn} beside {@code <case>.expected}; run with
 * {@code -Dsnnc.updateGolden=true} to rewrite the expected files after a deliberate change.
 */
class FormatterTest {

    private static final Path EXAMPLES = Path.of("../examples");
    private static final Path GOLDEN = Path.of("src/test/resources/fmt");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".snn")).sorted().toList();
            assertFalse(list.isEmpty(), "no examples under " + EXAMPLES.toAbsolutePath());
            return list.stream();
        }
    }

    static Stream<String> goldenCases() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            List<String> list = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snn"))
                    .map(n -> n.substring(0, n.length() - ".snn".length())).sorted().toList();
            assertFalse(list.isEmpty(), "no golden cases under " + GOLDEN.toAbsolutePath());
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void examplesAreInCanonicalForm(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(text, formatChecked(file.toString(), text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void golden(String name) throws IOException {
        String input = Files.readString(GOLDEN.resolve(name + ".snn"), StandardCharsets.UTF_8);
        String actual = formatChecked(name + ".snn", input);
        Path expected = GOLDEN.resolve(name + ".expected");
        if (Boolean.getBoolean("snnc.updateGolden")) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(expected), expected + " is missing: run with -Dsnnc.updateGolden=true");
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual);
    }

    /** Every file one line shorter than an example that still parses: faithful, idempotent, comments kept. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void examplesWithOneLineDeleted(Path file) throws IOException {
        List<String> lines = Arrays.asList(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1));
        int parsed = 0;
        for (int i = 0; i < lines.size(); i++) {
            List<String> shorter = new ArrayList<>(lines);
            shorter.remove(i);
            String text = String.join("\n", shorter);
            if (tryParse(text).isPresent()) {
                formatChecked(file + " without line " + (i + 1), text);
                parsed++;
            }
        }
        assertTrue(parsed > 0);
    }

    @Test
    void parenthesesOnlyWherePrecedenceNeedsThem() {
        String in = """
                network P {
                  a = ((1 + 2)) * (3)
                  b = 1 - (2 - 3) - (4 + 5)
                  c = (1 - 2) - 3 + (4 * 5)
                  d = 1 / (2 * 3) % 4
                  e = - -(1) * -(2 + 3)
                  f = (x -> lif) * 2 + (y -> lif -> lif)
                  g = 1 + 2 -> conv(3 * (4 + 5))
                }
                """;
        assertEquals("""
                network P {
                  a = (1 + 2) * 3
                  b = 1 - (2 - 3) - (4 + 5)
                  c = 1 - 2 - 3 + 4 * 5
                  d = 1 / (2 * 3) % 4
                  e = --1 * -(2 + 3)
                  f = (x -> lif) * 2 + (y -> lif -> lif)
                  g = 1 + 2 -> conv(3 * (4 + 5))
                }
                """, formatChecked("p.snn", in));
    }

    @Test
    void pipelineAsLeftOperandIsParenthesisedEvenThoughTheParserWouldNotNeedIt() {
        // `x -> f + 1` parses as `(x -> f) + 1`; printing the parentheses says so.
        assertEquals("network P {\n  a = (x -> f) + 1\n}\n", formatChecked("p.snn", "network P { a = x -> f + 1 }"));
    }

    @Test
    void stringsAreReEscapedAndNumbersKeptAsWritten() {
        String in = "network S(a: float = 1_0.5E-3, b: float = .25) { s = f(\"q\\\"b\\\\s\\tt\\nn\\x\") }\n";
        assertEquals("network S(a: float = 1_0.5E-3, b: float = .25) {\n  s = f(\"q\\\"b\\\\s\\tt\\nn\\x\")\n}\n"
                        .replace("\\\\x", "x").replace("\\x", "x"),
                formatChecked("s.snn", in));
    }

    @Test
    void bareStepsStayBareAndCallsKeepTheirParentheses() {
        assertEquals("block b = conv(1) -> lif -> lif() -> f(x: 1)\n",
                formatChecked("b.snn", "block b = conv(1)->lif->lif( )->f(x:1,)"));
    }

    @Test
    void aPipelineGroupWiderThanTheWidthTakesOneLinePerStep() {
        String steps = " -> conv(128, kernel: 3)".repeat(8);
        String out = formatChecked("w.snn", "network W {\n  x = in" + steps + "\n}\n");
        for (String line : out.split("\n")) {
            assertTrue(line.length() <= Formatter.WIDTH, line);
        }
        assertEquals("""
                network W {
                  x = in
                %s}
                """.formatted("    -> conv(128, kernel: 3)\n".repeat(8)), out);
        // A group the user wrote that fits stays whole; one that does not fit is split.
        String grouped = "network W {\n  x = in -> a -> b\n    -> c" + " -> conv(128, kernel: 3)".repeat(4) + "\n}\n";
        assertEquals("network W {\n  x = in -> a -> b\n    -> c\n" + "    -> conv(128, kernel: 3)\n".repeat(4) + "}\n",
                formatChecked("w.snn", grouped));
    }

    @Test
    void aPipelineThatFitsStaysAsTheUserBrokeIt() {
        String in = "network W {\n  x = in -> a\n    -> b -> c\n}\n";
        assertEquals(in, formatChecked("w.snn", in));
        assertEquals("network W {\n  x = in -> a -> b -> c\n}\n",
                formatChecked("w.snn", "network W {\n  x = in -> a ->\n  b -> c\n}\n"));
    }

    @Test
    void crlfBecomesLfAndTrailingBlanksGo() {
        String in = "// head  \r\nnetwork C { \r\n  a = 1 /* x  \r\n  y */\r\n}\r\n\r\n";
        assertEquals("// head\nnetwork C {\n  a = 1 /* x\n  y */\n}\n", formatChecked("c.snn", in));
    }

    @Test
    void emptyFilesAndCommentOnlyFiles() {
        assertEquals("", formatChecked("e.snn", ""));
        assertEquals("", formatChecked("e.snn", "\n\n  \n"));
        assertEquals("// only\n\n/* comments */ /* here */\n",
                formatChecked("e.snn", "\n  // only\n\n\n   /* comments */   /* here */  "));
    }

    @Test
    void commentsInsideAOneLineConstructMoveAboveIt() {
        String in = """
                neuron n = LIF(leak: 0.9, // per step
                               threshold: /* volts */ 1.0)
                """;
        assertEquals("// per step\n/* volts */\nneuron n = LIF(leak: 0.9, threshold: 1.0)\n", formatChecked("n.snn", in));
    }

    @Test
    void trailingCommentsOfConsecutiveLinesAreAligned() {
        String in = "network A {\n  a = 1 // one\n  bbb = 22 // two\n\n  c = 3 // three\n}\n";
        assertEquals("network A {\n  a = 1    // one\n  bbb = 22 // two\n\n  c = 3 // three\n}\n",
                formatChecked("a.snn", in));
    }

    /** Formats, then checks the promises of the formatter; returns the formatted text. */
    static String formatChecked(String name, String text) {
        Ast.File tree = parse(name, text);
        String once = Formatter.format(tree);
        Ast.File again = parse(name + " (formatted)", once);
        assertEquals(Ast.dump(tree), Ast.dump(again), () -> "the program changed:\n" + once);
        assertEquals(once, Formatter.format(again), () -> "not idempotent on\n" + once);
        assertEquals(comments(text), comments(once), () -> "comments changed:\n" + once);
        for (String line : once.split("\n", -1)) {
            assertEquals(line.stripTrailing(), line, "trailing blanks");
        }
        return once;
    }

    private static Ast.File parse(String name, String text) {
        Diagnostics diagnostics = new Diagnostics();
        Optional<Ast.File> file = SourceParser.parse(new SourceFile(name, null, text), diagnostics);
        if (file.isEmpty() || diagnostics.hasErrors()) {
            fail(name + " does not parse: " + diagnostics.sorted() + "\n" + text);
        }
        return file.get();
    }

    private static Optional<Ast.File> tryParse(String text) {
        Diagnostics diagnostics = new Diagnostics();
        return SourceParser.parse(new SourceFile("t.snn", null, text), diagnostics).filter(f -> !diagnostics.hasErrors());
    }

    /** The comments of a text in order, without their layout (trailing blanks, CR). */
    private static List<String> comments(String text) {
        SnnLexer lexer = new SnnLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<String> comments = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL && (t.getText().startsWith("//") || t.getText().startsWith("/*"))) {
                comments.add(Formatter.clean(t.getText()));
            }
        }
        return comments;
    }
}
