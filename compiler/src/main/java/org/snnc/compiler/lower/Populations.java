package org.snnc.compiler.lower;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.Encoding;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.mapping.AxisMap;
import org.snnc.compiler.mapping.Geometry;
import org.snnc.compiler.mapping.HostOp;
import org.snnc.compiler.mapping.MapCode;
import org.snnc.compiler.mapping.MappingError;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.mapping.Population;
import org.snnc.compiler.mapping.PopulationGraph;
import org.snnc.compiler.mapping.SynapticInput;

/**
 * Pass {@code populations}: which IR nodes live on cores, and how they connect.
 *
 * <p>Before: a valid Spiking IR. After: one {@link Population} per spiking or accumulate node, in
 * topological order, each with the synaptic layers summed into it. What it assumes:
 * <ul>
 * <li>Only binary spikes travel on chip, so every connection between populations is one synaptic
 *     layer (conv, tconv, dense, sparse), reached from the population through bntt/batchnorm
 *     (folded into the weights, no cores) and add (each operand one more synaptic input).</li>
 * <li>Between that layer and its source population only bntt/batchnorm, flatten (a renumbering)
 *     and, before a conv, one avgpool may stand; the pool is folded into the conv's receptive
 *     field, so the conv's input axons are the source neurons under the pooled windows.</li>
 * <li>A network input is fed by the host; its spikes enter through input axons like any source.</li>
 * <li>Every other node (upsample after the readout, the input encoders) runs on the host and is
 *     listed; such a node between two populations is an error, since the chip cannot compute it.</li>
 * </ul>
 */
public final class Populations {

    private Populations() {
    }

    public static PopulationGraph run(SpikingIr ir) {
        List<Population> populations = new ArrayList<>();
        List<MappingError> errors = new ArrayList<>();
        boolean[] onChip = new boolean[ir.nodes().size()];
        List<String> approximations = new ArrayList<>();
        boolean signedInput = false;
        for (Node n : ir.nodes()) {
            if (!isPopulation(n.op())) continue;
            onChip[n.id()] = true;
            List<SynapticInput> inputs = new ArrayList<>();
            collect(ir, n, n.inputs().get(0), new ArrayList<>(), inputs, onChip, errors);
            for (SynapticInput in : inputs) {
                if (in.fromHost() && ir.node(in.source()).op() instanceof Op.Input i
                        && i.encoding().kind() == Encoding.Kind.SIGNED_POISSON) {
                    signedInput = true;
                }
                for (String f : in.folded()) {
                    if (f.startsWith("avgpool")) {
                        approximations.add(f + " folded into " + in.layer() + ": one synapse per distinct source neuron"
                                + " under the pooled windows, weight = sum of the conv taps reaching it / pool area");
                    }
                }
            }
            populations.add(new Population(n.id(), n.name(), n.origin(), n.shape(), n.op() instanceof Op.Spiking, inputs));
        }
        if (!errors.isEmpty()) throw new MappingException(errors);
        if (signedInput) {
            approximations.add("signed input spikes (-1/0/+1) take one input axon per element: the sign is assumed to"
                    + " travel in the packet; hardware without signed spikes needs two axons per element");
        }
        if (ir.nodes().stream().anyMatch(x -> x.op() instanceof Op.Bntt)) {
            approximations.add("bntt folded into the weights: BNTT has one scale per time step, a core one weight"
                    + " (the fold pass decides which; mapping counts only connections)");
        }
        List<HostOp> host = new ArrayList<>();
        for (Node n : ir.nodes()) {
            if (n.op() instanceof Op.Input i) {
                host.add(new HostOp(n.name(), "input", "encoding " + i.encoding().kind().keyword()
                        + " on the host; its spikes are sent to the chip"));
            } else if (!onChip[n.id()]) {
                host.add(new HostOp(n.name(), n.op().keyword(), "no population reads it: computed on the host from "
                        + "the values read back from the chip"));
            }
        }
        return new PopulationGraph(ir.network(), populations, host, approximations);
    }

    static boolean isPopulation(Op op) {
        return op instanceof Op.Spiking || op instanceof Op.Accumulate;
    }

