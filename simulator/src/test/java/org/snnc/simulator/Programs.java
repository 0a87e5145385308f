package org.snnc.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.ProgramFormatException;
import org.snnc.compiler.program.Validator;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/** Programs made by hand and at random for the engine tests. */
final class Programs {

    private Programs() {
    }

    /** An integrate-and-fire neuron firing when v > 0: no current, no leak, no shifts, hard reset. */
    static NeuronParams eager() {
        return new NeuronParams(0, Overflow.WRAP, 16, Overflow.SATURATE, LeakForm.NONE, 0, 0, 0, 0, 0, 0, 0, ResetMode.ZERO, false);
    }

    static Program.Quantization unit() {
        return new Program.Quantization(1, 0, 8, 1, 1, 1);
    }

    /** Assembles a program and checks it with the reader's validator. */
    static Program of(Program.Mesh mesh, List<Program.InputGroup> inputs, List<Program.Population> pops, int[][] synapses,
            int[] chip, int[] x, int[] y, int[] coreOf, List<Program.SynapticLayer> layers) {
        return of(mesh, inputs, pops, synapses, List.of(), chip, x, y, coreOf, layers);
    }

    /** As above, with kernels beside the explicit synapses ({source, target, mantissa} rows). */
    static Program of(Program.Mesh mesh, List<Program.InputGroup> inputs, List<Program.Population> pops, int[][] synapses,
            List<Program.Kernel> kernels, int[] chip, int[] x, int[] y, int[] coreOf, List<Program.SynapticLayer> layers) {
        int sources = 0;
        for (Program.InputGroup g : inputs) sources += g.count();
        int inputChannels = sources;
        for (Program.Population p : pops) sources += p.size();
        // Rows by source, then the target's core, then the target.
        int[][] sorted = synapses.clone();
        Arrays.sort(sorted, (a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0])
                : coreOf[a[1]] != coreOf[b[1]] ? Integer.compare(coreOf[a[1]], coreOf[b[1]]) : Integer.compare(a[1], b[1]));
        int[] rowStart = new int[sources + 1];
        int[] target = new int[sorted.length];
        short[] mantissa = new short[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            rowStart[sorted[i][0] + 1]++;
            target[i] = sorted[i][1];
            mantissa[i] = (short) sorted[i][2];
        }
        for (int s = 0; s < sources; s++) rowStart[s + 1] += rowStart[s];
        Program.Synapses syn = new Program.Synapses(rowStart, target, mantissa, kernels);
        Program.Cores cores = new Program.Cores(chip, x, y, coreOf);
        Program.Routes routes = ProgramBuilder.routes(inputChannels, pops, syn, cores);
        Program p = new Program(new Program.Header(Program.FORMAT_VERSION, "test", List.of(), "test", 0, 1), mesh, inputs, pops,
                syn, layers, cores, routes, List.of());
        try {
            return Validator.check(p);
        } catch (ProgramFormatException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /**
     * A random valid program: a random board, input groups, populations with random integer
     * neurons within the formats' ranges, random sparse synapses (recurrent ones included: spikes
     * take one step) and a random placement.
     */
    static Program random(SplittableRandom r) {
        Program.Mesh mesh = new Program.Mesh(1 + r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(2));
        List<Program.InputGroup> inputs = new ArrayList<>();
        int channels = 0;
        for (int g = 0, n = 1 + r.nextInt(2); g < n; g++) {
            int count = 1 + r.nextInt(8);
            inputs.add(new Program.InputGroup("in" + g, "poisson", channels, count));
            channels += count;
        }
        List<Program.Population> pops = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        int neurons = 0;
        for (int q = 0, n = 1 + r.nextInt(4); q < n; q++) {
            int[] shape = {1 + r.nextInt(2), 1 + r.nextInt(3), 1 + r.nextInt(3)};
            int size = shape[0] * shape[1] * shape[2];
            shapes.add(shape);
            int exponent = r.nextInt(3);
            // Some populations carry biases, of either sign, as trained weights give them.
            int[] bias = null;
            if (r.nextInt(3) == 0) {
                bias = new int[size];
                for (int i = 0; i < size; i++) bias[i] = r.nextInt(-20, 40);
            }
            NeuronParams params = randomParams(r);
            // Some populations have per-channel scales: each channel its own threshold and linear leak.
            Program.ChannelScales perChannel = null;
            if (r.nextInt(3) == 0) {
                int count = shape[0];
                double[] scale = new double[count];
                int[] threshold = new int[count];
                int[] linear = new int[count];
                for (int c = 0; c < count; c++) {
                    scale[c] = 1 + r.nextInt(4);
                    threshold[c] = r.nextInt(1 + (1 << Math.max(0, params.voltageBits() - 8 - params.thresholdShift())));
                    linear[c] = r.nextInt(20);
                }
                perChannel = new Program.ChannelScales(scale, threshold, linear);
            }
            pops.add(new Program.Population(q, "pop" + q, size, neurons, params, new Program.Quantization(1, exponent, 8, 1, 1, 1),
                    bias, Program.Kind.NEURONS, -1, perChannel));
            neurons += size;
        }
        // Some populations join compartments: each adds its sum to its soma's before the soma updates.
        int somas = pops.size();
        int somaNeurons = neurons;
        for (int q = 0; q < somas; q++) {
            for (int j = 1, n = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0; j <= n; j++) {
                Program.Population soma = pops.get(q);
                pops.add(new Program.Population(pops.size(), soma.layer() + "/c" + j, soma.size(), neurons, soma.params(),
                        soma.quant(), null, Program.Kind.COMPARTMENTS, q, soma.channels()));
                shapes.add(shapes.get(q));
                neurons += soma.size();
            }
        }
        int sources = channels + neurons;
        // Some populations take their input from a kernel over a random block: an input group or a
        // population (itself included), seen as [n, 1, 1] or [1, 1, n], with random geometry and classes.
        List<Program.Kernel> kernels = new ArrayList<>();
        boolean[] kernelFed = new boolean[pops.size()];
        for (Program.Population pop : pops) {
            if (r.nextInt(5) >= 2) continue;
            kernelFed[pop.id()] = true;
            int base, count;
            // Compartments send nothing: no kernel reads them.
            int pick = r.nextInt(inputs.size() + somas);
            if (pick < inputs.size()) {
                base = inputs.get(pick).offset();
                count = inputs.get(pick).count();
            } else {
                base = channels + pops.get(pick - inputs.size()).offset();
                count = pops.get(pick - inputs.size()).size();
            }
            boolean wide = r.nextBoolean();
            int inC = wide ? 1 : count, inW = wide ? count : 1;
            int[] out = shapes.get(pop.id());
            int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
            int rowClasses = 1 + r.nextInt(2), colClasses = 1 + r.nextInt(2);
            int[] rowClass = new int[out[1]], colClass = new int[out[2]];
            for (int i = 0; i < rowClass.length; i++) rowClass[i] = r.nextInt(rowClasses);
            for (int i = 0; i < colClass.length; i++) colClass[i] = r.nextInt(colClasses);
            short[] m = new short[rowClasses * colClasses * inC * kh * kw * out[0]];
            for (int i = 0; i < m.length; i++) m[i] = (short) (r.nextInt(4) == 0 ? 0 : r.nextInt(-60, 128));
            kernels.add(new Program.Kernel(pop.id(), base, inC, 1, inW, out[0], out[1], out[2], 1 + r.nextInt(2), 1 + r.nextInt(2),
                    r.nextInt(3), r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2), kh, kw, rowClasses, colClasses, rowClass, colClass, m));
        }
        double density = 0.1 + 0.5 * r.nextDouble();
        List<int[]> syn = new ArrayList<>();
        for (int s = 0; s < channels + somaNeurons; s++) {
            for (int t = 0; t < neurons; t++) {
                if (!kernelFed[popOf(pops, t).id()] && r.nextDouble() < density) {
                    // Mostly excitatory so that activity spreads; 0 is a stored weight too.
                    syn.add(new int[] {s, t, r.nextInt(-60, 128)});
                }
            }
        }
        // Random distinct slots (chip, x, y, core within tile) for a random number of cores.
        List<int[]> slots = new ArrayList<>();
        for (int c = 0; c < mesh.chipsX() * mesh.chipsY(); c++) {
            for (int y = 0; y < mesh.meshHeight(); y++) {
                for (int x = 0; x < mesh.meshWidth(); x++) {
                    for (int k = 0; k < mesh.coresPerTile(); k++) slots.add(new int[] {c, x, y});
                }
            }
        }
        for (int i = slots.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int[] tmp = slots.get(i);
            slots.set(i, slots.get(j));
            slots.set(j, tmp);
        }
        int cores = 1 + r.nextInt(Math.min(slots.size(), neurons));
        int[] chip = new int[cores], xs = new int[cores], ys = new int[cores];
        for (int k = 0; k < cores; k++) {
            chip[k] = slots.get(k)[0];
            xs[k] = slots.get(k)[1];
            ys[k] = slots.get(k)[2];
        }
        int[] coreOf = new int[neurons];
        for (int n = 0; n < neurons; n++) coreOf[n] = r.nextInt(cores);
        List<Program.SynapticLayer> layers = List.of(new Program.SynapticLayer("l0", "dense", 7, 0, -1, 0));
        return of(mesh, inputs, pops, syn.toArray(new int[0][]), kernels, chip, xs, ys, coreOf, layers);
    }

