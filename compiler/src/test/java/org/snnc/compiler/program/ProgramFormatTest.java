package org.snnc.compiler.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary program format: round trip, atomic write, and every way a file is refused. */
class ProgramFormatTest {

    @TempDir
    Path dir;

    static Program sample() {
        return ProgramBuilder.build(ProgramFixtures.ir(ProgramFixtures.MLP), ProgramFixtures.tiny(4),
                new SeededWeights(7, SeededWeights.PAPER_GAIN, 0), new SequentialPlacement()).program();
    }

    /** A conv after an avgpool (one kernel with border classes) and an explicit dense readout. */
    static Program sampleWithKernel() {
        return ProgramBuilder.build(ProgramFixtures.ir("""
                network PoolConv {
                  timesteps 3
                  neuron lif = LIF(leak: 0.99, threshold: 1.0, reset: zero)
                  input x: [1, 5, 5] encode poisson
                  output y = x -> avgpool(3, stride: 2, padding: 1) -> conv(2, kernel: 3, padding: 1) -> lif
                      -> flatten -> dense(2) -> accumulate
                }
                """), ProgramFixtures.tiny(8), new SeededWeights(7, SeededWeights.PAPER_GAIN, 0), new SequentialPlacement()).program();
    }

    /** A conv and a dense layer on Loihi cores of 24 input axons: both join compartments. */
    static Program sampleJoined() throws java.io.IOException {
        String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", "targets", "loihi.yaml"))
                .replace("max_input_axons:     { value: 4096,", "max_input_axons:     { value: 24,");
        org.snnc.compiler.target.Target t = org.snnc.compiler.target.TargetLoader.load("loihi-24.yaml",
                yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.snnc.compiler.ir.SpikingIr ir = ProgramFixtures.ir("""
                network Joined {
                  timesteps 4
                  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)
                  input x: [4, 5, 5] encode poisson
                  a = x -> conv(4, kernel: 3, padding: 1) -> lif
                  output y = a -> flatten -> dense(2) -> accumulate
                }
                """);
        return ProgramBuilder.build(ir, t, new SeededWeights(7, SeededWeights.PAPER_GAIN, 0), MappedPlacement.of(ir, t)).program();
    }

    @Test
    void roundTripKeepsKernels() throws Exception {
        Program p = sampleWithKernel();
        byte[] bytes = ProgramWriter.toBytes(p);
        Program q = ProgramReader.read(bytes);
        assertEquals(1, q.synapses().kernels().size());
        Program.Kernel a = p.synapses().kernels().get(0), b = q.synapses().kernels().get(0);
        assertArrayEquals(a.mantissa(), b.mantissa());
        assertArrayEquals(a.rowClass(), b.rowClass());
        assertEquals(p.synapses().count(), q.synapses().count());
        assertArrayEquals(bytes, ProgramWriter.toBytes(q));

        // A kernel mantissa beyond the population's bits is refused naming KERN.
        short[] heavy = a.mantissa().clone();
        heavy[0] = 300;
        Program.Kernel h = new Program.Kernel(a.population(), a.sourceBase(), a.inChannels(), a.inHeight(), a.inWidth(),
                a.outChannels(), a.outHeight(), a.outWidth(), a.strideH(), a.strideW(), a.padH(), a.padW(), a.dilationH(), a.dilationW(), a.kernelH(), a.kernelW(),
                a.rowClasses(), a.colClasses(), a.rowClass(), a.colClass(), heavy);
        Program bad = new Program(p.header(), p.mesh(), p.inputs(), p.populations(),
                new Program.Synapses(p.synapses().rowStart(), p.synapses().target(), p.synapses().mantissa(), List.of(h)), p.layers(),
                p.cores(), p.routes(), p.host());
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramReader.read(ProgramWriter.toBytes(bad)));
        assertEquals("KERN", e.section());
        assertEquals("section KERN: kernel 0: into 'lif1': mantissa 300 does not fit 8 signed bits", e.getMessage());
    }

