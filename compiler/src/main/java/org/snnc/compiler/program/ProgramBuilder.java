package org.snnc.compiler.program;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.lower.FoldNorm;
import org.snnc.compiler.lower.Quantize;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;
import org.snnc.compiler.target.Target;

/**
 * Builds a {@link Program} from the Spiking IR for a target.
 *
 * <p>Before: a valid IR. After: a program that {@link Validator} accepts, in which
 * <ul>
 *   <li>every input is a group of input channels carrying binary spikes;</li>
 *   <li>every spiking ({@code LIF}/{@code IF}) or {@code accumulate} layer is a population;</li>
 *   <li>the linear layers between a spiking source and a population (conv, tconv, dense,
 *       sparse, avgpool, flatten, add, and bntt/batchnorm through the {@link FoldNorm} pass, the
 *       identity while no trained statistics exist) are composed into one synapse table, so an avgpool before a conv is
 *       folded into the conv's receptive field and only binary spikes travel;</li>
 *   <li>weights come from the {@link WeightSource}, quantized per population by the
 *       {@link Quantize} pass (the target's mantissa bits, one shared exponent, thresholds and
 *       leaks in the target's fixed point); the scale and the effective leak are in each
 *       population's {@link Program.Quantization}, the pass reports in {@link Result#lowering()};</li>
 *   <li>what cannot run on cores (upsample, anything reading the analog readout, a linear
 *       output without neurons) is listed as host-side.</li>
 * </ul>
 */
public final class ProgramBuilder {

    /** Thresholds below this many units are too coarse; the exponent is raised to refine them. */
    static final int MIN_THRESHOLD_UNITS = Quantize.MIN_THRESHOLD_UNITS;

    /**
     * The program (null from {@link #lower}, which stops before synapses and placement), what the
     * build approximated or decided, one line each, and the reports of the fold and quantize passes.
     */
    public record Result(Program program, List<String> notes, Lowering lowering) {
    }

    /** The reports of the lowering passes that change numbers, in pass order. */
    public record Lowering(List<FoldNorm.LayerReport> fold, List<Quantize.LayerReport> quantize) {

        /** Every warning of the passes. */
        public List<String> warnings() {
            List<String> w = new ArrayList<>();
            for (Quantize.LayerReport q : quantize) w.addAll(q.warnings());
            return w;
        }
    }

    /** Mantissas are stored as 16-bit integers. */
    static final int MAX_WEIGHT_BITS = 16;

    /**
     * How the synapses of convolution-like layers are stored: as shared kernels with their
     * geometry (the default, docs/program-format.md) or every synapse explicitly (for tests that
     * hold the two forms against each other).
     */
    public enum SynapseForm { KERNELS, EXPLICIT }

    private final SpikingIr ir;
    private final Target target;
    private final WeightSource weights;
    private final SynapseForm form;
    private final Quantize.Scaling scaling;
    private final List<String> notes = new ArrayList<>();
    private final List<FoldNorm.LayerReport> folds = new ArrayList<>();
    private final List<Quantize.LayerReport> quantized = new ArrayList<>();

    private ProgramBuilder(SpikingIr ir, Target target, WeightSource weights, SynapseForm form, Quantize.Scaling scaling) {
        this.ir = ir;
        this.target = target;
        this.weights = weights;
        this.form = form;
        this.scaling = scaling;
    }

    public static Result build(SpikingIr ir, Target target, WeightSource weights, Placement placement) {
        return build(ir, target, weights, placement, SynapseForm.KERNELS);
    }

    public static Result build(SpikingIr ir, Target target, WeightSource weights, Placement placement, SynapseForm form) {
        return build(ir, target, weights, placement, form, Quantize.Scaling.LAYER);
    }

    /** @param scaling one weight scale per population, or per output channel ({@link Quantize#planChannels}) */
    public static Result build(SpikingIr ir, Target target, WeightSource weights, Placement placement, SynapseForm form,
            Quantize.Scaling scaling) {
        return new ProgramBuilder(ir, target, weights, form, scaling).run(placement);
    }

    /**
     * The fold and quantize passes alone: the same composition and quantization as {@link #build},
     * without storing synapses, placing or validating a program ({@code Result.program()} is null).
     * {@code snnc compile --target} prints these reports without writing a program.
     */
    public static Result lower(SpikingIr ir, Target target, WeightSource weights) {
        return lower(ir, target, weights, Quantize.Scaling.LAYER);
    }

    public static Result lower(SpikingIr ir, Target target, WeightSource weights, Quantize.Scaling scaling) {
        return new ProgramBuilder(ir, target, weights, SynapseForm.KERNELS, scaling).run(null);
    }

    // ---- what each IR value is on the chip -------------------------------------------------

    /** A node's value: spikes from a source block, a linear combination of spikes, or host-side. */
    private sealed interface Val permits Spikes, Linear, Host {
    }

    /** Binary spikes of sources {@code base .. base + shape.size() - 1}. */
    private record Spikes(int base, Shape shape, int inputGroup, int population) implements Val {
    }

    /**
     * A sum of terms, each a chain of linear steps applied to a spike source, plus a constant per
     * output (biases and folded normalisation shifts; null when zero), which a population receives
     * at every step as its neurons' bias.
     */
    private record Linear(Shape shape, List<Term> terms, List<Integer> nodes, double[] constant) implements Val {
        Linear(Shape shape, List<Term> terms, List<Integer> nodes) {
            this(shape, terms, nodes, null);
        }
    }

    /**
     * A value the chip cannot deliver as spikes. {@code onHost}: the layer itself runs on the
     * host; false for a readout population, which runs on cores but whose analog value only the
     * host can read.
     */
    private record Host(String why, boolean onHost) implements Val {
    }

    private record Term(Spikes source, List<LinearStep> chain) {
    }

    /** @param bias the real constant input of every neuron per step, or null */
    private record PendingPopulation(Node node, boolean integrator, List<Term> terms, double[] bias) {
    }