    /** Walks back from a population's input to its synaptic layers. */
    private static void collect(SpikingIr ir, Node population, int id, List<String> folded, List<SynapticInput> out,
            boolean[] onChip, List<MappingError> errors) {
        Node n = ir.node(id);
        Op op = n.op();
        if (op instanceof Op.Bntt || op instanceof Op.BatchNorm) {
            onChip[id] = true;
            List<String> f = new ArrayList<>(folded);
            f.add(n.name());
            collect(ir, population, n.inputs().get(0), f, out, onChip, errors);
        } else if (op instanceof Op.Add) {
            onChip[id] = true;
            for (int in : n.inputs()) collect(ir, population, in, new ArrayList<>(folded), out, onChip, errors);
        } else if (op instanceof Op.Conv || op instanceof Op.ConvTranspose || op instanceof Op.Dense
                || op instanceof Op.SparseProjection) {
            onChip[id] = true;
            synaptic(ir, population, n, folded, out, onChip, errors);
        } else if (isPopulation(op) || op instanceof Op.Input) {
            errors.add(new MappingError(MapCode.NOT_ON_CHIP, population.origin(), population.name(),
                    population.name() + " reads " + n.name() + " with no synaptic layer between them; cores connect "
                            + "populations only through conv, tconv, dense or sparse layers",
                    List.of("put a layer such as conv(" + n.shape().channels() + ", kernel: 1) between them")));
        } else {
            errors.add(notOnChip(n, population));
        }
    }

    private static MappingError notOnChip(Node n, Node population) {
        return new MappingError(MapCode.NOT_ON_CHIP, n.origin(), n.name(),
                "layer " + n.name() + " (" + n.op().keyword() + ") feeds " + population.name()
                        + " but cannot run on cores: only binary spikes travel on chip, through conv, tconv, dense"
                        + " and sparse layers (an avgpool may precede a conv, a flatten a dense layer)",
                List.of("move " + n.name() + " after the last population, where the host computes it"));
    }

    private static void synaptic(SpikingIr ir, Node population, Node layer, List<String> folded,
            List<SynapticInput> out, boolean[] onChip, List<MappingError> errors) {
        List<String> f = new ArrayList<>(folded);
        Node pool = null;
        Node src = ir.node(layer.inputs().get(0));
        while (!isPopulation(src.op()) && !(src.op() instanceof Op.Input)) {
            Op op = src.op();
            boolean ok = op instanceof Op.Bntt || op instanceof Op.BatchNorm
                    || (op instanceof Op.Flatten && (layer.op() instanceof Op.Dense || layer.op() instanceof Op.SparseProjection))
                    || (op instanceof Op.AvgPool && layer.op() instanceof Op.Conv && pool == null);
            if (!ok) {
                errors.add(notOnChip(src, population));
                return;
            }
            if (op instanceof Op.AvgPool) pool = src;
            onChip[src.id()] = true;
            f.add(src.name());
            src = ir.node(src.inputs().get(0));
        }
        // A batchnorm directly on spikes between the pool and the conv changes nothing here: the
        // pooled map has the same shape as the pool's input channels.
        Shape s = src.shape();
        Shape o = layer.shape();
        Geometry g;
        long synapses;
        if (layer.op() instanceof Op.Conv c) {
            AxisMap rows;
            AxisMap cols;
            if (pool != null) {
                Op.AvgPool p = (Op.AvgPool) pool.op();
                Shape pooled = pool.shape();
                rows = AxisMap.pooledConv(s.height(), pooled.height(), o.height(), c.kernel().h(), c.stride().h(),
                        c.padding().h(), c.dilation().h(), p.kernel().h(), p.stride().h(), p.padding().h());
                cols = AxisMap.pooledConv(s.width(), pooled.width(), o.width(), c.kernel().w(), c.stride().w(),
                        c.padding().w(), c.dilation().w(), p.kernel().w(), p.stride().w(), p.padding().w());
            } else {
                rows = AxisMap.conv(s.height(), o.height(), c.kernel().h(), c.stride().h(), c.padding().h(), c.dilation().h());
                cols = AxisMap.conv(s.width(), o.width(), c.kernel().w(), c.stride().w(), c.padding().w(), c.dilation().w());
            }
            g = new Geometry.Spatial(s.channels(), rows, cols);
            synapses = (long) o.channels() * s.channels() * rows.pairs(0, o.height()) * cols.pairs(0, o.width());
        } else if (layer.op() instanceof Op.ConvTranspose t) {
            AxisMap rows = AxisMap.transposed(s.height(), o.height(), t.kernel().h(), t.stride().h(), t.padding().h(), t.dilation().h());
            AxisMap cols = AxisMap.transposed(s.width(), o.width(), t.kernel().w(), t.stride().w(), t.padding().w(), t.dilation().w());
            g = new Geometry.Spatial(s.channels(), rows, cols);
            synapses = (long) o.channels() * s.channels() * rows.pairs(0, o.height()) * cols.pairs(0, o.width());
        } else if (layer.op() instanceof Op.SparseProjection sp) {
            g = new Geometry.Random(Math.toIntExact(s.size()), sp.fanIn(), sp.seed());
            synapses = o.size() * sp.fanIn();
        } else {
            g = new Geometry.Full(s);
            synapses = o.size() * s.size();
        }
        out.add(new SynapticInput(layer.id(), layer.name(), layer.origin(), src.id(), src.name(),
                src.op() instanceof Op.Input, g, synapses, f));
    }
}