    @Test
    void roundTripKeepsEveryField() throws Exception {
        Program p = sample();
        byte[] bytes = ProgramWriter.toBytes(p);
        Program q = ProgramReader.read(bytes);
        assertEquals(p.header(), q.header());
        assertEquals(p.mesh(), q.mesh());
        assertEquals(p.inputs(), q.inputs());
        assertEquals(p.populations(), q.populations());
        assertEquals(p.layers(), q.layers());
        assertEquals(p.host(), q.host());
        assertArrayEquals(p.synapses().rowStart(), q.synapses().rowStart());
        assertArrayEquals(p.synapses().target(), q.synapses().target());
        assertArrayEquals(p.synapses().mantissa(), q.synapses().mantissa());
        assertArrayEquals(p.cores().coreOfNeuron(), q.cores().coreOfNeuron());
        assertArrayEquals(p.cores().chip(), q.cores().chip());
        assertArrayEquals(p.routes().dest(), q.routes().dest());
        assertArrayEquals(bytes, ProgramWriter.toBytes(q));
    }

    @Test
    void biasesRoundTripAndAreChecked() throws Exception {
        Program p = sample();
        List<Program.Population> pops = new java.util.ArrayList<>();
        for (Program.Population q : p.populations()) {
            int[] bias = new int[q.size()];
            for (int i = 0; i < bias.length; i++) bias[i] = (i * 37 % 11 - 5) * (q.id() + 1);
            pops.add(new Program.Population(q.id(), q.layer(), q.size(), q.offset(), q.params(), q.quant(), q.id() == 0 ? bias : null));
        }
        Program biased = new Program(p.header(), p.mesh(), p.inputs(), pops, p.synapses(), p.layers(), p.cores(), p.routes(), p.host());
        Program back = ProgramReader.read(ProgramWriter.toBytes(biased));
        assertArrayEquals(pops.get(0).bias(), back.populations().get(0).bias());
        assertEquals(null, back.populations().get(1).bias());

        int[] huge = pops.get(0).bias().clone();
        huge[2] = 1 << 30;
        List<Program.Population> over = new java.util.ArrayList<>(pops);
        Program.Population first = pops.get(0);
        over.set(0, new Program.Population(0, first.layer(), first.size(), first.offset(), first.params(), first.quant(), huge));
        Program bad = new Program(p.header(), p.mesh(), p.inputs(), over, p.synapses(), p.layers(), p.cores(), p.routes(), p.host());
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> Validator.check(bad));
        assertEquals("POPS", e.section());
        assertTrue(e.getMessage().contains("neuron 2's bias 1073741824 exceeds the"), e.getMessage());
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("net.snnp");
        Files.writeString(file, "an older file");
        ProgramWriter.write(sample(), file);
        assertArrayEquals(ProgramWriter.toBytes(sample()), Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void wrongMagicIsRefused() {
        byte[] bytes = ProgramWriter.toBytes(sample());
        bytes[0] = 'X';
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramReader.read(bytes));
        assertEquals("not an snnc program: the file does not start with the magic 'SNNCPROG'", e.getMessage());
        assertEquals("not an snnc program: the file does not start with the magic 'SNNCPROG' (it has only 3 bytes)",
                assertThrows(ProgramFormatException.class, () -> ProgramReader.read(new byte[] {'S', 'N', 'N'})).getMessage());
    }