    private Result run(Placement placement) {
        int inputChannels = 0;
        for (Node n : ir.nodes()) if (n.op() instanceof Op.Input) inputChannels += Math.toIntExact(n.shape().size());

        Val[] vals = new Val[ir.nodes().size()];
        List<Program.InputGroup> inputs = new ArrayList<>();
        List<PendingPopulation> pending = new ArrayList<>();
        List<Program.HostLayer> host = new ArrayList<>();
        boolean[] hostNode = new boolean[vals.length];
        int channel = 0;
        int neuron = 0;
        for (Node n : ir.nodes()) {
            Op op = n.op();
            List<Val> in = new ArrayList<>();
            for (int i : n.inputs()) in.add(vals[i]);
            Host hostIn = null;
            for (int k = 0; k < in.size(); k++) {
                if (in.get(k) instanceof Host h) {
                    hostIn = h.onHost() ? new Host("reads '" + ir.node(n.inputs().get(k)).name() + "', which is on the host", true)
                            : new Host(h.why(), true);
                }
            }
            if (op instanceof Op.Input input) {
                int count = Math.toIntExact(n.shape().size());
                inputs.add(new Program.InputGroup(n.name(), input.encoding().kind().keyword(), channel, count));
                vals[n.id()] = new Spikes(channel, n.shape(), inputs.size() - 1, -1);
                channel += count;
            } else if (hostIn != null) {
                vals[n.id()] = hostIn;
            } else if (op instanceof Op.Spiking || op instanceof Op.Accumulate) {
                boolean integrator = op instanceof Op.Accumulate;
                Linear drive = asLinear(in.get(0), n.shape());
                int id = pending.size();
                pending.add(new PendingPopulation(n, integrator, drive.terms(), drive.constant()));
                int size = Math.toIntExact(n.shape().size());
                vals[n.id()] = integrator
                        ? new Host("reads the readout '" + n.name() + "', whose value is analog", false)
                        : new Spikes(inputChannels + neuron, n.shape(), -1, id);
                neuron += size;
            } else if (op instanceof Op.Flatten) {
                Val v = in.get(0);
                vals[n.id()] = v instanceof Spikes s ? new Spikes(s.base(), n.shape(), s.inputGroup(), s.population())
                        : new Linear(n.shape(), ((Linear) v).terms(), ((Linear) v).nodes(), ((Linear) v).constant());
            } else if (op instanceof Op.Bntt || op instanceof Op.BatchNorm) {
                // The fold pass: the scale goes into the weights of the step before, the shift
                // becomes a per-step bias; without trained statistics it is the identity.
                FoldNorm.LayerReport fold;
                try {
                    fold = FoldNorm.fold(n.name(), op.keyword(), n.shape().channels(), weights.normStats(n),
                            FoldNorm.Mode.AVERAGE);
                } catch (IllegalArgumentException e) {
                    throw new ProgramBuildException(n.name() + ": " + e.getMessage());
                }
                folds.add(fold);
                notes.add(fold.summary());
                Linear l = asLinear(in.get(0), n.shape());
                vals[n.id()] = fold.identity() ? new Linear(n.shape(), l.terms(), append(l.nodes(), n.id()), l.constant())
                        : normalised(n, l, fold);
            } else if (op instanceof Op.Add) {
                List<Term> terms = new ArrayList<>();
                List<Integer> nodes = new ArrayList<>();
                double[] constant = null;
                for (Val v : in) {
                    Linear l = asLinear(v, n.shape());
                    terms.addAll(l.terms());
                    nodes.addAll(l.nodes());
                    if (l.constant() != null) {
                        if (constant == null) constant = new double[l.constant().length];
                        for (int i = 0; i < constant.length; i++) constant[i] += l.constant()[i];
                    }
                }
                nodes.add(n.id());
                vals[n.id()] = new Linear(n.shape(), terms, nodes, constant);
            } else if (op instanceof Op.Conv || op instanceof Op.ConvTranspose || op instanceof Op.AvgPool
                    || op instanceof Op.Dense || op instanceof Op.SparseProjection) {
                Linear l = asLinear(in.get(0), ir.node(n.inputs().get(0)).shape());
                List<Term> terms = new ArrayList<>();
                LinearStep step = LinearStep.of(n, ir.node(n.inputs().get(0)).shape(), weights);
                for (Term t : l.terms()) terms.add(new Term(t.source(), append(t.chain(), step)));
                vals[n.id()] = new Linear(n.shape(), terms, append(l.nodes(), n.id()), constant(n, step, l.constant()));
            } else {
                vals[n.id()] = new Host(op.keyword() + " has no on-chip form", true);
                // The analog values this host layer reads must come off the chip too.
                for (int k = 0; k < in.size(); k++) {
                    if (in.get(k) instanceof Linear l) {
                        for (int id : l.nodes()) markHost(id, "its output feeds the host-side '" + n.name() + "'", host, hostNode);
                    }
                }
            }
            if (vals[n.id()] instanceof Host h && h.onHost()) markHost(n.id(), h.why(), host, hostNode);
        }
        for (SpikingIr.OutputRef o : ir.outputs()) {
            if (vals[o.node()] instanceof Linear l) {
                for (int id : l.nodes()) markHost(id, "output '" + o.name() + "' has no neurons to hold it", host, hostNode);
            }
        }
        if (pending.isEmpty()) {
            throw new ProgramBuildException("network '" + ir.network() + "' has no spiking or accumulate layer to run on cores");
        }
        host.sort((a, b) -> Integer.compare(indexOf(a.name()), indexOf(b.name())));
        return assemble(inputChannels, neuron, inputs, pending, host, placement);
    }

    private int indexOf(String name) {
        for (Node n : ir.nodes()) if (n.name().equals(name)) return n.id();
        return -1;
    }

