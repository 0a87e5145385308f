package org.snnc.compiler.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md habit 7: one sample file per format version, loaded by every build, so a change that
 * breaks old files cannot pass unnoticed. The file was written once by
 * {@code mvn -pl compiler test -Dtest=SampleProgramTest -Dsnnc.regenerate=true} (which rewrites
 * the current version's sample only) and is never edited by hand.
 */
class SampleProgramTest {

    static final Path SAMPLE_V1 = Path.of("src/test/resources/program/v1/tiny.snnp");

    @Test
    void version1SampleLoads() throws Exception {
        if (Boolean.getBoolean("snnc.regenerate")) {
            Files.createDirectories(SAMPLE_V1.getParent());
            ProgramWriter.write(ProgramFormatTest.sample(), SAMPLE_V1);
        }
        byte[] bytes = Files.readAllBytes(SAMPLE_V1);
        Program p = ProgramReader.read(bytes);
        assertEquals(1, p.header().formatVersion());
        assertEquals("Tiny", p.header().network());
        assertEquals("tiny", p.header().target());
        assertEquals(7, p.header().seed());
        assertEquals(5, p.header().timesteps());
        assertEquals(List.of(new Program.InputGroup("x", "poisson", 0, 6)), p.inputs());
        assertEquals(2, p.populations().size());
        Program.Population lif = p.populations().get(0);
        assertEquals("lif1", lif.layer());
        assertEquals(5, lif.size());
        assertEquals(41, lif.params().decayV());
        assertEquals(4096, lif.params().decayU());
        assertEquals(true, p.populations().get(1).params().integrator());
        assertEquals(6 + 8, p.synapses().sources());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 2, 2, 2}, p.cores().coreOfNeuron());
        assertEquals(List.of(), p.host());
        // Reading and writing back gives the same bytes: this version's layout has not drifted.
        assertArrayEquals(bytes, ProgramWriter.toBytes(p));
    }
}
