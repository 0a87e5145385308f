package org.snnc.compiler.program;

import java.util.List;

/**
 * A compiled program: everything the simulator needs to run a network on a target and nothing
 * from the source. Stored with {@link ProgramWriter}, read back with {@link ProgramReader}; the
 * binary layout is in docs/program-format.md.
 *
 * <p>Index spaces. Neurons are numbered globally, population after population
 * ({@link Population#offset()}). Sources of synapses are numbered input channels first, then
 * neurons: source {@code s < inputChannels()} is an input channel, source
 * {@code inputChannels() + n} is neuron {@code n}.
 *
 * <p>Records holding arrays compare by identity; {@link ProgramReader} hands out fresh arrays and
 * nobody writes into a program's arrays after it is built.
 *
 * @param header      provenance and run length
 * @param mesh        the board geometry the core coordinates refer to
 * @param inputs      input channel groups, one per network input, in channel order
 * @param populations neuron populations, in neuron order
 * @param synapses    the synapses: explicit CSR rows per source and shared convolution kernels
 * @param layers      the synaptic layers of the source network, for the paper's energy model
 * @param cores       core of every neuron and place of every core
 * @param routes      destination cores of every core
 * @param host        layers that run on the host, not on cores, with the reason
 */
public record Program(Header header, Mesh mesh, List<InputGroup> inputs, List<Population> populations,
        Synapses synapses, List<SynapticLayer> layers, Cores cores, Routes routes, List<HostLayer> host) {

    /** The format version {@link ProgramWriter} writes; {@link ProgramReader} reads it and versions 1 and 2. */
    public static final int FORMAT_VERSION = 3;

    public Program {
        inputs = List.copyOf(inputs);
        populations = List.copyOf(populations);
        layers = List.copyOf(layers);
        host = List.copyOf(host);
    }

    /** Input channels of all groups. */
    public int inputChannels() {
        int n = 0;
        for (InputGroup g : inputs) n += g.count();
        return n;
    }

    /** Neurons (and non-spiking compartments, readout or joined) of all populations. */
    public int neurons() {
        int n = 0;
        for (Population p : populations) n += p.size();
        return n;
    }

    /**
     * @param formatVersion version of the file format the program was read from or will be written in
     * @param network       the network's name
     * @param sources       the source files and their SHA-256, main file first
     * @param target        the target's name
     * @param seed          the seed of the random weights (and of anything else drawn at build time)
     * @param timesteps     time steps per sample
     */
    public record Header(int formatVersion, String network, List<SourceHash> sources, String target, long seed,
            int timesteps) {
        public Header {
            sources = List.copyOf(sources);
        }
    }

    public record SourceHash(String path, String sha256) {
    }

    /**
     * Board geometry: {@code chipsX x chipsY} chips, each a {@code meshWidth x meshHeight} mesh
     * of tiles with {@code coresPerTile} cores behind each router.
     */
    public record Mesh(int chipsX, int chipsY, int meshWidth, int meshHeight, int coresPerTile) {
    }

    /**
     * One network input.
     *
     * @param name     the input's name in the source
     * @param encoding its encoding keyword ({@code poisson}, {@code events}, ...)
     * @param offset   its first channel
     * @param count    its channels ({@code C*H*W}, in CHW order)
     */
    public record InputGroup(String name, String encoding, int offset, int count) {
    }

    /** What a population holds. */
    public enum Kind {
        /** Neurons of a spiking or integrating layer. */
        NEURONS,
        /** Joined compartments of a population of neurons (its soma): see {@link Population}. */
        COMPARTMENTS,
        /**
         * Relay neurons of one share of a population's inputs, of one sign (docs/mapping.md, relayed
         * fan-in): integrate-and-fire neurons whose spikes carry the share's partial sums to the soma.
         */
        RELAYS
    }

    /**
     * A population of neurons from one spiking or integrating layer, or the joined compartments or
     * relay neurons of one.
     *
     * <p>Joined compartments (Loihi's multi-compartment join, docs/program-format.md): where a
     * neuron has more inputs than one core's axons, the mapping splits its inputs into shares; the
     * soma (the neuron itself) holds share 0 and a compartment population per further share holds
     * that share for every neuron of the soma population, compartment {@code i} belonging to soma
     * neuron {@code i}. A compartment sends no spikes and keeps no state: at every step, after
     * its synapses are summed and before any neuron updates, its sum joins its soma's sum. It
     * shares the soma's parameters (its mantissas have the soma's exponent).
     *
     * <p>Relays (TrueNorth, which has no join): every share goes to a positive and a negative relay
     * population, relay {@code i} serving soma neuron {@code i}; they are ordinary spiking neurons
     * (no leak, subtractive reset, voltage floored at 0) whose synapses onto the soma carry plus
     * or minus their firing level.
     *
     * @param id        index in {@link Program#populations()}
     * @param layer     the IR node's name ({@code lif5/c1} for the compartments of share 1 of
     *                  {@code lif5}, {@code lif5/r0+} and {@code lif5/r0-} for the relays of share 0)
     * @param size      neurons
     * @param offset    global index of its first neuron
     * @param params    the neuron's integer parameters, in the target's fixed point
     * @param quant     how real-valued parameters became those integers
     * @param bias      {@code [size]} voltage units each neuron receives at every step (conv biases and
     *                  folded normalisation shifts; Loihi's compartment bias), or null when all are 0
     * @param kind      neurons, joined compartments or relays
     * @param soma      for compartments and relays, the population they serve (of the same size); -1 for neurons
     * @param channels  per-channel weight scales and the thresholds and leaks they imply, or null
     *                  when the population has one scale ({@code quant} and {@code params} hold it)
     */
    public record Population(int id, String layer, int size, int offset, NeuronParams params, Quantization quant,
            int[] bias, Kind kind, int soma, ChannelScales channels) {

        public Population(int id, String layer, int size, int offset, NeuronParams params, Quantization quant) {
            this(id, layer, size, offset, params, quant, null, Kind.NEURONS, -1, null);
        }

        public Population(int id, String layer, int size, int offset, NeuronParams params, Quantization quant,
                int[] bias) {
            this(id, layer, size, offset, params, quant, bias, Kind.NEURONS, -1, null);
        }

        public Population {
            if (bias != null && bias.length != size) {
                throw new IllegalArgumentException("population " + layer + " has " + size + " neurons but " + bias.length + " biases");
            }
            if ((kind == Kind.NEURONS) != (soma < 0)) {
                throw new IllegalArgumentException("population " + layer + " of kind " + kind + " serves population " + soma);
            }
            if (kind != Kind.NEURONS && bias != null) {
                throw new IllegalArgumentException(kind + " " + layer + " have a bias; only their soma has one");
            }
            if (channels != null && size % channels.count() != 0) {
                throw new IllegalArgumentException("population " + layer + " of " + size + " neurons has " + channels.count() + " channels");
            }
        }

        /** Whether these are joined compartments, not neurons. */
        public boolean compartments() {
            return kind == Kind.COMPARTMENTS;
        }

        /** Whether these are relay neurons of another population. */
        public boolean relays() {
            return kind == Kind.RELAYS;
        }

        /** Neuron {@code i}'s bias (0 when the population has none). */
        public int bias(int i) {
            return bias == null ? 0 : bias[i];
        }

        /** The channel of local neuron {@code i} (neurons are CHW), 0 without per-channel scales. */
        public int channelOf(int i) {
            return channels == null ? 0 : i / (size / channels.count());
        }

        /** Local neuron {@code i} fires when {@code v} exceeds this. */
        public long firingLevel(int i) {
            return channels == null ? params.firingLevel() : (long) channels.threshold()[channelOf(i)] << params.thresholdShift();
        }

        /** Local neuron {@code i}'s linear leak per step. */
        public int linearLeak(int i) {
            return channels == null ? params.linearLeak() : channels.linearLeak()[channelOf(i)];
        }

        /** Local neuron {@code i}'s voltage units per real unit of input. */
        public double voltageScale(int i) {
            double s = quant.voltageScale(params);
            return channels == null ? s : s / quant.weightScale() * channels.scale()[channelOf(i)];
        }

    }

    /**
     * Per-channel quantization: output channel {@code c}'s weights take its own scale, so a channel
     * of small weights keeps its resolution; its threshold (and linear leak) follow the scale. The
     * population's exponent is shared.
     *
     * @param scale      {@code [channels]} weight mantissa units per real unit
     * @param threshold  {@code [channels]} threshold mantissas (the neuron fires above {@code threshold << threshold_shift})
     * @param linearLeak {@code [channels]} units a linear leak subtracts per step (0 for other leaks)
     */
    public record ChannelScales(double[] scale, int[] threshold, int[] linearLeak) {
        public ChannelScales {
            if (threshold.length != scale.length || linearLeak.length != scale.length) {
                throw new IllegalArgumentException("per-channel arrays differ in length");
            }
        }

        public int count() {
            return scale.length;
        }
    }

    /**
     * How a population's real parameters were turned into integers; kept so that reports and
     * readouts can convert back.
     *
     * @param weightScale     weight mantissa units per real unit of weight
     * @param weightExponent  the shared exponent: a synapse's integer weight is its mantissa
     *                        {@code << weightExponent}
     * @param weightBits      bits of the signed mantissa
     * @param threshold       the real threshold θ
     * @param leak            the real leak λ asked for
     * @param effectiveLeak   the leak the integers realise (for a linear leak: the λ whose loss
     *                        at the threshold equals the subtracted constant)
     */
    public record Quantization(double weightScale, int weightExponent, int weightBits, double threshold, double leak,
            double effectiveLeak) {

        /** Voltage units per real unit: mantissa scale x 2^exponent x 2^synaptic input shift. */
        public double voltageScale(NeuronParams p) {
            return weightScale * Math.pow(2, weightExponent + p.synapticShift());
        }
    }

    /**
     * The synapses: explicit rows (CSR per source) and convolution kernels whose synapses are
     * generated from their geometry. A synapse's integer weight is its mantissa
     * {@code << weightExponent} of the target's population.
     *
     * <p>Explicit rows: the synapses of source {@code s} are {@code rowStart[s] .. rowStart[s+1]-1},
     * grouped by the target's core (cores ascending), targets ascending within a core, so that a
     * row splits into one contiguous run per destination core and population.
     *
     * @param rowStart {@code [sources + 1]}
     * @param target   {@code [explicit synapses]} global neuron index
     * @param mantissa {@code [explicit synapses]} signed weight mantissa
     * @param kernels  shared-weight projections, at most one per population (whose input then
     *                 has no explicit synapses)
     */
    public record Synapses(int[] rowStart, int[] target, short[] mantissa, List<Kernel> kernels) {
        public Synapses {
            kernels = List.copyOf(kernels);
        }

        public int sources() {
            return rowStart.length - 1;
        }

        /** Explicit synapses. */
        public int explicit() {
            return target.length;
        }

        /** All synapses, those of the kernels counted at every output they reach. */
        public long count() {
            long n = target.length;
            for (Kernel k : kernels) n += k.synapses();
            return n;
        }
    }

    /** Receives one synapse of an enumeration. */
    public interface SynapseSink {
        void accept(int target, int mantissa);
    }

    /**
     * Every synapse of source {@code src}: its explicit row, then the synapses of each kernel
     * reading it (a kernel's targets tap by tap, output channels innermost).
     */
    public void forEachSynapse(int src, SynapseSink sink) {
        Synapses s = synapses;
        for (int e = s.rowStart()[src]; e < s.rowStart()[src + 1]; e++) sink.accept(s.target()[e], s.mantissa()[e]);
        for (Kernel k : s.kernels()) {
            if (k.reads(src)) k.forEachTarget(src - k.sourceBase(), populations.get(k.population()).offset(), sink);
        }
    }

    /**
     * A convolution-like projection stored as shared integer kernels and their geometry instead
     * of explicit synapses: a conv, or a chain of convs and average pools composed into one
     * (an avgpool before a conv folds into a wider, strided kernel). Source {@code (ci, iy, ix)}
     * of the block reaches output {@code (co, oy, ox)} of the population through tap
     * {@code (ky, kx)} when {@code iy = oy * strideH - padH + ky * dilationH} and
     * {@code ix = ox * strideW - padW + kx * dilationW}, {@code 0 <= ky < kernelH},
     * {@code 0 <= kx < kernelW}, with the mantissa of the output's class.
     *
     * <p>Classes: composed weights are the same for every output except near the borders, where
     * zero padding, pooling windows cut by the edge or intermediate maps' padding drop some
     * paths. Output rows with the same pattern of dropped paths share a row class, columns a
     * column class; each (row class, column class) has its own kernel, so the kernel form gives
     * exactly the synapses and integer weights of the explicit form. A mantissa of 0 is no synapse.
     *
     * @param population   the target population, of shape {@code [outChannels, outHeight, outWidth]}
     * @param sourceBase   first source of the block read, of shape {@code [inChannels, inHeight, inWidth]}
     * @param rowClass     {@code [outHeight]} class of every output row
     * @param colClass     {@code [outWidth]} class of every output column
     * @param mantissa     {@code [rowClasses][colClasses][inChannels][kernelH][kernelW][outChannels]},
     *                     output channel innermost so that one source tap's targets are contiguous
     */
    public record Kernel(int population, int sourceBase, int inChannels, int inHeight, int inWidth, int outChannels,
            int outHeight, int outWidth, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
            int kernelH, int kernelW, int rowClasses, int colClasses, int[] rowClass, int[] colClass, short[] mantissa) {

        /** Sources in the block read. */
        public int sources() {
            return inChannels * inHeight * inWidth;
        }

        public boolean reads(int src) {
            return src >= sourceBase && src - sourceBase < sources();
        }

        /** Entries of {@link #mantissa}: classes x taps x output channels. */
        public long entries() {
            return (long) rowClasses * colClasses * inChannels * kernelH * kernelW * outChannels;
        }

        /** Index into {@link #mantissa} of the first output channel of a tap. */
        public int at(int rowClass, int colClass, int ci, int ky, int kx) {
            return ((((rowClass * colClasses + colClass) * inChannels + ci) * kernelH + ky) * kernelW + kx) * outChannels;
        }

        /** Synapses: for each class, its outputs times its non-zero mantissas. */
        public long synapses() {
            long[] rows = new long[rowClasses];
            long[] cols = new long[colClasses];
            for (int c : rowClass) rows[c]++;
            for (int c : colClass) cols[c]++;
            int perClass = inChannels * kernelH * kernelW * outChannels;
            long n = 0;
            for (int ry = 0; ry < rowClasses; ry++) {
                for (int rx = 0; rx < colClasses; rx++) {
                    long nonZero = 0;
                    int base = (ry * colClasses + rx) * perClass;
                    // Per output channel: the taps of one class and channel meet every output of the class.
                    for (int i = 0; i < perClass; i++) if (mantissa[base + i] != 0) nonZero++;
                    n += rows[ry] * cols[rx] * nonZero;
                }
            }
            return n;
        }

        /**
         * The output row (or column) that reads source row {@code i} through tap {@code k}, or -1:
         * {@code o = (i + pad - k * dilation) / stride} when that divides exactly and lies in {@code [0, size)}.
         */
        public static int outOf(int i, int k, int pad, int dilation, int stride, int size) {
            int num = i + pad - k * dilation;
            if (num < 0 || num % stride != 0) return -1;
            int o = num / stride;
            return o < size ? o : -1;
        }

        /** The synapses of source {@code local} of the block onto a population starting at neuron {@code offset}. */
        public void forEachTarget(int local, int offset, SynapseSink sink) {
            int plane = inHeight * inWidth;
            int ci = local / plane, iy = (local % plane) / inWidth, ix = local % inWidth;
            int outPlane = outHeight * outWidth;
            for (int ky = 0; ky < kernelH; ky++) {
                int oy = outOf(iy, ky, padH, dilationH, strideH, outHeight);
                if (oy < 0) continue;
                for (int kx = 0; kx < kernelW; kx++) {
                    int ox = outOf(ix, kx, padW, dilationW, strideW, outWidth);
                    if (ox < 0) continue;
                    int w = at(rowClass[oy], colClass[ox], ci, ky, kx);
                    int t = offset + oy * outWidth + ox;
                    for (int co = 0; co < outChannels; co++) {
                        int m = mantissa[w + co];
                        if (m != 0) sink.accept(t + co * outPlane, m);
                    }
                }
            }
        }

        /**
         * The sources of output {@code local} of the population, ascending, written from
         * {@code buf[at]} on (global source indices).
         *
         * @return the index after the last written
         */
        public int sourcesOf(int local, int[] buf, int at) {
            int outPlane = outHeight * outWidth;
            int co = local / outPlane, oy = (local % outPlane) / outWidth, ox = local % outWidth;
            int ry = rowClass[oy], rx = colClass[ox];
            for (int ci = 0; ci < inChannels; ci++) {
                for (int ky = 0; ky < kernelH; ky++) {
                    int iy = oy * strideH - padH + ky * dilationH;
                    if (iy < 0 || iy >= inHeight) continue;
                    for (int kx = 0; kx < kernelW; kx++) {
                        int ix = ox * strideW - padW + kx * dilationW;
                        if (ix < 0 || ix >= inWidth) continue;
                        if (mantissa[at(ry, rx, ci, ky, kx) + co] != 0) buf[at++] = sourceBase + (ci * inHeight + iy) * inWidth + ix;
                    }
                }
            }
            return at;
        }

        /** The most sources any output can have: taps times input channels. */
        public int maxFanIn() {
            return inChannels * kernelH * kernelW;
        }
    }

    /**
     * A synaptic layer of the source network (conv, dense, sparse...), kept for the paper's
     * energy model: its dense MACs (Eq. 9) times the spike rate of its spiking source.
     *
     * @param name             the IR node's name
     * @param op               its op keyword
     * @param macs             Eq. 9 MACs per time step
     * @param sourceInput      the input group it reads, or -1
     * @param sourcePopulation the population it reads, or -1
     * @param targetPopulation the population whose input it computes
     */
    public record SynapticLayer(String name, String op, long macs, int sourceInput, int sourcePopulation,
            int targetPopulation) {
    }

    /**
     * Placement. Cores on one chip with the same {@code x, y} share a tile (router).
     *
     * @param chip         {@code [cores]} chip index, {@code chipX + chipY * chipsX}
     * @param x            {@code [cores]} tile column on its chip
     * @param y            {@code [cores]} tile row on its chip
     * @param coreOfNeuron {@code [neurons]}
     */
    public record Cores(int[] chip, int[] x, int[] y, int[] coreOfNeuron) {
        public int count() {
            return chip.length;
        }
    }

    /**
     * Routing table, CSR per source core: the cores a core's spikes may travel to, ascending.
     * Input channels are written by the host straight into their destination cores and have no
     * routes.
     *
     * @param start {@code [cores + 1]}
     * @param dest  destination cores
     */
    public record Routes(int[] start, int[] dest) {
    }

    /** A layer computed on the host (a CPU beside the chip), and why. */
    public record HostLayer(String name, String op, String reason) {
    }
}