    private static Program.Population popOf(List<Program.Population> pops, int neuron) {
        for (Program.Population p : pops) if (neuron < p.offset() + p.size()) return p;
        throw new AssertionError();
    }

    private static NeuronParams randomParams(SplittableRandom r) {
        LeakForm leak = LeakForm.values()[r.nextInt(3)];
        boolean current = r.nextBoolean();
        int decayBits = leak == LeakForm.MULTIPLICATIVE || current ? 1 + r.nextInt(12) : r.nextInt(13);
        int unity = 1 << decayBits;
        int voltageBits = 8 + r.nextInt(17);
        int synShift = r.nextInt(4);
        int thrShift = r.nextInt(4);
        // Thresholds small enough to be crossed, sometimes 0 (fire on any positive voltage).
        int threshold = r.nextInt(1 + (1 << Math.max(0, voltageBits - 8 - thrShift)));
        return new NeuronParams(current ? 8 + r.nextInt(17) : 0, r.nextBoolean() ? Overflow.WRAP : Overflow.SATURATE, voltageBits,
                r.nextBoolean() ? Overflow.WRAP : Overflow.SATURATE, leak, decayBits, r.nextInt(unity + 1), r.nextInt(unity + 1),
                r.nextInt(20), threshold, thrShift, synShift, r.nextBoolean() ? ResetMode.ZERO : ResetMode.SUBTRACT, r.nextInt(10) == 0,
                r.nextInt(4) == 0);
    }
}
