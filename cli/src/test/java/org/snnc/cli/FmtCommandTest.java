package org.snnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void printsTheFormattedTextAndChangesNothing() throws IOException {
        Path f = file("n.snn", MESSY);
        CliRun r = CliRun.of("fmt", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(CANONICAL, r.out());
        assertEquals("", r.err());
        assertEquals(MESSY, Files.readString(f));
    }

    @Test
    void severalFilesArePrintedEachAfterAHeader() throws IOException {
        Path a = file("a.snn", MESSY);
        Path b = file("b.snn", CANONICAL);
        CliRun r = CliRun.of("fmt", a.toString(), b.toString());
        assertEquals(0, r.exitCode(), r.err());
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

        CliRun r = CliRun.of("fmt", "--write", messy.toString(), tidy.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertEquals("formatted " + messy + "\n", r.err());
        assertEquals(CANONICAL, Files.readString(messy));
        assertEquals(CANONICAL, Files.readString(tidy));
        assertEquals(old, Files.getLastModifiedTime(tidy), "an unchanged file is not rewritten");
        if (posix) assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(messy)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("messy.snn", "tidy.snn"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }

        CliRun again = CliRun.of("fmt", "--write", messy.toString());
        assertEquals(0, again.exitCode());
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
        assertEquals(0, CliRun.of("fmt", "--write", link.toString()).exitCode());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(CANONICAL, Files.readString(real));
    }

    @Test
    void checkListsUnformattedFilesAndExitsOne() throws IOException {
        Path messy = file("messy.snn", MESSY);
        Path tidy = file("tidy.snn", CANONICAL);
        CliRun clean = CliRun.of("fmt", "--check", tidy.toString());
        assertEquals(0, clean.exitCode(), clean.err());
        assertEquals("", clean.out());

        CliRun dirty = CliRun.of("fmt", "--check", tidy.toString(), messy.toString());
        assertEquals(1, dirty.exitCode());
        assertEquals(messy + "\n", dirty.out());
        assertEquals(MESSY, Files.readString(messy), "--check changes nothing");
    }

    @Test
    void aFileWithSyntaxErrorsIsReportedAndNeverRewritten() throws IOException {
        Path broken = file("broken.snn", BROKEN);
        Path messy = file("messy.snn", MESSY);
        CliRun r = CliRun.of("fmt", "--write", broken.toString(), messy.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(broken + ":2:12: error[SNN001]: expected a name after '->'"), r.err());
        assertTrue(r.err().contains("formatted " + messy), "the other files are still formatted: " + r.err());
        assertEquals(BROKEN, Files.readString(broken));

        CliRun check = CliRun.of("fmt", "--check", broken.toString());
        assertEquals(1, check.exitCode());
        assertEquals("", check.out());
    }

    @Test
    void aMissingFileIsALocatedError() {
        CliRun r = CliRun.of("fmt", dir.resolve("nowhere.snn").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("cannot find"), r.err());
    }

    @Test
    void writeAndCheckTogetherAreAUsageError() throws IOException {
        Path f = file("n.snn", MESSY);
        CliRun r = CliRun.of("fmt", "--write", "--check", f.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals(MESSY, Files.readString(f));
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun r = CliRun.of("fmt", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("--write") && r.out().contains("--check"), r.out());
    }
}
