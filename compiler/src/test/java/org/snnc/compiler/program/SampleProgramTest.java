package org.snnc.compiler.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // Version 1 stored mantissa << exponent as i32 rows ascending by target: read into mantissas
        // grouped by core, it is the program this code builds from the same source.
        Program now = ProgramFormatTest.sample();
        assertArrayEquals(now.synapses().rowStart(), p.synapses().rowStart());
        assertArrayEquals(now.synapses().target(), p.synapses().target());
        assertArrayEquals(now.synapses().mantissa(), p.synapses().mantissa());
        assertEquals(List.of(), p.synapses().kernels());
    }

    static final Path SAMPLE_V2 = Path.of("src/test/resources/program/v2/pool-conv.snnp");

    @Test
    void version2SampleLoads() throws Exception {
        byte[] bytes = Files.readAllBytes(SAMPLE_V2);
        Program p = ProgramReader.read(bytes);
        assertEquals(2, p.header().formatVersion());
        assertEquals("PoolConv", p.header().network());
        assertEquals(25, p.inputChannels());
        assertEquals(2 * 3 * 3 + 2, p.neurons());
        // avgpool(3, stride 2, padding 1) then conv(3, padding 1): one kernel of stride 2, padding 3,
        // extent 7, with a class for the first, middle and last output row (and column).
        Program.Kernel k = p.synapses().kernels().get(0);
        assertEquals(0, k.population());
        assertEquals(List.of(1, 5, 5, 2, 3, 3), List.of(k.inChannels(), k.inHeight(), k.inWidth(), k.outChannels(), k.outHeight(),
                k.outWidth()));
        assertEquals(List.of(2, 2, 3, 3, 1, 1, 7, 7, 3, 3), List.of(k.strideH(), k.strideW(), k.padH(), k.padW(), k.dilationH(),
                k.dilationW(), k.kernelH(), k.kernelW(), k.rowClasses(), k.colClasses()));
        assertArrayEquals(new int[] {0, 1, 2}, k.rowClass());
        // The dense readout stays explicit: 18 sources x 2 targets.
        assertEquals(36, p.synapses().explicit());
        // It is the program this code builds from the same source, read from the older layout.
        Program now = ProgramFormatTest.sampleWithKernel();
        assertArrayEquals(now.synapses().kernels().get(0).mantissa(), k.mantissa());
        assertArrayEquals(now.synapses().mantissa(), p.synapses().mantissa());
        assertEquals(-1, p.populations().get(0).soma());
    }

    static final Path SAMPLE_V3 = Path.of("src/test/resources/program/v3/joined.snnp");

    @Test
    void version3SampleLoads() throws Exception {
        if (Boolean.getBoolean("snnc.regenerate")) {
            Files.createDirectories(SAMPLE_V3.getParent());
            ProgramWriter.write(ProgramFormatTest.sampleJoined(), SAMPLE_V3);
        }
        byte[] bytes = Files.readAllBytes(SAMPLE_V3);
        Program p = ProgramReader.read(bytes);
        assertEquals(3, p.header().formatVersion());
        assertEquals("Joined", p.header().network());
        // lif1 (a 3x3 conv over 4 channels: 36 inputs) and the readout (100 inputs) join compartments
        // on 24-axon cores; the compartment populations follow every neuron.
        List<String> names = new java.util.ArrayList<>();
        for (Program.Population pop : p.populations()) names.add(pop.layer() + ">" + pop.soma());
        assertEquals("lif1>-1", names.get(0));
        assertEquals("accumulate1>-1", names.get(1));
        assertTrue(names.size() > 3, names.toString());
        for (Program.Population pop : p.populations().subList(2, names.size())) {
            assertTrue(pop.compartments(), pop.layer());
            assertEquals(p.populations().get(pop.soma()).layer() + "/c", pop.layer().substring(0, pop.layer().lastIndexOf("/c") + 2));
        }
        // Each share of the conv has its own kernel over its slice of the input channels.
        int channels = 0;
        for (Program.Kernel k : p.synapses().kernels()) channels += k.inChannels();
        assertEquals(4, channels);
        // Reading and writing back gives the same bytes: this version's layout has not drifted.
        assertArrayEquals(bytes, ProgramWriter.toBytes(p));
    }
}
