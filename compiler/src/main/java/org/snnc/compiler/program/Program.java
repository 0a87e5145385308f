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
 * @param synapses    the synapse table, CSR per source
 * @param layers      the synaptic layers of the source network, for the paper's energy model
 * @param cores       core of every neuron and place of every core
 * @param routes      destination cores of every core
 * @param host        layers that run on the host, not on cores, with the reason
 */
public record Program(Header header, Mesh mesh, List<InputGroup> inputs, List<Population> populations,
        Synapses synapses, List<SynapticLayer> layers, Cores cores, Routes routes, List<HostLayer> host) {

    /** The format version {@link ProgramWriter} writes; {@link ProgramReader} reads exactly these. */
    public static final int FORMAT_VERSION = 1;

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

    /** Neurons (and non-spiking compartments) of all populations. */
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

    /**
     * A population of neurons from one spiking or integrating layer.
     *
     * @param id     index in {@link Program#populations()}
     * @param layer  the IR node's name
     * @param size   neurons
     * @param offset global index of its first neuron
     * @param params the neuron's integer parameters, in the target's fixed point
     * @param quant  how real-valued parameters became those integers
     * @param bias   {@code [size]} voltage units each neuron receives at every step (conv biases and
     *               folded normalisation shifts; Loihi's compartment bias), or null when all are 0
     */
    public record Population(int id, String layer, int size, int offset, NeuronParams params, Quantization quant,
            int[] bias) {

        public Population(int id, String layer, int size, int offset, NeuronParams params, Quantization quant) {
            this(id, layer, size, offset, params, quant, null);
        }

        public Population {
            if (bias != null && bias.length != size) {
                throw new IllegalArgumentException("population " + layer + " has " + size + " neurons but " + bias.length + " biases");
            }
        }

        /** Neuron {@code i}'s bias (0 when the population has none). */
        public int bias(int i) {
            return bias == null ? 0 : bias[i];
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
     * CSR per source: synapses of source {@code s} are {@code rowStart[s] .. rowStart[s+1]-1};
     * within a row, targets ascend strictly.
     *
     * @param rowStart {@code [sources + 1]}
     * @param target   {@code [synapses]} global neuron index
     * @param weight   {@code [synapses]} integer weight: mantissa {@code << exponent} of the
     *                 target population
     */
    public record Synapses(int[] rowStart, int[] target, int[] weight) {
        public int sources() {
            return rowStart.length - 1;
        }

        public int count() {
            return target.length;
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