    @Test
    void otherVersionIsRefused() {
        byte[] bytes = ProgramWriter.toBytes(sample());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 4);
        assertEquals("program format version 4 is not readable by this snnc, which reads versions 1 to 3",
                assertThrows(ProgramFormatException.class, () -> ProgramReader.read(bytes)).getMessage());
    }

    @Test
    void everyTruncationIsRefusedNamingItsSection() {
        byte[] bytes = ProgramWriter.toBytes(sample());
        for (int length = 12; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramReader.read(cut), "length " + length);
            assertTrue(e.getMessage().startsWith("truncated: "), e.getMessage());
            if (!e.section().equals("file")) assertTrue(e.getMessage().contains("section " + e.section()), e.getMessage());
        }
        int synsAt = indexOf(bytes, "SYNS");
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramReader.read(Arrays.copyOf(bytes, synsAt + 20)));
        assertEquals("SYNS", e.section());
        assertTrue(e.getMessage().matches("truncated: section SYNS declares \\d+ bytes but only 4 remain"), e.getMessage());
    }

    @Test
    void aFlippedBitIsCaughtBySectionOrTrailer() {
        byte[] bytes = ProgramWriter.toBytes(sample());
        int synsAt = indexOf(bytes, "SYNS");
        byte[] corrupt = bytes.clone();
        corrupt[synsAt + 12 + 9] ^= 0x10;
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramReader.read(corrupt));
        assertEquals("SYNS", e.section());
        assertTrue(e.getMessage().startsWith("corrupt: section SYNS fails its CRC32 check (stored "), e.getMessage());

        byte[] trailer = bytes.clone();
        trailer[bytes.length - 1] ^= 1;
        e = assertThrows(ProgramFormatException.class, () -> ProgramReader.read(trailer));
        assertEquals("file", e.section());
        assertTrue(e.getMessage().startsWith("corrupt: the trailing CRC32 does not match the file"), e.getMessage());

        byte[] extra = Arrays.copyOf(bytes, bytes.length + 3);
        assertEquals("corrupt: 3 unexpected bytes after the last section",
                assertThrows(ProgramFormatException.class, () -> ProgramReader.read(extra)).getMessage());
    }

    @Test
    void inconsistentContentIsRefusedNamingTheSection() {
        Program p = sample();
        int[] targets = p.synapses().target().clone();
        targets[0] = p.neurons();
        Program bad = new Program(p.header(), p.mesh(), p.inputs(), p.populations(),
                new Program.Synapses(p.synapses().rowStart(), targets, p.synapses().mantissa(), List.of()), p.layers(), p.cores(), p.routes(), p.host());
        ProgramFormatException e = assertThrows(ProgramFormatException.class, () -> ProgramReader.read(ProgramWriter.toBytes(bad)));
        assertEquals("SYNS", e.section());
        assertTrue(e.getMessage().startsWith("section SYNS: source 0: target 8 is out of range 0..7"), e.getMessage());

        short[] weights = p.synapses().mantissa().clone();
        weights[0] = 1000;
        Program heavy = new Program(p.header(), p.mesh(), p.inputs(), p.populations(),
                new Program.Synapses(p.synapses().rowStart(), p.synapses().target(), weights, List.of()), p.layers(), p.cores(), p.routes(), p.host());
        assertTrue(assertThrows(ProgramFormatException.class, () -> Validator.check(heavy)).getMessage()
                .endsWith("mantissa 1000 into 'lif1' does not fit 8 signed bits"));

        Program noRoutes = new Program(p.header(), p.mesh(), p.inputs(), p.populations(), p.synapses(), p.layers(), p.cores(),
                new Program.Routes(new int[p.cores().count() + 1], new int[0]), p.host());
        e = assertThrows(ProgramFormatException.class, () -> Validator.check(noRoutes));
        assertEquals("ROUT", e.section());
        assertTrue(e.getMessage().contains("which is not among core"), e.getMessage());
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(IOException.class, () -> ProgramReader.read(dir.resolve("absent.snnp")));
    }

    static int indexOf(byte[] bytes, String tag) {
        byte[] t = tag.getBytes();
        outer:
        for (int i = 0; i + t.length <= bytes.length; i++) {
            for (int j = 0; j < t.length; j++) if (bytes[i + j] != t[j]) continue outer;
            return i;
        }
        throw new AssertionError(tag + " not found");
    }
}