    /**
     * A population's real per-step constant input in voltage units, rounded, within the voltage's
     * range (clipping is reported); null when every neuron's is 0.
     */
    private int[] bias(PendingPopulation pp, Quantize.Plan plan) {
        if (pp.bias() == null) return null;
        long max = (1L << (plan.params().voltageBits() - 1)) - 1;
        int[] out = new int[pp.bias().length];
        int plane = out.length / pp.node().shape().channels();
        long clipped = 0;
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            double scale = plan.voltageScale(plan.channels() == null ? 0 : i / plane);
            long b = Math.round(pp.bias()[i] * scale);
            if (Math.abs(b) > max) {
                clipped++;
                b = Long.signum(b) * max;
            }
            out[i] = (int) b;
            any |= b != 0;
        }
        if (clipped > 0) {
            notes.add(String.format("%s: %,d of %,d biases clipped to the %d-bit voltage", pp.node().name(), clipped,
                    out.length, plan.params().voltageBits()));
        }
        return any ? out : null;
    }

    /** A linear layer's constant output: its input's constant carried through the layer, plus its bias. */
    private double[] constant(Node n, LinearStep step, double[] in) {
        Optional<float[]> bias = weights.bias(n);
        if (in == null && bias.isEmpty()) return null;
        int size = Math.toIntExact(n.shape().size());
        double[] out = new double[size];
        if (in != null) {
            for (int o = 0; o < size; o++) {
                int at = o;
                step.backward(o, (i, c) -> out[at] += c * in[i]);
            }
        }
        if (bias.isPresent()) {
            float[] b = bias.get();
            int plane = size / b.length;
            for (int o = 0; o < size; o++) out[o] += b[o / plane];
        }
        return out;
    }

    /** {@code scale[c] * x + shift[c]} over a linear value: the scale into each term's last step, the shift into the constant. */
    private Linear normalised(Node n, Linear l, FoldNorm.LayerReport fold) {
        int size = Math.toIntExact(n.shape().size());
        int plane = size / n.shape().channels();
        List<Term> terms = new ArrayList<>();
        for (Term t : l.terms()) {
            List<LinearStep> chain = new ArrayList<>(t.chain());
            if (chain.isEmpty()) {
                chain.add(new LinearStep.ChannelScale(n, new LinearStep.Identity(n), fold.scale(), plane));
            } else {
                int last = chain.size() - 1;
                chain.set(last, chain.get(last).scaled(fold.scale(), plane));
            }
            terms.add(new Term(t.source(), chain));
        }
        double[] constant = new double[size];
        for (int o = 0; o < size; o++) {
            int c = o / plane;
            constant[o] = (l.constant() == null ? 0 : l.constant()[o] * fold.scale()[c]) + fold.shift()[c];
        }
        return new Linear(n.shape(), terms, append(l.nodes(), n.id()), constant);
    }

    private void markHost(int id, String why, List<Program.HostLayer> host, boolean[] hostNode) {
        if (hostNode[id]) return;
        hostNode[id] = true;
        Node n = ir.node(id);
        host.add(new Program.HostLayer(n.name(), n.op().keyword(), why));
    }

    private static Linear asLinear(Val v, Shape shape) {
        if (v instanceof Linear l) return l;
        return new Linear(shape, List.of(new Term((Spikes) v, List.of())), List.of());
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    // ---- synapses, quantization, placement ---------------------------------------------------

    private Result assemble(int inputChannels, int neurons, List<Program.InputGroup> inputs, List<PendingPopulation> pending,
            List<Program.HostLayer> host, Placement placement) {
        boolean dry = placement == null;
        int sources = inputChannels + neurons;
        Composer composer = new Composer(sources);
        List<Program.Population> pops = new ArrayList<>();
        List<Program.SynapticLayer> layers = new ArrayList<>();
        KernelPlan[] kernelPlans = new KernelPlan[pending.size()];
        Quantize.Plan[] plans = new Quantize.Plan[pending.size()];
        long explicitBound = 0;
        int offset = 0;
        // Pass 1, every population: the largest composed weight sets its scale; explicit ones also
        // count their composed weights, so that the incoming table is allocated once at its bound.
        for (int id = 0; id < pending.size(); id++) {
            PendingPopulation pp = pending.get(id);
            int size = Math.toIntExact(pp.node().shape().size());
            int channels = pp.node().shape().channels();
            int plane = size / channels;
            double maxAbs = 0;
            double[] channelMax = new double[channels];
            KernelPlan kp = form == SynapseForm.KERNELS ? KernelPlan.of(pp) : null;
            kernelPlans[id] = kp;
            if (kp != null) {
                for (int ry = 0; ry < kp.rowClasses(); ry++) {
                    for (int rx = 0; rx < kp.colClasses(); rx++) {
                        for (int co = 0; co < kp.outChannels(); co++) {
                            composer.compose(pp.terms(), kp.representative(co, ry, rx));
                            for (int k = 0; k < composer.count; k++) channelMax[co] = Math.max(channelMax[co], Math.abs(composer.value(k)));
                            composer.clear();
                        }
                    }
                }
            } else {
                // Without a program to store (lower), an interior neuron's composed weights are those of
                // its channel's first interior neuron, shifted: composed once per channel, not per neuron.
                Interior interior = dry ? Interior.of(pp) : null;
                boolean[] seen = interior == null ? null : new boolean[pp.node().shape().channels()];
                for (int o = 0; o < size; o++) {
                    if (interior != null && interior.contains(o)) {
                        int c = interior.channel(o);
                        if (seen[c]) continue;
                        seen[c] = true;
                    }
                    composer.compose(pp.terms(), o);
                    int c = o / plane;
                    for (int k = 0; k < composer.count; k++) channelMax[c] = Math.max(channelMax[c], Math.abs(composer.value(k)));
                    if (!dry) explicitBound += composer.count;
                    composer.clear();
                }
            }
            for (double m : channelMax) maxAbs = Math.max(maxAbs, m);
            Quantize.Plan plan = scaling == Quantize.Scaling.CHANNEL && channels > 1
                    ? Quantize.planChannels(target, pp.node(), pp.integrator(), channelMax)
                    : Quantize.plan(target, pp.node(), pp.integrator(), maxAbs);
            if (!dry && plan.quant().weightBits() > MAX_WEIGHT_BITS) {
                throw new ProgramBuildException("target '" + target.name() + "' has " + plan.quant().weightBits()
                        + "-bit weight mantissas; programs store mantissas in " + MAX_WEIGHT_BITS
                        + " bits (docs/program-format.md): use a target with weight_bits <= " + MAX_WEIGHT_BITS);
            }
            plans[id] = plan;
            notes.addAll(plan.notes());
            pops.add(new Program.Population(id, pp.node().name(), size, offset, plan.params(), plan.quant(), bias(pp, plan),
                    Program.Kind.NEURONS, -1, plan.channels()));
            offset += size;
        }
        if (explicitBound > Integer.MAX_VALUE - 8) {
            throw new ProgramBuildException("network '" + ir.network() + "' composes " + explicitBound
                    + " explicit synapses, more than a program holds (2^31); only convolutions and average pools are stored as kernels");
        }

        // Pass 2: quantize, dropping synapses whose mantissa rounds to 0 (a compiler prunes them).
        // Explicit synapses go into one incoming table (per neuron), kernels into their classes.
        int[] inStart = dry ? null : new int[neurons + 1];
        int[] inSource = dry ? null : new int[(int) explicitBound];
        short[] inMantissa = dry ? null : new short[(int) explicitBound];
        int fill = 0;
        long pruned = 0;
        List<Program.Kernel> kernels = new ArrayList<>();
        for (int id = 0; id < pending.size(); id++) {
            PendingPopulation pp = pending.get(id);
            Program.Population pop = pops.get(id);
            int size = pop.size();
            Quantize.Tally tally = new Quantize.Tally(pp.node().name(), plans[id]);
            KernelPlan kp = kernelPlans[id];
            if (kp != null) {
                Program.Kernel kernel = kp.empty(id);
                short[] w = kernel.mantissa();
                for (int ry = 0; ry < kp.rowClasses(); ry++) {
                    for (int rx = 0; rx < kp.colClasses(); rx++) {
                        long outputs = kp.outputs(ry, rx);
                        for (int co = 0; co < kp.outChannels(); co++) {
                            int o = kp.representative(co, ry, rx);
                            tally.channel(co);
                            composer.compose(pp.terms(), o);
                            for (int k = 0; k < composer.count; k++) {
                                long m = tally.mantissa(composer.value(k));
                                w[kp.tap(kernel, composer.touched[k], o) + co] = (short) m;
                            }
                            composer.clear();
                            Quantize.Counts counts = tally.endNeuron();
                            for (long i = 1; i < outputs; i++) tally.add(counts);
                            pruned += counts.zeros() * outputs;
                        }
                    }
                }
                if (!dry) kernels.add(kernel);
                if (!dry) for (int o = 0; o < size; o++) inStart[pop.offset() + o + 1] = fill;
            } else {
                Interior interior = dry ? Interior.of(pp) : null;
                Quantize.Counts[] counts = interior == null ? null : new Quantize.Counts[pp.node().shape().channels()];
                for (int o = 0; o < size; o++) {
                    if (interior != null && interior.contains(o)) {
                        int c = interior.channel(o);
                        if (counts[c] == null) {
                            tally.channel(pop.channelOf(o));
                            composer.compose(pp.terms(), o);
                            for (int k = 0; k < composer.count; k++) tally.mantissa(composer.value(k));
                            composer.clear();
                            counts[c] = tally.endNeuron();
                        } else {
                            tally.add(counts[c]);
                        }
                        pruned += counts[c].zeros();
                        continue;
                    }
                    tally.channel(pop.channelOf(o));
                    composer.compose(pp.terms(), o);
                    composer.sortTouched();
                    for (int k = 0; k < composer.count; k++) {
                        long m = tally.mantissa(composer.value(k));
                        if (m == 0) {
                            pruned++;
                            continue;
                        }
                        if (dry) continue;
                        inSource[fill] = composer.touched[k];
                        inMantissa[fill++] = (short) m;
                    }
                    tally.endNeuron();
                    composer.clear();
                    if (!dry) inStart[pop.offset() + o + 1] = fill;
                }
            }
            quantized.add(tally.report());
            for (Term t : pp.terms()) {
                for (LinearStep s : t.chain()) {
                    if (s.node.macs() > 0) {
                        layers.add(new Program.SynapticLayer(s.node.name(), s.node.op().keyword(), s.node.macs(),
                                t.source().inputGroup(), t.source().population(), id));
                    }
                }
            }
        }
        if (pruned > 0) notes.add(pruned + " synapses pruned: their weights round to a mantissa of 0");
        Lowering lowering = new Lowering(List.copyOf(folds), List.copyOf(quantized));
        if (dry) {
            notes.add(0, "weights: " + weights.describe());
            return new Result(null, List.copyOf(notes), lowering);
        }

        Placement.Request ask = new Placement.Request(target, pops, inputChannels,
                new Incoming(inputChannels, pops, inStart, inSource, kernels), inputs);
        Placement.Join[] joins = new Placement.Join[pops.size()];
        boolean joined = false;
        for (int id = 0; id < pops.size(); id++) {
            joins[id] = placement.join(ask, id);
            joined |= joins[id].parts() > 1;
        }
        boolean relayed = false;
        for (Placement.Join j : joins) relayed |= j.relay() && j.parts() > 1;
        // A target splits inputs one way: relays (TrueNorth) or joined compartments (Loihi).
        Joined split = relayed ? Relays.split(pops, joins, inputChannels, inStart, inSource, inMantissa, kernels, target, notes)
                : joined ? Joined.split(pops, joins, inStart, inSource, inMantissa, kernels) : null;
        if (split != null) {
            pops = split.pops();
            inStart = split.inStart();
            inSource = split.inSource();
            inMantissa = split.inMantissa();
            kernels = split.kernels();
            sources = inputChannels + split.neurons();
            fill = inStart[split.neurons()];
        }
        for (int id = 0; split != null && !relayed && id < joins.length; id++) {
            int parts = joins[id].parts();
            if (parts == 1) continue;
            String layer = pops.get(id).layer();
            notes.add("layer '" + layer + "': every neuron joins " + (parts - 1) + " compartment" + (parts == 2 ? "" : "s")
                    + " (" + layer + "/c1" + (parts == 2 ? "" : " .. " + layer + "/c" + (parts - 1))
                    + "), each summing a share of its inputs into it");
        }
        Program.Cores cores = placement.place(split == null ? ask : new Placement.Request(target, pops, inputChannels,
                new Incoming(inputChannels, pops, inStart, inSource, kernels), inputs));
        Program.Synapses synapses = transpose(sources, inputChannels, inStart, inSource, inMantissa, fill, kernels, cores);
        inSource = null;
        inMantissa = null;
        Program.Routes routes = routes(inputChannels, pops, synapses, cores);

        List<Program.SourceHash> hashes = new ArrayList<>();
        for (SpikingIr.SourceRef s : ir.sources()) hashes.add(new Program.SourceHash(s.path(), s.sha256()));
        Program.Header header = new Program.Header(Program.FORMAT_VERSION, ir.network(), hashes, target.name(),
                weights.seed(), ir.timesteps());
        Program.Mesh mesh = placement.mesh(target);
        Program program = new Program(header, mesh, inputs, pops, synapses, layers, cores, routes, host);
        try {
            Validator.check(program);
        } catch (ProgramFormatException e) {
            throw new IllegalStateException("the builder made an invalid program: " + e.getMessage(), e);
        }
        notes.add(0, "weights: " + weights.describe());
        return new Result(program, List.copyOf(notes), lowering);
    }

    /**
     * A program's populations and incoming synapses after joined compartments are split off: for
     * each population whose placement joins {@code J > 1} compartments per neuron, populations
     * {@code <layer>/c1 .. /c(J-1)} are appended after every neuron (so no neuron's index moves),
     * each taking the synapses of its share; share 0 stays with the soma. A kernel splits into one
     * kernel per share, over that share's slice of the input channels.
     */
    private record Joined(List<Program.Population> pops, int[] inStart, int[] inSource, short[] inMantissa,
            List<Program.Kernel> kernels, int neurons) {

        static Joined split(List<Program.Population> somas, Placement.Join[] joins, int[] inStart, int[] inSource,
                short[] inMantissa, List<Program.Kernel> kernels) {
            int neurons = inStart.length - 1;
            List<Program.Population> pops = new ArrayList<>(somas);
            // sharePop[p][j]: the population holding share j of population p's inputs (p itself for 0).
            int[][] sharePop = new int[somas.size()][];
            int offset = neurons;
            for (Program.Population soma : somas) {
                int parts = joins[soma.id()].parts();
                sharePop[soma.id()] = new int[parts];
                sharePop[soma.id()][0] = soma.id();
                for (int j = 1; j < parts; j++) {
                    sharePop[soma.id()][j] = pops.size();
                    pops.add(new Program.Population(pops.size(), soma.layer() + "/c" + j, soma.size(), offset, soma.params(),
                            soma.quant(), null, Program.Kind.COMPARTMENTS, soma.id(), soma.channels()));
                    offset += soma.size();
                }
            }
            int all = offset;
            // Each synapse to its share's neuron; a neuron's sources stay ascending within every share.
            int[] start = new int[all + 1];
            int[] to = new int[inStart[neurons]];
            for (Program.Population soma : somas) {
                Placement.Join join = joins[soma.id()];
                for (int i = 0; i < soma.size(); i++) {
                    int n = soma.offset() + i;
                    for (int e = inStart[n]; e < inStart[n + 1]; e++) {
                        int share = join.parts() == 1 ? 0 : join.shareOfSource().applyAsInt(inSource[e]);
                        to[e] = pops.get(sharePop[soma.id()][share]).offset() + i;
                        start[to[e] + 1]++;
                    }
                }
            }
            for (int n = 0; n < all; n++) start[n + 1] += start[n];
            int[] fill = Arrays.copyOf(start, all);
            int[] source = new int[to.length];
            short[] mantissa = new short[to.length];
            for (int e = 0; e < to.length; e++) {
                int at = fill[to[e]]++;
                source[at] = inSource[e];
                mantissa[at] = inMantissa[e];
            }
            List<Program.Kernel> split = new ArrayList<>();
            for (Program.Kernel k : kernels) {
                Placement.Join join = joins[k.population()];
                if (join.parts() == 1) {
                    split.add(k);
                    continue;
                }
                for (int[] run : channelRuns(k, join)) {
                    split.add(channels(k, sharePop[k.population()][run[0]], run[1], run[2], false));
                }
            }
            return new Joined(pops, start, source, mantissa, split, all);
        }

        /**
         * Kernel {@code k} restricted to input channels {@code [c0, c1)}, onto population {@code owner},
         * its mantissas negated for a negative relay.
         */
        private static Program.Kernel channels(Program.Kernel k, int owner, int c0, int c1, boolean negate) {
            int taps = k.kernelH() * k.kernelW() * k.outChannels();
            int classes = k.rowClasses() * k.colClasses();
            short[] w = new short[classes * (c1 - c0) * taps];
            for (int cl = 0; cl < classes; cl++) {
                System.arraycopy(k.mantissa(), (cl * k.inChannels() + c0) * taps, w, cl * (c1 - c0) * taps, (c1 - c0) * taps);
            }
            if (negate) for (int i = 0; i < w.length; i++) w[i] = (short) -w[i];
            return new Program.Kernel(owner, k.sourceBase() + c0 * k.inHeight() * k.inWidth(), c1 - c0, k.inHeight(),
                    k.inWidth(), k.outChannels(), k.outHeight(), k.outWidth(), k.strideH(), k.strideW(), k.padH(), k.padW(),
                    k.dilationH(), k.dilationW(), k.kernelH(), k.kernelW(), k.rowClasses(), k.colClasses(), k.rowClass(),
                    k.colClass(), w);
        }
    }

    /**
     * Relayed fan-in (docs/mapping.md): for each population whose placement relays {@code J}
     * shares, populations {@code <layer>/r<j>+} and {@code <layer>/r<j>-} are appended after every
     * neuron, relay {@code i} of each serving neuron {@code i}. A positive relay takes share
     * {@code j}'s synapses of its neuron, a negative one the same with the sign turned; both are
     * integrate-and-fire neurons without leak, with subtractive reset and the voltage floored at 0,
     * firing at level {@code r}, so that each spike carries {@code r} of its sign's charge. The
     * neuron then reads its {@code 2J} relays alone, with its largest mantissa {@code +W} or
     * {@code -W}: its voltage scale, threshold, linear leak and biases are rescaled so that
     * {@code W} stands for {@code r}.
     *
     * <p>The choice of {@code r}: the neuron's firing level over {@code J}, so that the relays
     * together pass up to one firing level per step (a neuron fires at most once a step) and leave
     * at most one firing level behind. A relay sends at most one spike per step: charge above
     * {@code r} waits in the relay for later steps, and up to {@code r} per share and sign stays
     * there. Measured on Spiking-DeepLab (32x32, width 0.5, TrueNorth), {@code θ/J} kept more
     * spikes in every layer than {@code θ/4}, {@code 2θ/J} or {@code θ/2J}.
     */
    private static final class Relays {

        static Joined split(List<Program.Population> given, Placement.Join[] joins, int inputChannels, int[] inStart,
                int[] inSource, short[] inMantissa, List<Program.Kernel> kernels, Target target, List<String> notes) {
            int neurons = inStart.length - 1;
            List<Program.Population> pops = new ArrayList<>(given);
            int somas = given.size();
            // relayOffset[p][2j] and [2j+1]: the first neuron of share j's positive and negative relays.
            int[][] relayOffset = new int[somas][];
            int[][] relayPop = new int[somas][];
            long[] relayMantissa = new long[somas];
            int offset = neurons;
            for (Program.Population soma : given) {
                Placement.Join join = joins[soma.id()];
                if (!join.relay() || join.parts() == 1) continue;
                int parts = join.parts();
                NeuronParams n = soma.params();
                Program.Quantization q = soma.quant();
                if (soma.channels() != null) {
                    throw new ProgramBuildException("layer '" + soma.layer() + "': per-channel weight scales and relayed fan-in"
                            + " do not go together yet; use --quant-scale layer for target '" + target.name() + "'");
                }
                long mantissaMax = (1L << (q.weightBits() - 1)) - 1;
                int e0 = q.weightExponent(), syn = n.synapticShift(), thrShift = n.thresholdShift();
                long thresholdMax = Math.min((1L << target.numbers().thresholdBits().value()) - 1, Integer.MAX_VALUE);
                // The relay's level r, in the units of its inputs: the neuron's firing level over the J
                // shares (a readout's: its largest weight), a whole threshold mantissa. J relays then pass
                // up to one firing level per step, and leave at most one behind.
                long firing = n.firingLevel();
                long r = n.integrator() ? mantissaMax << (e0 + syn) : firing / parts;
                r = Math.max(1L << thrShift, Math.min(thresholdMax << thrShift, r >> thrShift << thrShift));
                // The neuron reads each relay spike with the largest weight it has: its voltage scale
                // becomes W / (r / v0), so that r of input charge is W at the neuron.
                long w = mantissaMax << (e0 + syn);
                double v0 = q.voltageScale(n);
                double vs = w * v0 / r;
                relayMantissa[soma.id()] = mantissaMax;
                NeuronParams relay = new NeuronParams(n.currentBits(), n.currentOverflow(), n.voltageBits(), Overflow.SATURATE,
                        LeakForm.NONE, n.decayBits(), n.currentBits() > 0 ? 1 << n.decayBits() : 0, 0, 0, (int) (r >> thrShift),
                        thrShift, syn, ResetMode.SUBTRACT, false, true);
                Program.Quantization relayQuant = new Program.Quantization(q.weightScale(), e0, q.weightBits(), r / v0, 1.0, 1.0);
                int threshold = n.integrator() ? 0 : (int) Math.max(1, Math.min(thresholdMax, Math.round(q.threshold() * vs / (1L << thrShift))));
                int linear = n.leak() == LeakForm.LINEAR && q.leak() < 1.0
                        ? (int) Math.round((1 - q.leak()) * ((long) threshold << thrShift)) : 0;
                NeuronParams somaParams = new NeuronParams(n.currentBits(), n.currentOverflow(), n.voltageBits(), n.voltageOverflow(),
                        n.leak(), n.decayBits(), n.decayU(), n.decayV(), linear, threshold, thrShift, syn, n.reset(), n.integrator(),
                        n.floor());
                int[] bias = null;
                if (soma.bias() != null) {
                    long max = (1L << (n.voltageBits() - 1)) - 1;
                    bias = new int[soma.size()];
                    for (int i = 0; i < bias.length; i++) bias[i] = (int) Math.max(-max, Math.min(max, Math.round(soma.bias()[i] * vs / v0)));
                }
                relayOffset[soma.id()] = new int[2 * parts];
                relayPop[soma.id()] = new int[2 * parts];
                for (int j = 0; j < parts; j++) {
                    for (int sign = 0; sign < 2; sign++) {
                        relayOffset[soma.id()][2 * j + sign] = offset;
                        relayPop[soma.id()][2 * j + sign] = pops.size();
                        pops.add(new Program.Population(pops.size(), soma.layer() + "/r" + j + (sign == 0 ? "+" : "-"), soma.size(),
                                offset, relay, relayQuant, null, Program.Kind.RELAYS, soma.id(), null));
                        offset += soma.size();
                    }
                }
                double effective = linear > 0 ? 1.0 - (double) linear / ((long) threshold << thrShift) : q.effectiveLeak();
                pops.set(soma.id(), new Program.Population(soma.id(), soma.layer(), soma.size(), soma.offset(), somaParams,
                        new Program.Quantization(vs / Math.pow(2, e0 + syn), e0, q.weightBits(), q.threshold(), q.leak(), effective),
                        bias, Program.Kind.NEURONS, -1, null));
                notes.add(String.format("layer '%s': every neuron reads %d shares of its inputs through relays (%s/r0+ .. %s/r%d-),"
                        + " each spike carrying %s of input; the neuron's threshold becomes %d relay weights of %d; inputs arrive"
                        + " one step late", soma.layer(), parts, soma.layer(), soma.layer(), parts - 1,
                        n.integrator() ? "its largest weight" : String.format("%.3g of its firing level", (double) r / firing),
                        n.integrator() ? 0 : Math.round((double) ((long) threshold << thrShift) / w), w));
            }
            int all = offset;
            int[] start = new int[all + 1];
            // Counts: a relayed soma takes 2 synapses per share; each relay its share's synapses of its neuron.
            for (Program.Population soma : given) {
                Placement.Join join = joins[soma.id()];
                boolean relayed = relayOffset[soma.id()] != null;
                for (int i = 0; i < soma.size(); i++) {
                    int n = soma.offset() + i;
                    if (!relayed) {
                        start[n + 1] += inStart[n + 1] - inStart[n];
                        continue;
                    }
                    start[n + 1] += 2 * join.parts();
                    for (int e = inStart[n]; e < inStart[n + 1]; e++) {
                        int share = join.shareOfSource().applyAsInt(inSource[e]);
                        start[relayOffset[soma.id()][2 * share] + i + 1]++;
                        start[relayOffset[soma.id()][2 * share + 1] + i + 1]++;
                    }
                }
            }
            for (int n = 0; n < all; n++) start[n + 1] += start[n];
            int[] put = Arrays.copyOf(start, all);
            int[] source = new int[start[all]];
            short[] mantissa = new short[start[all]];
            for (Program.Population pop : given) {
                Placement.Join join = joins[pop.id()];
                boolean relayed = relayOffset[pop.id()] != null;
                for (int i = 0; i < pop.size(); i++) {
                    int n = pop.offset() + i;
                    if (!relayed) {
                        for (int e = inStart[n]; e < inStart[n + 1]; e++) {
                            source[put[n]] = inSource[e];
                            mantissa[put[n]++] = inMantissa[e];
                        }
                        continue;
                    }
                    for (int k = 0; k < 2 * join.parts(); k++) {
                        source[put[n]] = inputChannels + relayOffset[pop.id()][k] + i;
                        mantissa[put[n]++] = (short) (k % 2 == 0 ? relayMantissa[pop.id()] : -relayMantissa[pop.id()]);
                    }
                    for (int e = inStart[n]; e < inStart[n + 1]; e++) {
                        int share = join.shareOfSource().applyAsInt(inSource[e]);
                        int plus = relayOffset[pop.id()][2 * share] + i, minus = relayOffset[pop.id()][2 * share + 1] + i;
                        source[put[plus]] = inSource[e];
                        mantissa[put[plus]++] = inMantissa[e];
                        source[put[minus]] = inSource[e];
                        mantissa[put[minus]++] = (short) -inMantissa[e];
                    }
                }
            }
            List<Program.Kernel> split = new ArrayList<>();
            for (Program.Kernel k : kernels) {
                if (relayOffset[k.population()] == null) {
                    split.add(k);
                    continue;
                }
                Placement.Join join = joins[k.population()];
                for (int[] run : channelRuns(k, join)) {
                    split.add(Joined.channels(k, relayPop[k.population()][2 * run[0]], run[1], run[2], false));
                    split.add(Joined.channels(k, relayPop[k.population()][2 * run[0] + 1], run[1], run[2], true));
                }
            }
            return new Joined(pops, start, source, mantissa, split, all);
        }
    }

    /** The runs of a kernel's input channels that fall in one share each: {share, c0, c1}. */
    private static List<int[]> channelRuns(Program.Kernel k, Placement.Join join) {
        int plane = k.inHeight() * k.inWidth();
        List<int[]> runs = new ArrayList<>();
        int[] seen = new int[join.parts()];
        int c0 = 0;
        for (int c = 1; c <= k.inChannels(); c++) {
            int share = join.shareOfSource().applyAsInt(k.sourceBase() + c0 * plane);
            if (c < k.inChannels() && join.shareOfSource().applyAsInt(k.sourceBase() + c * plane) == share) continue;
            if (seen[share]++ > 0) {
                throw new IllegalStateException("share " + share + " of the kernel into population " + k.population()
                        + " is not one run of input channels");
            }
            runs.add(new int[] {share, c0, c});
            c0 = c;
        }
        return runs;
    }

    /**
     * Incoming CSR per neuron to outgoing CSR per source, rows grouped by the target's core:
     * neurons are visited core by core (ascending neurons within a core), each appending to its
     * sources' rows.
     */
    private static Program.Synapses transpose(int sources, int inputChannels, int[] inStart, int[] inSource, short[] inMantissa,
            int count, List<Program.Kernel> kernels, Program.Cores cores) {
        int[] rowStart = new int[sources + 1];
        for (int e = 0; e < count; e++) rowStart[inSource[e] + 1]++;
        for (int s = 0; s < sources; s++) rowStart[s + 1] += rowStart[s];
        int[] fill = Arrays.copyOf(rowStart, sources);
        int[] target = new int[count];
        short[] mantissa = new short[count];
        for (int n : byCore(cores)) {
            for (int e = inStart[n]; e < inStart[n + 1]; e++) {
                int at = fill[inSource[e]]++;
                target[at] = n;
                mantissa[at] = inMantissa[e];
            }
        }
        return new Program.Synapses(rowStart, target, mantissa, kernels);
    }

    /** Neurons in (core, neuron) order. */
    static int[] byCore(Program.Cores c) {
        int[] coreOf = c.coreOfNeuron();
        int[] start = new int[c.count() + 1];
        for (int k : coreOf) start[k + 1]++;
        for (int k = 0; k < c.count(); k++) start[k + 1] += start[k];
        int[] out = new int[coreOf.length];
        for (int n = 0; n < coreOf.length; n++) out[start[coreOf[n]]++] = n;
        return out;
    }

    /**
     * Every core's destination cores: the cores of the targets of its neurons, ascending (a core
     * whose neurons feed its own neurons lists itself). Placements other than the builder's use
     * this to derive the table for their core assignment.
     */
    public static Program.Routes routes(int inputChannels, List<Program.Population> pops, Program.Synapses s, Program.Cores c) {
        int cores = c.count();
        int[] coreOf = c.coreOfNeuron();
        int[] order = byCore(c);
        TargetCores reach = new TargetCores(pops, s, coreOf, cores);
        int[] found = new int[cores];
        int[] mark = new int[cores];
        Arrays.fill(mark, -1);
        int[] start = new int[cores + 1];
        IntList all = new IntList();
        int i = 0;
        for (int k = 0; k < cores; k++) {
            int rowFrom = all.size;
            for (; i < order.length && coreOf[order[i]] == k; i++) {
                int n = reach.of(inputChannels + order[i], found);
                for (int j = 0; j < n; j++) {
                    if (mark[found[j]] != k) {
                        mark[found[j]] = k;
                        all.add(found[j]);
                    }
                }
            }
            Arrays.sort(all.data, rowFrom, all.size);
            start[k + 1] = all.size;
        }
        return new Program.Routes(start, all.toArray());
    }

    /**
     * The neurons of a population whose every term is a chain of convs and avgpools and whose
     * receptive field, walked back through every step, lies wholly inside each step's input. Such
     * a neuron meets every kernel tap and every full pooling window, so its composed weights are
     * the same numbers as any other interior neuron of its channel.
     */
    private record Interior(boolean[] rows, boolean[] cols, int height, int width) {

        static Interior of(PendingPopulation pp) {
            Shape out = pp.node().shape();
            if (out.isFlat()) return null;
            boolean[] rows = new boolean[out.height()];
            boolean[] cols = new boolean[out.width()];
            java.util.Arrays.fill(rows, true);
            java.util.Arrays.fill(cols, true);
            for (Term t : pp.terms()) {
                for (LinearStep s : t.chain()) {
                    if (!(s instanceof LinearStep.Conv) && !(s instanceof LinearStep.Pool)) return null;
                }
                for (int y = 0; y < rows.length; y++) rows[y] &= inside(t.chain(), y, true);
                for (int x = 0; x < cols.length; x++) cols[x] &= inside(t.chain(), x, false);
            }
            return new Interior(rows, cols, out.height(), out.width());
        }

        /** Whether output row (or column) {@code at} reads only in-bounds inputs at every step. */
        private static boolean inside(List<LinearStep> chain, int at, boolean row) {
            long lo = at;
            long hi = at;
            for (int level = chain.size() - 1; level >= 0; level--) {
                LinearStep s = chain.get(level);
                int stride, pad, extent, size;
                if (s instanceof LinearStep.Conv c) {
                    stride = row ? c.c.stride().h() : c.c.stride().w();
                    pad = row ? c.c.padding().h() : c.c.padding().w();
                    extent = row ? (c.c.kernel().h() - 1) * c.c.dilation().h() : (c.c.kernel().w() - 1) * c.c.dilation().w();
                    size = row ? c.in.height() : c.in.width();
                } else {
                    LinearStep.Pool p = (LinearStep.Pool) s;
                    stride = row ? p.p.stride().h() : p.p.stride().w();
                    pad = row ? p.p.padding().h() : p.p.padding().w();
                    extent = (row ? p.p.kernel().h() : p.p.kernel().w()) - 1;
                    size = row ? p.in.height() : p.in.width();
                }
                lo = lo * stride - pad;
                hi = hi * stride - pad + extent;
                if (lo < 0 || hi >= size) return false;
            }
            return true;
        }

        boolean contains(int o) {
            int plane = height * width;
            return rows[(o % plane) / width] && cols[o % width];
        }

        int channel(int o) {
            return o / (height * width);
        }
    }

    /**
     * How a population whose input is one spike source through convs and average pools is stored
     * as a {@link Program.Kernel}: the chain's composed geometry (stride, padding, extent), and the
     * output rows and columns grouped into classes by the paths that reach inputs (docs/program-format.md).
     * Every output of a class composes its weights from the same taps in the same order, so
     * composing one representative per class and output channel gives every output's exact weights.
     */
    private record KernelPlan(Spikes source, Shape in, Shape out, int strideH, int strideW, int padH, int padW, int dilationH,
            int dilationW, int kernelH, int kernelW, int[] rowClass, int[] colClass, int rowClasses, int colClasses, int[] rowRep,
            int[] colRep) {

        /** The plan, or null when the population's input is not kernel-shaped. */
        static KernelPlan of(PendingPopulation pp) {
            Shape out = pp.node().shape();
            if (out.isFlat() || pp.terms().isEmpty()) return null;
            Term first = pp.terms().get(0);
            Shape in = null;
            for (Term t : pp.terms()) {
                if (t.source().base() != first.source().base() || t.chain().isEmpty()) return null;
                for (LinearStep s : t.chain()) {
                    if (!(s instanceof LinearStep.Conv) && !(s instanceof LinearStep.Pool)) return null;
                }
                Shape tin = inShape(t.chain().get(0));
                if (in != null && !in.equals(tin)) return null;
                in = tin;
            }
            if (in.isFlat()) return null;
            int[] rows = geometry(pp.terms(), true);
            int[] cols = geometry(pp.terms(), false);
            if (rows == null || cols == null) return null;
            int[] rowClass = new int[out.height()];
            int[] colClass = new int[out.width()];
            int[] rowRep = classes(pp.terms(), out.height(), true, rowClass);
            int[] colRep = classes(pp.terms(), out.width(), false, colClass);
            KernelPlan kp = new KernelPlan(first.source(), in, out, rows[0], cols[0], rows[1], cols[1], rows[2], cols[2], rows[3],
                    cols[3], rowClass, colClass, rowRep.length, colRep.length, rowRep, colRep);
            // A kernel that would hold more entries than the synapses it stands for saves nothing.
            long entries = (long) kp.rowClasses * kp.colClasses * in.channels() * kp.kernelH * kp.kernelW * out.channels();
            if (entries > out.size() * in.channels() * kp.kernelH * kp.kernelW || entries > Integer.MAX_VALUE - 8) return null;
            return kp;
        }

        /**
         * {stride, padding, dilation, taps} along one dimension of all terms composed into one
         * kernel: input {@code i = o * stride - padding + k * dilation}, {@code 0 <= k < taps}; null
         * when the terms' strides differ.
         */
        private static int[] geometry(List<Term> terms, boolean row) {
            long stride = -1;
            long pad = 0;
            List<long[]> perTerm = new ArrayList<>();
            for (Term t : terms) {
                long s = 1, p = 0;
                // Offsets of every path through the chain, walked from the output back to the source.
                long[] offsets = {0};
                for (int level = t.chain().size() - 1; level >= 0; level--) {
                    int[] q = params(t.chain().get(level), row);
                    long[] next = new long[offsets.length * q[0]];
                    for (int i = 0; i < offsets.length; i++) {
                        for (int k = 0; k < q[0]; k++) next[i * q[0] + k] = offsets[i] * q[1] + (long) k * q[3];
                    }
                    offsets = next;
                    s *= q[1];
                    p = p * q[1] + q[2];
                }
                if (stride >= 0 && s != stride) return null;
                stride = s;
                pad = Math.max(pad, p);
                perTerm.add(new long[] {p});
                perTerm.add(offsets);
            }
            long gcd = 0, max = 0;
            for (int i = 0; i < perTerm.size(); i += 2) {
                long shift = pad - perTerm.get(i)[0];
                for (long o : perTerm.get(i + 1)) {
                    gcd = gcd(gcd, o + shift);
                    max = Math.max(max, o + shift);
                }
            }
            long dilation = gcd == 0 ? 1 : gcd;
            long taps = max / dilation + 1;
            if (stride > Integer.MAX_VALUE || pad > Integer.MAX_VALUE || taps > 4096) return null;
            return new int[] {(int) stride, (int) pad, (int) dilation, (int) taps};
        }

        private static long gcd(long a, long b) {
            while (b != 0) {
                long t = a % b;
                a = b;
                b = t;
            }
            return a;
        }

        private static Shape inShape(LinearStep s) {
            return s instanceof LinearStep.Conv c ? c.in : ((LinearStep.Pool) s).in;
        }

        /** {kernel, stride, padding, dilation, input size} of a step along one dimension. */
        private static int[] params(LinearStep s, boolean row) {
            if (s instanceof LinearStep.Conv c) {
                return row ? new int[] {c.c.kernel().h(), c.c.stride().h(), c.c.padding().h(), c.c.dilation().h(), c.in.height()}
                        : new int[] {c.c.kernel().w(), c.c.stride().w(), c.c.padding().w(), c.c.dilation().w(), c.in.width()};
            }
            LinearStep.Pool p = (LinearStep.Pool) s;
            return row ? new int[] {p.p.kernel().h(), p.p.stride().h(), p.p.padding().h(), 1, p.in.height()}
                    : new int[] {p.p.kernel().w(), p.p.stride().w(), p.p.padding().w(), 1, p.in.width()};
        }

        /**
         * Groups output rows (or columns) by their signature: for every term, the tree of taps walked
         * back through the chain, each marked in or out of its step's input, with every pool's count
         * of valid taps (its divisor without count_include_pad). Fills {@code classOf}.
         *
         * @return the first coordinate of each class
         */
        private static int[] classes(List<Term> terms, int size, boolean row, int[] classOf) {
            java.util.Map<String, Integer> ids = new java.util.HashMap<>();
            IntList reps = new IntList();
            for (int o = 0; o < size; o++) {
                IntList sig = new IntList();
                for (Term t : terms) {
                    sig.add(-1);
                    signature(t.chain(), t.chain().size() - 1, o, row, sig);
                }
                String key = Arrays.toString(sig.toArray());
                Integer id = ids.get(key);
                if (id == null) {
                    id = ids.size();
                    ids.put(key, id);
                    reps.add(o);
                }
                classOf[o] = id;
            }
            return reps.toArray();
        }

        private static void signature(List<LinearStep> chain, int level, int x, boolean row, IntList sig) {
            if (level < 0) return;
            int[] p = params(chain.get(level), row);
            if (chain.get(level) instanceof LinearStep.Pool) {
                int valid = 0;
                for (int k = 0; k < p[0]; k++) {
                    int xi = x * p[1] - p[2] + k;
                    if (xi >= 0 && xi < p[4]) valid++;
                }
                sig.add(valid);
            }
            for (int k = 0; k < p[0]; k++) {
                int xi = x * p[1] - p[2] + k * p[3];
                if (xi >= 0 && xi < p[4]) {
                    sig.add(1);
                    signature(chain, level - 1, xi, row, sig);
                } else {
                    sig.add(0);
                }
            }
        }

        int outChannels() {
            return out.channels();
        }

        /** The output of channel {@code co} at the first row and column of classes {@code ry, rx}. */
        int representative(int co, int ry, int rx) {
            return (co * out.height() + rowRep[ry]) * out.width() + colRep[rx];
        }

        /** Outputs of one channel in classes {@code ry, rx}. */
        long outputs(int ry, int rx) {
            long rows = 0, cols = 0;
            for (int c : rowClass) if (c == ry) rows++;
            for (int c : colClass) if (c == rx) cols++;
            return rows * cols;
        }

        Program.Kernel empty(int population) {
            long entries = (long) rowClasses * colClasses * in.channels() * kernelH * kernelW * out.channels();
            return new Program.Kernel(population, source.base(), in.channels(), in.height(), in.width(), out.channels(),
                    out.height(), out.width(), strideH, strideW, padH, padW, dilationH, dilationW, kernelH, kernelW, rowClasses, colClasses,
                    rowClass, colClass, new short[Math.toIntExact(entries)]);
        }

        /** Index in {@code k}'s mantissas of the tap joining global source {@code src} to output {@code o}'s position. */
        int tap(Program.Kernel k, int src, int o) {
            int local = src - source.base();
            int plane = in.height() * in.width();
            int ci = local / plane, iy = (local % plane) / in.width(), ix = local % in.width();
            int oy = (o % (out.height() * out.width())) / out.width(), ox = o % out.width();
            // Every tap of every term lies on the kernel's grid (the dilation divides every offset).
            return k.at(rowClass[oy], colClass[ox], ci, (iy - (oy * strideH - padH)) / dilationH, (ix - (ox * strideW - padW)) / dilationW);
        }
    }

    /** Sums the coefficients of all terms for one output into a sparse accumulator over sources. */
    private static final class Composer {
        final double[] acc;
        final boolean[] live;
        int[] touched = new int[64];
        int count;

        Composer(int sources) {
            acc = new double[sources];
            live = new boolean[sources];
        }

        void compose(List<Term> terms, int out) {
            for (Term t : terms) expand(t, t.chain().size() - 1, out, 1.0);
        }

        private void expand(Term t, int level, int index, double c) {
            if (level < 0) {
                int s = t.source().base() + index;
                if (!live[s]) {
                    live[s] = true;
                    if (count == touched.length) touched = Arrays.copyOf(touched, count * 2);
                    touched[count++] = s;
                }
                acc[s] += c;
                return;
            }
            t.chain().get(level).backward(index, (in, w) -> expand(t, level - 1, in, c * w));
        }

        double value(int k) {
            return acc[touched[k]];
        }

        void sortTouched() {
            Arrays.sort(touched, 0, count);
        }

        void clear() {
            for (int k = 0; k < count; k++) {
                acc[touched[k]] = 0;
                live[touched[k]] = false;
            }
            count = 0;
        }
    }
}
