package org.snnc.compiler.program;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.snnc.compiler.io.AtomicFile;

/**
 * Writes a {@link Program} in the binary format of docs/program-format.md: magic, version,
 * little-endian sections each with its own CRC32, and a trailing CRC32 of the whole file.
 * The file appears atomically: it is written beside its final name and renamed over it, so a
 * reader never sees half a program.
 */
public final class ProgramWriter {

    /** The eight bytes every program file starts with. */
    static final byte[] MAGIC = "SNNCPROG".getBytes(StandardCharsets.US_ASCII);

    /** Section tags in file order (versions 2 and 3). */
    static final List<String> SECTIONS = List.of("HEAD", "MESH", "INPT", "POPS", "SYNS", "KERN", "LAYR", "CORE", "ROUT", "HOST");

    /** Section tags of version 1, which had no kernels. */
    static final List<String> SECTIONS_V1 = List.of("HEAD", "MESH", "INPT", "POPS", "SYNS", "LAYR", "CORE", "ROUT", "HOST");

    private ProgramWriter() {
    }

    public static void write(Program p, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                write(p, out);
            }
        });
    }

    /** The whole file as bytes (for tests and small programs). */
    public static byte[] toBytes(Program p) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            write(p, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    private static void write(Program p, OutputStream out) throws IOException {
        CRC32 whole = new CRC32();
        ByteBuffer head = le(MAGIC.length + 4);
        head.put(MAGIC).putInt(Program.FORMAT_VERSION);
        emit(out, whole, head.array());
        List<ByteBuffer> sections = new ArrayList<>();
        sections.add(headSection(p.header()));
        sections.add(meshSection(p.mesh()));
        sections.add(inputSection(p.inputs()));
        sections.add(populationSection(p.populations()));
        sections.add(synapseSection(p.synapses()));
        sections.add(kernelSection(p.synapses().kernels()));
        sections.add(layerSection(p.layers()));
        sections.add(coreSection(p.cores()));
        sections.add(routeSection(p.routes()));
        sections.add(hostSection(p.host()));
        for (int i = 0; i < sections.size(); i++) {
            byte[] payload = sections.get(i).array();
            ByteBuffer frame = le(12);
            frame.put(SECTIONS.get(i).getBytes(StandardCharsets.US_ASCII)).putLong(payload.length);
            emit(out, whole, frame.array());
            emit(out, whole, payload);
            CRC32 crc = new CRC32();
            crc.update(payload);
            emit(out, whole, le(4).putInt((int) crc.getValue()).array());
        }
        out.write(le(4).putInt((int) whole.getValue()).array());
    }

    private static void emit(OutputStream out, CRC32 crc, byte[] bytes) throws IOException {
        crc.update(bytes);
        out.write(bytes);
    }

    private static ByteBuffer le(long size) {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a program section of " + size + " bytes exceeds the 2 GiB this version writes");
        }
        return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int strSize(String s) {
        return 4 + utf8(s).length;
    }

    private static void putStr(ByteBuffer b, String s) {
        byte[] u = utf8(s);
        b.putInt(u.length).put(u);
    }

    private static void putInts(ByteBuffer b, int[] a) {
        b.asIntBuffer().put(a);
        b.position(b.position() + 4 * a.length);
    }

    private static ByteBuffer headSection(Program.Header h) {
        int size = strSize(h.network()) + strSize(h.target()) + 8 + 4 + 4;
        for (Program.SourceHash s : h.sources()) size += strSize(s.path()) + strSize(s.sha256());
        ByteBuffer b = le(size);
        putStr(b, h.network());
        putStr(b, h.target());
        b.putLong(h.seed()).putInt(h.timesteps()).putInt(h.sources().size());
        for (Program.SourceHash s : h.sources()) {
            putStr(b, s.path());
            putStr(b, s.sha256());
        }
        return b;
    }

    private static ByteBuffer meshSection(Program.Mesh m) {
        return le(20).putInt(m.chipsX()).putInt(m.chipsY()).putInt(m.meshWidth()).putInt(m.meshHeight())
                .putInt(m.coresPerTile());
    }

    private static ByteBuffer inputSection(List<Program.InputGroup> inputs) {
        int size = 4;
        for (Program.InputGroup g : inputs) size += strSize(g.name()) + strSize(g.encoding()) + 8;
        ByteBuffer b = le(size).putInt(inputs.size());
        for (Program.InputGroup g : inputs) {
            putStr(b, g.name());
            putStr(b, g.encoding());
            b.putInt(g.offset()).putInt(g.count());
        }
        return b;
    }

    /** Bytes of one population's fixed-size part after its name (version 1). */
    static final int POPULATION_FIXED_V1 = 8 + 9 * 4 + 5 + 8 + 4 + 4 + 24;

    /** ... in version 2, which adds the count of biases (their values follow). */
    static final int POPULATION_FIXED_V2 = POPULATION_FIXED_V1 + 4;

    /**
     * ... and in version 3, which adds after the biases the population's kind and soma, the floor
     * flag and the count of per-channel scales (their scales, thresholds and linear leaks follow).
     */
    static final int POPULATION_FIXED = POPULATION_FIXED_V2 + 1 + 4 + 1 + 4;

    /** Bytes per channel of per-channel scales: f64 scale, i32 threshold, i32 linear leak. */
    static final int CHANNEL_BYTES = 16;

    private static ByteBuffer populationSection(List<Program.Population> pops) {
        int size = 4;
        for (Program.Population p : pops) {
            size += strSize(p.layer()) + POPULATION_FIXED + (p.bias() == null ? 0 : 4 * p.size())
                    + (p.channels() == null ? 0 : CHANNEL_BYTES * p.channels().count());
        }
        ByteBuffer b = le(size).putInt(pops.size());
        for (Program.Population p : pops) {
            putStr(b, p.layer());
            b.putInt(p.size()).putInt(p.offset());
            NeuronParams n = p.params();
            b.putInt(n.currentBits()).putInt(n.voltageBits()).putInt(n.decayBits()).putInt(n.decayU())
                    .putInt(n.decayV()).putInt(n.linearLeak()).putInt(n.threshold()).putInt(n.thresholdShift())
                    .putInt(n.synapticShift());
            b.put((byte) n.currentOverflow().ordinal()).put((byte) n.voltageOverflow().ordinal())
                    .put((byte) n.leak().ordinal()).put((byte) n.reset().ordinal()).put((byte) (n.integrator() ? 1 : 0));
            Program.Quantization q = p.quant();
            b.putDouble(q.weightScale()).putInt(q.weightExponent()).putInt(q.weightBits()).putDouble(q.threshold())
                    .putDouble(q.leak()).putDouble(q.effectiveLeak());
            if (p.bias() == null) {
                b.putInt(0);
            } else {
                b.putInt(p.size());
                putInts(b, p.bias());
            }
            b.put((byte) p.kind().ordinal()).putInt(p.soma()).put((byte) (n.floor() ? 1 : 0));
            Program.ChannelScales c = p.channels();
            b.putInt(c == null ? 0 : c.count());
            if (c != null) {
                for (double x : c.scale()) b.putDouble(x);
                putInts(b, c.threshold());
                putInts(b, c.linearLeak());
            }
        }
        return b;
    }

    private static ByteBuffer synapseSection(Program.Synapses s) {
        ByteBuffer b = le(8 + 4L * s.rowStart().length + 6L * s.explicit());
        b.putInt(s.sources()).putInt(s.explicit());
        putInts(b, s.rowStart());
        putInts(b, s.target());
        putShorts(b, s.mantissa());
        return b;
    }

    /** Fixed fields of a kernel: 18 {@code i32}. */
    static final int KERNEL_FIXED = 72;

    private static ByteBuffer kernelSection(List<Program.Kernel> kernels) {
        long size = 4;
        for (Program.Kernel k : kernels) size += KERNEL_FIXED + 4L * (k.outHeight() + k.outWidth()) + 2L * k.mantissa().length;
        ByteBuffer b = le(size);
        b.putInt(kernels.size());
        for (Program.Kernel k : kernels) {
            b.putInt(k.population()).putInt(k.sourceBase()).putInt(k.inChannels()).putInt(k.inHeight()).putInt(k.inWidth())
                    .putInt(k.outChannels()).putInt(k.outHeight()).putInt(k.outWidth()).putInt(k.strideH()).putInt(k.strideW())
                    .putInt(k.padH()).putInt(k.padW()).putInt(k.dilationH()).putInt(k.dilationW()).putInt(k.kernelH()).putInt(k.kernelW()).putInt(k.rowClasses())
                    .putInt(k.colClasses());
            putInts(b, k.rowClass());
            putInts(b, k.colClass());
            putShorts(b, k.mantissa());
        }
        return b;
    }

    private static void putShorts(ByteBuffer b, short[] a) {
        b.asShortBuffer().put(a);
        b.position(b.position() + 2 * a.length);
    }

    private static ByteBuffer layerSection(List<Program.SynapticLayer> layers) {
        int size = 4;
        for (Program.SynapticLayer l : layers) size += strSize(l.name()) + strSize(l.op()) + 8 + 12;
        ByteBuffer b = le(size).putInt(layers.size());
        for (Program.SynapticLayer l : layers) {
            putStr(b, l.name());
            putStr(b, l.op());
            b.putLong(l.macs()).putInt(l.sourceInput()).putInt(l.sourcePopulation()).putInt(l.targetPopulation());
        }
        return b;
    }

    private static ByteBuffer coreSection(Program.Cores c) {
        ByteBuffer b = le(8 + 12L * c.count() + 4L * c.coreOfNeuron().length);
        b.putInt(c.count());
        putInts(b, c.chip());
        putInts(b, c.x());
        putInts(b, c.y());
        b.putInt(c.coreOfNeuron().length);
        putInts(b, c.coreOfNeuron());
        return b;
    }

    private static ByteBuffer routeSection(Program.Routes r) {
        ByteBuffer b = le(8 + 4L * r.start().length + 4L * r.dest().length);
        b.putInt(r.start().length - 1).putInt(r.dest().length);
        putInts(b, r.start());
        putInts(b, r.dest());
        return b;
    }

    private static ByteBuffer hostSection(List<Program.HostLayer> host) {
        int size = 4;
        for (Program.HostLayer h : host) size += strSize(h.name()) + strSize(h.op()) + strSize(h.reason());
        ByteBuffer b = le(size).putInt(host.size());
        for (Program.HostLayer h : host) {
            putStr(b, h.name());
            putStr(b, h.op());
            putStr(b, h.reason());
        }
        return b;
    }
}
