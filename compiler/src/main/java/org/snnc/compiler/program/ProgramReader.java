package org.snnc.compiler.program;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/**
 * Reads and validates a program file (docs/program-format.md). Anything but a well-formed,
 * self-consistent program of a version this code knows is refused with a
 * {@link ProgramFormatException} that names the section at fault; the simulator can then trust
 * every index in the program without checking it again.
 */
public final class ProgramReader {

    private ProgramReader() {
    }

    public static Program read(Path file) throws IOException, ProgramFormatException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new ProgramFormatException("file", "a program of " + size + " bytes exceeds the 2 GiB this version reads");
        }
        return read(Files.readAllBytes(file));
    }

    public static Program read(byte[] bytes) throws ProgramFormatException {
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int prefix = ProgramWriter.MAGIC.length + 4;
        if (bytes.length < prefix || !Arrays.equals(Arrays.copyOf(bytes, ProgramWriter.MAGIC.length), ProgramWriter.MAGIC)) {
            throw new ProgramFormatException("file", "not an snnc program: the file does not start with the magic 'SNNCPROG'"
                    + (bytes.length < prefix ? " (it has only " + bytes.length + " bytes)" : ""));
        }
        int version = all.getInt(ProgramWriter.MAGIC.length);
        if (version < 1 || version > Program.FORMAT_VERSION) {
            throw new ProgramFormatException("file", "program format version " + version + " is not readable by this snnc, which reads versions 1 to "
                    + Program.FORMAT_VERSION);
        }
        List<String> tags = version == 1 ? ProgramWriter.SECTIONS_V1 : ProgramWriter.SECTIONS;
        // Walk the frames first: a truncated or corrupt file is reported as such, with its section,
        // before any content is interpreted.
        Map<String, ByteBuffer> payloads = new HashMap<>();
        int pos = prefix;
        for (String tag : tags) {
            if (bytes.length - pos < 12) {
                throw new ProgramFormatException(tag, "truncated: section " + tag + " is missing (the file ends at byte " + bytes.length + ")");
            }
            String found = new String(bytes, pos, 4, StandardCharsets.ISO_8859_1);
            if (!found.equals(tag)) {
                throw new ProgramFormatException(tag, "corrupt: section " + tag + " expected at byte " + pos + ", found '"
                        + printable(found) + "'");
            }
            long length = all.getLong(pos + 4);
            long available = (long) bytes.length - pos - 12 - 4;
            if (length < 0 || length > available) {
                throw new ProgramFormatException(tag, "truncated: section " + tag + " declares " + length + " bytes but only "
                        + Math.max(0, available) + " remain");
            }
            int start = pos + 12;
            CRC32 crc = new CRC32();
            crc.update(bytes, start, (int) length);
            int stored = all.getInt(start + (int) length);
            if (stored != (int) crc.getValue()) {
                throw new ProgramFormatException(tag, "corrupt: section " + tag + " fails its CRC32 check (stored "
                        + hex(stored) + ", computed " + hex((int) crc.getValue()) + ")");
            }
            payloads.put(tag, ByteBuffer.wrap(bytes, start, (int) length).slice().order(ByteOrder.LITTLE_ENDIAN));
            pos = start + (int) length + 4;
        }
        if (bytes.length - pos != 4) {
            throw new ProgramFormatException("file", bytes.length - pos < 4
                    ? "truncated: the trailing CRC32 is missing"
                    : "corrupt: " + (bytes.length - pos - 4) + " unexpected bytes after the last section");
        }
        CRC32 whole = new CRC32();
        whole.update(bytes, 0, pos);
        if (all.getInt(pos) != (int) whole.getValue()) {
            throw new ProgramFormatException("file", "corrupt: the trailing CRC32 does not match the file (stored "
                    + hex(all.getInt(pos)) + ", computed " + hex((int) whole.getValue()) + ")");
        }
        return Validator.check(parse(payloads, version));
    }

    private static Program parse(Map<String, ByteBuffer> s, int version) throws ProgramFormatException {
        In head = new In("HEAD", s.get("HEAD"));
        String network = head.str();
        String target = head.str();
        long seed = head.i64();
        int timesteps = head.i32();
        int nSources = head.count(8);
        List<Program.SourceHash> sources = new ArrayList<>();
        for (int i = 0; i < nSources; i++) sources.add(new Program.SourceHash(head.str(), head.str()));
        head.end();
        Program.Header header = new Program.Header(version, network, sources, target, seed, timesteps);

        In m = new In("MESH", s.get("MESH"));
        Program.Mesh mesh = new Program.Mesh(m.i32(), m.i32(), m.i32(), m.i32(), m.i32());
        m.end();

        In in = new In("INPT", s.get("INPT"));
        int nInputs = in.count(16);
        List<Program.InputGroup> inputs = new ArrayList<>();
        for (int i = 0; i < nInputs; i++) inputs.add(new Program.InputGroup(in.str(), in.str(), in.i32(), in.i32()));
        in.end();

        In p = new In("POPS", s.get("POPS"));
        int nPops = p.count(4 + (version == 1 ? ProgramWriter.POPULATION_FIXED_V1
                : version == 2 ? ProgramWriter.POPULATION_FIXED_V2 : ProgramWriter.POPULATION_FIXED));
        List<Program.Population> pops = new ArrayList<>();
        for (int i = 0; i < nPops; i++) {
            String layer = p.str();
            int size = p.i32();
            int offset = p.i32();
            int currentBits = p.i32(), voltageBits = p.i32(), decayBits = p.i32(), decayU = p.i32(), decayV = p.i32();
            int linearLeak = p.i32(), threshold = p.i32(), thresholdShift = p.i32(), synapticShift = p.i32();
            Overflow currentOverflow = p.choice(Overflow.values(), "current overflow");
            Overflow voltageOverflow = p.choice(Overflow.values(), "voltage overflow");
            LeakForm leak = p.choice(LeakForm.values(), "leak form");
            ResetMode reset = p.choice(ResetMode.values(), "reset mode");
            Boolean integrator = p.choice(new Boolean[] {false, true}, "integrator flag");
            NeuronParams params = new NeuronParams(currentBits, currentOverflow, voltageBits, voltageOverflow, leak,
                    decayBits, decayU, decayV, linearLeak, threshold, thresholdShift, synapticShift, reset, integrator);
            Program.Quantization q = new Program.Quantization(p.f64(), p.i32(), p.i32(), p.f64(), p.f64(), p.f64());
            int[] bias = null;
            if (version >= 2) {
                int biases = p.i32();
                if (biases != 0 && biases != size) {
                    throw p.error("population " + layer + " has " + size + " neurons but " + biases + " biases (0 or one each)");
                }
                if (biases > 0) bias = p.ints(biases);
            }
            Program.Kind kind = version >= 3 ? p.choice(Program.Kind.values(), "population kind") : Program.Kind.NEURONS;
            int soma = version >= 3 ? p.i32() : -1;
            boolean floor = version >= 3 && p.choice(new Boolean[] {false, true}, "floor flag");
            if (kind == Program.Kind.NEURONS ? soma != -1 : soma < 0 || soma >= nPops || soma == i) {
                throw p.error("population " + layer + " (" + kind.name().toLowerCase() + ") serves population " + soma
                        + (kind == Program.Kind.NEURONS ? "; neurons serve none (-1)" : ", which is not another of the " + nPops + " populations"));
            }
            if (kind != Program.Kind.NEURONS && bias != null) {
                throw p.error(kind.name().toLowerCase() + " " + layer + " have biases; only their soma has one");
            }
            if (floor) {
                params = new NeuronParams(currentBits, currentOverflow, voltageBits, voltageOverflow, leak, decayBits, decayU, decayV,
                        linearLeak, threshold, thresholdShift, synapticShift, reset, integrator, true);
            }
            Program.ChannelScales channels = null;
            if (version >= 3) {
                int count = p.count(ProgramWriter.CHANNEL_BYTES);
                if (count != 0) {
                    if (size % count != 0) {
                        throw p.error("population " + layer + " of " + size + " neurons has per-channel scales for " + count
                                + " channels, which do not divide it");
                    }
                    double[] scale = new double[count];
                    for (int c = 0; c < count; c++) scale[c] = p.f64();
                    channels = new Program.ChannelScales(scale, p.ints(count), p.ints(count));
                }
            }
            pops.add(new Program.Population(i, layer, size, offset, params, q, bias, kind, soma, channels));
        }
        p.end();

        In sy = new In("SYNS", s.get("SYNS"));
        int nSrc = sy.i32();
        int nSyn = sy.i32();
        if (nSrc < 0 || nSyn < 0) throw sy.error("negative count (" + nSrc + " sources, " + nSyn + " synapses)");
        int[] rowStart = sy.ints(nSrc + 1L);
        int[] targets = sy.ints(nSyn);
        short[] mantissas = version == 1 ? mantissasV1(sy, targets, pops) : sy.shorts(nSyn);
        sy.end();

        List<Program.Kernel> kernels = new ArrayList<>();
        if (version >= 2) {
            In k = new In("KERN", s.get("KERN"));
            int nKernels = k.count(ProgramWriter.KERNEL_FIXED);
            for (int i = 0; i < nKernels; i++) {
                int[] f = k.ints(18);
                int[] rowClass = k.ints(Math.max(0, f[6]));
                int[] colClass = k.ints(Math.max(0, f[7]));
                long entries = 1;
                for (int j : new int[] {f[16], f[17], f[2], f[14], f[15], f[5]}) entries *= Math.max(0, j);
                if (entries > Integer.MAX_VALUE) throw k.error("kernel " + i + " declares " + entries + " mantissas");
                kernels.add(new Program.Kernel(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12],
                        f[13], f[14], f[15], f[16], f[17], rowClass, colClass, k.shorts(entries)));
            }
            k.end();
        }

        In ly = new In("LAYR", s.get("LAYR"));
        int nLayers = ly.count(28);
        List<Program.SynapticLayer> layers = new ArrayList<>();
        for (int i = 0; i < nLayers; i++) {
            layers.add(new Program.SynapticLayer(ly.str(), ly.str(), ly.i64(), ly.i32(), ly.i32(), ly.i32()));
        }
        ly.end();

        In c = new In("CORE", s.get("CORE"));
        int nCores = c.i32();
        if (nCores < 0) throw c.error("negative core count " + nCores);
        int[] chip = c.ints(nCores);
        int[] x = c.ints(nCores);
        int[] y = c.ints(nCores);
        int nNeurons = c.i32();
        if (nNeurons < 0) throw c.error("negative neuron count " + nNeurons);
        int[] coreOf = c.ints(nNeurons);
        c.end();

        In r = new In("ROUT", s.get("ROUT"));
        int nRouteCores = r.i32();
        int nDest = r.i32();
        if (nRouteCores < 0 || nDest < 0) throw r.error("negative count (" + nRouteCores + " cores, " + nDest + " destinations)");
        int[] start = r.ints(nRouteCores + 1L);
        int[] dest = r.ints(nDest);
        r.end();

        In h = new In("HOST", s.get("HOST"));
        int nHost = h.count(12);
        List<Program.HostLayer> host = new ArrayList<>();
        for (int i = 0; i < nHost; i++) host.add(new Program.HostLayer(h.str(), h.str(), h.str()));
        h.end();

        if (version == 1) sortRowsByCore(rowStart, targets, mantissas, coreOf);
        return new Program(header, mesh, inputs, pops, new Program.Synapses(rowStart, targets, mantissas, kernels), layers,
                new Program.Cores(chip, x, y, coreOf), new Program.Routes(start, dest), host);
    }

    /**
     * Version 1 stored each weight as {@code mantissa << exponent} in an {@code i32}; the mantissa
     * must fit its population's bits and the 16 bits a program holds now.
     */
    private static short[] mantissasV1(In sy, int[] targets, List<Program.Population> pops) throws ProgramFormatException {
        int[] weights = sy.ints(targets.length);
        int neurons = 0;
        for (Program.Population p : pops) neurons += p.size();
        short[] m = new short[weights.length];
        for (int e = 0; e < weights.length; e++) {
            int t = targets[e];
            if (t < 0 || t >= neurons) throw sy.error("target " + t + " is out of range 0.." + (neurons - 1));
            Program.Population pop = null;
            for (Program.Population p : pops) if (t < p.offset() + p.size()) {
                pop = p;
                break;
            }
            Program.Quantization q = pop.quant();
            if (q.weightExponent() < 0 || q.weightExponent() > 31) throw sy.error("population '" + pop.layer() + "' has exponent " + q.weightExponent());
            long mantissa = (long) weights[e] >> q.weightExponent();
            if ((mantissa << q.weightExponent()) != weights[e] || Math.abs(mantissa) > Math.min((1L << (q.weightBits() - 1)) - 1, Short.MAX_VALUE)) {
                throw sy.error("weight " + weights[e] + " into '" + pop.layer() + "' is not a " + Math.min(q.weightBits(), 16)
                        + "-bit mantissa shifted by " + q.weightExponent());
            }
            m[e] = (short) mantissa;
        }
        return m;
    }

    /** Version 1 rows ascend by target; version 2 groups them by the target's core first. */
    private static void sortRowsByCore(int[] rowStart, int[] targets, short[] mantissas, int[] coreOf) throws ProgramFormatException {
        long[] keys = new long[0];
        for (int src = 0; src + 1 < rowStart.length; src++) {
            int a = rowStart[src], b = rowStart[src + 1];
            if (a < 0 || b < a || b > targets.length) return; // the validator names the broken row
            if (keys.length < b - a) keys = new long[b - a];
            for (int e = a; e < b; e++) {
                int t = targets[e];
                int core = t >= 0 && t < coreOf.length ? coreOf[t] : 0;
                keys[e - a] = ((long) core << 32) | (e - a);
            }
            Arrays.sort(keys, 0, b - a);
            int[] t = Arrays.copyOfRange(targets, a, b);
            short[] m = Arrays.copyOfRange(mantissas, a, b);
            for (int i = 0; i < b - a; i++) {
                int from = (int) keys[i];
                targets[a + i] = t[from];
                mantissas[a + i] = m[from];
            }
        }
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) b.append(ch >= 32 && ch < 127 ? String.valueOf(ch) : String.format("\\x%02x", (int) ch));
        return b.toString();
    }

    /** A bounds-checked little-endian cursor over one section's payload. */
    private static final class In {
        final String tag;
        final ByteBuffer b;

        In(String tag, ByteBuffer b) {
            this.tag = tag;
            this.b = b;
        }

        ProgramFormatException error(String message) {
            return new ProgramFormatException(tag, "section " + tag + ": " + message);
        }

        private void need(long bytes) throws ProgramFormatException {
            if (bytes > b.remaining()) {
                throw error("ends early: needs " + bytes + " more bytes at offset " + b.position() + ", has " + b.remaining());
            }
        }

        int i32() throws ProgramFormatException {
            need(4);
            return b.getInt();
        }

        long i64() throws ProgramFormatException {
            need(8);
            return b.getLong();
        }

        double f64() throws ProgramFormatException {
            need(8);
            double d = b.getDouble();
            if (!Double.isFinite(d)) throw error("non-finite number " + d + " at offset " + (b.position() - 8));
            return d;
        }

        /** A count of items each at least {@code minBytes} long, checked against what remains. */
        int count(int minBytes) throws ProgramFormatException {
            int n = i32();
            if (n < 0 || (long) n * minBytes > b.remaining()) throw error("count " + n + " does not fit the section's " + b.remaining() + " remaining bytes");
            return n;
        }

        int[] ints(long n) throws ProgramFormatException {
            need(4 * n);
            int[] a = new int[(int) n];
            b.asIntBuffer().get(a);
            b.position(b.position() + 4 * (int) n);
            return a;
        }

        short[] shorts(long n) throws ProgramFormatException {
            need(2 * n);
            short[] a = new short[(int) n];
            b.asShortBuffer().get(a);
            b.position(b.position() + 2 * (int) n);
            return a;
        }

        String str() throws ProgramFormatException {
            int n = i32();
            if (n < 0) throw error("negative string length " + n);
            need(n);
            byte[] raw = new byte[n];
            b.get(raw);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw error("a string at offset " + (b.position() - n) + " is not UTF-8");
            }
        }

        <T> T choice(T[] values, String what) throws ProgramFormatException {
            need(1);
            int v = b.get() & 0xff;
            if (v >= values.length) throw error(what + " code " + v + " is not one of 0.." + (values.length - 1));
            return values[v];
        }

        void end() throws ProgramFormatException {
            if (b.hasRemaining()) throw error(b.remaining() + " bytes left over after its last field");
        }
    }

}
