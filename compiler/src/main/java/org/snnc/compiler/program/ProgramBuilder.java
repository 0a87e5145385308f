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

    private final SpikingIr ir;
    private final Target target;
    private final WeightSource weights;
    private final List<String> notes = new ArrayList<>();
    private final List<FoldNorm.LayerReport> folds = new ArrayList<>();
    private final List<Quantize.LayerReport> quantized = new ArrayList<>();

    private ProgramBuilder(SpikingIr ir, Target target, WeightSource weights) {
        this.ir = ir;
        this.target = target;
        this.weights = weights;
    }

    public static Result build(SpikingIr ir, Target target, WeightSource weights, Placement placement) {
        return new ProgramBuilder(ir, target, weights).run(placement);
    }

    /**
     * The fold and quantize passes alone: the same composition and quantization as {@link #build},
     * without storing synapses, placing or validating a program ({@code Result.program()} is null).
     * {@code snnc compile --target} prints these reports without writing a program.
     */
    public static Result lower(SpikingIr ir, Target target, WeightSource weights) {
        return new ProgramBuilder(ir, target, weights).run(null);
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
        double scale = plan.quant().voltageScale(plan.params());
        long max = (1L << (plan.params().voltageBits() - 1)) - 1;
        int[] out = new int[pp.bias().length];
        long clipped = 0;
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
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
        IntList inSource = new IntList();
        IntList inWeight = new IntList();
        int[] inStart = new int[neurons + 1];
        int offset = 0;
        long pruned = 0;
        for (int id = 0; id < pending.size(); id++) {
            PendingPopulation pp = pending.get(id);
            int size = Math.toIntExact(pp.node().shape().size());
            // Pass 1: the largest composed weight sets the population's scale.
            double maxAbs = 0;
            // Without a program to store (lower), an interior neuron's composed weights are those of
            // its channel's first interior neuron, shifted: composed once per channel, not per neuron.
            Interior interior = dry ? Interior.of(pp) : null;
            double[][] row = interior == null ? null : new double[pp.node().shape().channels()][];
            for (int o = 0; o < size; o++) {
                if (interior != null && interior.contains(o)) {
                    int c = interior.channel(o);
                    if (row[c] != null) continue;
                    composer.compose(pp.terms(), o);
                    row[c] = new double[composer.count];
                    for (int k = 0; k < composer.count; k++) row[c][k] = composer.value(k);
                    for (double w : row[c]) maxAbs = Math.max(maxAbs, Math.abs(w));
                    composer.clear();
                    continue;
                }
                composer.compose(pp.terms(), o);
                for (int k = 0; k < composer.count; k++) maxAbs = Math.max(maxAbs, Math.abs(composer.value(k)));
                composer.clear();
            }
            Quantize.Plan plan = Quantize.plan(target, pp.node(), pp.integrator(), maxAbs);
            notes.addAll(plan.notes());
            Program.Population pop = new Program.Population(id, pp.node().name(), size, offset, plan.params(), plan.quant(),
                    bias(pp, plan));
            pops.add(pop);
            // Pass 2: quantize, dropping synapses whose mantissa rounds to 0 (a compiler prunes them).
            Quantize.Tally tally = new Quantize.Tally(pp.node().name(), plan);
            Program.Quantization q = pop.quant();
            Quantize.Counts[] counts = interior == null ? null : new Quantize.Counts[row.length];
            for (int o = 0; o < size; o++) {
                if (interior != null && interior.contains(o)) {
                    int c = interior.channel(o);
                    if (counts[c] == null) {
                        for (double w : row[c]) tally.mantissa(w);
                        counts[c] = tally.endNeuron();
                    } else {
                        tally.add(counts[c]);
                    }
                    pruned += counts[c].zeros();
                    continue;
                }
                composer.compose(pp.terms(), o);
                composer.sortTouched();
                for (int k = 0; k < composer.count; k++) {
                    long m = tally.mantissa(composer.value(k));
                    if (m == 0) {
                        pruned++;
                        continue;
                    }
                    if (dry) continue;
                    inSource.add(composer.touched[k]);
                    inWeight.add((int) (m << q.weightExponent()));
                }
                tally.endNeuron();
                composer.clear();
                inStart[offset + o + 1] = inSource.size;
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
            offset += size;
        }
        if (pruned > 0) notes.add(pruned + " synapses pruned: their weights round to a mantissa of 0");
        Lowering lowering = new Lowering(List.copyOf(folds), List.copyOf(quantized));
        if (dry) {
            notes.add(0, "weights: " + weights.describe());
            return new Result(null, List.copyOf(notes), lowering);
        }

        Program.Cores cores = placement.place(new Placement.Request(target, pops, inputChannels, inStart, inSource.toArray()));
        Program.Synapses synapses = transpose(sources, inputChannels, inStart, inSource, inWeight);
        Program.Routes routes = routes(inputChannels, neurons, synapses, cores);

        List<Program.SourceHash> hashes = new ArrayList<>();
        for (SpikingIr.SourceRef s : ir.sources()) hashes.add(new Program.SourceHash(s.path(), s.sha256()));
        Program.Header header = new Program.Header(Program.FORMAT_VERSION, ir.network(), hashes, target.name(),
                weights.seed(), ir.timesteps());
        Program.Mesh mesh = new Program.Mesh(target.board().chipsX().value(), target.board().chipsY().value(),
                target.chip().meshWidth().value(), target.chip().meshHeight().value(), target.chip().coresPerTile().value());
        Program program = new Program(header, mesh, inputs, pops, synapses, layers, cores, routes, host);
        try {
            Validator.check(program);
        } catch (ProgramFormatException e) {
            throw new IllegalStateException("the builder made an invalid program: " + e.getMessage(), e);
        }
        notes.add(0, "weights: " + weights.describe());
        return new Result(program, List.copyOf(notes), lowering);
    }

    /** Incoming CSR per neuron to outgoing CSR per source (counting sort: rows keep targets ascending). */
    private static Program.Synapses transpose(int sources, int inputChannels, int[] inStart, IntList inSource, IntList inWeight) {
        int count = inSource.size;
        int[] rowStart = new int[sources + 1];
        for (int e = 0; e < count; e++) rowStart[inSource.data[e] + 1]++;
        for (int s = 0; s < sources; s++) rowStart[s + 1] += rowStart[s];
        int[] fill = Arrays.copyOf(rowStart, sources);
        int[] target = new int[count];
        int[] weight = new int[count];
        for (int n = 0; n + 1 < inStart.length; n++) {
            for (int e = inStart[n]; e < inStart[n + 1]; e++) {
                int at = fill[inSource.data[e]]++;
                target[at] = n;
                weight[at] = inWeight.data[e];
            }
        }
        return new Program.Synapses(rowStart, target, weight);
    }

    /**
     * Every core's destination cores: the cores of the targets of its neurons, ascending (a core
     * whose neurons feed its own neurons lists itself). Placements other than the builder's use
     * this to derive the table for their core assignment.
     */
    public static Program.Routes routes(int inputChannels, int neurons, Program.Synapses s, Program.Cores c) {
        int cores = c.count();
        List<int[]> rows = new ArrayList<>();
        for (int k = 0; k < cores; k++) rows.add(new int[0]);
        boolean[][] seen = new boolean[cores][];
        IntList[] dests = new IntList[cores];
        for (int n = 0; n < neurons; n++) {
            int k = c.coreOfNeuron()[n];
            if (seen[k] == null) {
                seen[k] = new boolean[cores];
                dests[k] = new IntList();
            }
            int src = inputChannels + n;
            for (int e = s.rowStart()[src]; e < s.rowStart()[src + 1]; e++) {
                int d = c.coreOfNeuron()[s.target()[e]];
                if (!seen[k][d]) {
                    seen[k][d] = true;
                    dests[k].add(d);
                }
            }
        }
        int[] start = new int[cores + 1];
        IntList all = new IntList();
        for (int k = 0; k < cores; k++) {
            if (dests[k] != null) {
                int[] d = dests[k].toArray();
                Arrays.sort(d);
                for (int x : d) all.add(x);
            }
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

    /** A growable int array. */
    static final class IntList {
        int[] data = new int[16];
        int size;

        void add(int v) {
            if (size == data.length) data = Arrays.copyOf(data, size * 2);
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
