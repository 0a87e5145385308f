package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmtCommandTest {

    private static final String MESSY = "network N{timesteps 4\n  input x:[1,2] encode poisson // in\n\n\n\n"
            + "output y=x->dense( 2 )->lif}\n";
    private static final String CANONICAL = """
            network N {
              timesteps 4
              input x: [1, 2] encode poisson // in

              output y = x -> dense(2) -> lif
            }
            """;
    private static final String BROKEN = "network N {\n  x = in ->\n}\n";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run snnc(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Snnc.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void printsTheFormattedTextAndChangesNothing() throws IOException {
        Path f = file("n.snn", MESSY);
        Run r = snnc("fmt", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(CANONICAL, r.out());
        assertEquals("", r.err());
        assertEquals(MESSY, Files.readString(f));
    }

    @Test
    void severalFilesArePrintedEachAfterAHeader() throws IOException {
        Path a = file("a.snn", MESSY);
        Path b = file("b.snn", CANONICAL);
        Run r = snnc("fmt", a.toString(), b.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("// ==> " + a + " <==\n" + CANONICAL + "// ==> " + b + " <==\n" + CANONICAL, r.out());
    }

    @Test
    void writeRewritesOnlyChangedFilesAndLeavesNoTemporaryFile() throws IOException {
        Path messy = file("messy.snn", MESSY);
        Path tidy = file("tidy.snn", CANONICAL);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(tidy, old);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix) Files.setPosixFilePermissions(messy, PosixFilePermissions.fromString("rw-r-----"));

        Run r = snnc("fmt", "--write", messy.toString(), tidy.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals("formatted " + messy + "\n", r.err());
        assertEquals(CANONICAL, Files.readString(messy));
        assertEquals(CANONICAL, Files.readString(tidy));
        assertEquals(old, Files.getLastModifiedTime(tidy), "an unchanged file is not rewritten");
        if (posix) assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(messy)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("messy.snn", "tidy.snn"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }

        Run again = snnc("fmt", "--write", messy.toString());
        assertEquals(0, again.code());
        assertEquals("", again.err(), "a second --write finds nothing to do");
    }

    @Test
    void writeThroughASymbolicLinkKeepsTheLink() throws IOException {
        Path real = file("real.snn", MESSY);
        Path link;
        try {
            link = Files.createSymbolicLink(dir.resolve("link.snn"), real);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symbolic links here: nothing to check
        }
        assertEquals(0, snnc("fmt", "--write", link.toString()).code());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(CANONICAL, Files.readString(real));
    }

    @Test
    void checkListsUnformattedFilesAndExitsOne() throws IOException {
        Path messy = file("messy.snn", MESSY);
        Path tidy = file("tidy.snn", CANONICAL);
        Run clean = snnc("fmt", "--check", tidy.toString());
        assertEquals(0, clean.code(), clean.err());
        assertEquals("", clean.out());

        Run dirty = snnc("fmt", "--check", tidy.toString(), messy.toString());
        assertEquals(1, dirty.code());
        assertEquals(messy + "\n", dirty.out());
        assertEquals(MESSY, Files.readString(messy), "--check changes nothing");
    }

    @Test
    void aFileWithSyntaxErrorsIsReportedAndNeverRewritten() throws IOException {
        Path broken = file("broken.snn", BROKEN);
        Path messy = file("messy.snn", MESSY);
        Run r = snnc("fmt", "--write", broken.toString(), messy.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(broken + ":3:1: error[SNN"), r.err());
        assertTrue(r.err().contains("formatted " + messy), "the other files are still formatted: " + r.err());
        assertEquals(BROKEN, Files.readString(broken));

        Run check = snnc("fmt", "--check", broken.toString());
        assertEquals(1, check.code());
        assertEquals("", check.out());
    }

    @Test
    void aMissingFileIsALocatedError() {
        Run r = snnc("fmt", dir.resolve("nowhere.snn").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot find"), r.err());
    }

    @Test
    void writeAndCheckTogetherAreAUsageError() throws IOException {
        Path f = file("n.snn", MESSY);
        Run r = snnc("fmt", "--write", "--check", f.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals(MESSY, Files.readString(f));
    }

    @Test
    void helpDescribesTheOptions() {
        Run r = snnc("fmt", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--write") && r.out().contains("--check"), r.out());
    }
}
