package org.snnc.compiler.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snnc.compiler.ir.Encoding;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.target.Quantity;

/**
 * The paper's energy comparison (Eq. 9–12; DESIGN.md §6), in picojoules:
 * <ul>
 * <li>{@code FLOPs_ANN(l)}: the dense multiply-accumulates of one forward pass of layer l,
 *     {@code k² H_out W_out C_in C_out} for a convolution ({@link Node#macs()});</li>
 * <li>{@code FLOPs_SNN(l) = FLOPs_ANN(l) x R(l)}, R the spike rate of the layer's input: spikes
 *     summed over all time steps per neuron, averaged over samples (Eq. 8, so 0..T);</li>
 * <li>{@code E_ANN = Σ FLOPs_ANN x E_MAC}, {@code E_SNN = Σ FLOPs_SNN x E_AC}.</li>
 * </ul>
 * The paper does not say whether the first layer, which reads the analog or signed input, is
 * charged as MACs or ACs; {@link FirstLayer} makes it a choice that every result records.
 */
public final class PaperEnergy {

    /** Horowitz's 45 nm 32-bit floating-point multiply-accumulate, as the paper's Table 4. */
    public static final Quantity E_MAC = new Quantity(4.6, "pJ",
            "Horowitz ISSCC 2014, 45 nm, 32-bit FP MAC; the seed paper's Table 4");
    /** The same table's 32-bit accumulate (an FP add): what one input spike costs a synapse. */
    public static final Quantity E_AC = new Quantity(0.9, "pJ",
            "Horowitz ISSCC 2014, 45 nm, 32-bit FP ADD (AC); the seed paper's Table 4");
    /** The table's multiply alone; not used by Eq. 11–12, listed so reports show the whole table. */
    public static final Quantity E_MULT = new Quantity(3.7, "pJ",
            "Horowitz ISSCC 2014, 45 nm, 32-bit FP MULT; the seed paper's Table 4");

    /** How the layers that read a network input are charged. */
    public enum FirstLayer {
        /** One ANN pass of MACs, {@code FLOPs_ANN x E_MAC}: the input is analog, computed once. */
        MAC("mac"),
        /** ACs at the input's spike rate, like every other layer. */
        AC("ac");

        private final String keyword;

        FirstLayer(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /**
     * What one synaptic layer costs before pricing.
     *
     * @param flops  {@code FLOPs_ANN}: dense MACs of one forward pass (one time step)
     * @param rate   R(l), the input's spike rate (0..T); NaN when the input is not spikes
     * @param mac    charged as MACs rather than ACs
     * @param passes for a MAC layer, the forward passes charged (1 for the paper's first layer;
     *               T for a layer fed analog values at every step); ignored for AC layers
     */
    public record LayerInput(String name, long flops, double rate, boolean mac, int passes) {
    }

    /**
     * One priced layer.
     *
     * @param flopsSnn {@code FLOPs_ANN x R} for an AC layer, {@code FLOPs_ANN x passes} for a MAC one
     * @param annPj    {@code FLOPs_ANN x E_MAC}
     * @param snnPj    {@code FLOPs_SNN x E_AC}, or {@code x E_MAC} for a MAC layer
     */
    public record Layer(String name, long flopsAnn, double rate, boolean mac, double flopsSnn, double annPj,
            double snnPj) {
    }

    /** The whole network, with the constants and the first-layer choice that produced it. */
    public record Result(List<Layer> layers, double annPj, double snnPj, FirstLayer firstLayer, Quantity eMac,
            Quantity eAc) {
        public Result {
            layers = List.copyOf(layers);
        }

        /** E_ANN / E_SNN, the paper's Table 5 figure; infinite when the SNN did nothing. */
        public double ratio() {
            return annPj / snnPj;
        }
    }

    /**
     * Where a synaptic layer of an IR gets its input.
     *
     * @param spikingSources the spike-emitting nodes (spike-encoded inputs, spiking layers) whose
     *                       rates add up to R(l); empty when the input is analog
     * @param readsInput     the layer's input comes from a network input
     * @param analogPasses   when the input is analog: forward passes per sample (T before an
     *                       {@code accumulate}, 1 after it)
     */
    public record Synaptic(Node node, List<String> spikingSources, boolean readsInput, int analogPasses) {
    }

    private PaperEnergy() {
    }

    /** Eq. 10–12 over already-counted layers. */
    public static Result compute(List<LayerInput> layers, FirstLayer firstLayer) {
        List<Layer> out = new ArrayList<>(layers.size());
        double ann = 0;
        double snn = 0;
        for (LayerInput l : layers) {
            double layerAnn = l.flops() * E_MAC.value();
            double flopsSnn = l.mac() ? (double) l.flops() * l.passes() : l.flops() * l.rate();
            double layerSnn = flopsSnn * (l.mac() ? E_MAC.value() : E_AC.value());
            out.add(new Layer(l.name(), l.flops(), l.rate(), l.mac(), flopsSnn, layerAnn, layerSnn));
            ann += layerAnn;
            snn += layerSnn;
        }
        return new Result(out, ann, snn, firstLayer, E_MAC, E_AC);
    }

    /**
     * The synaptic layers (conv, tconv, dense, sparse) the first output depends on, in IR order,
     * each with the spiking nodes its input comes from. Pooling, flattening, upsampling,
     * normalisation and sums pass spikes through (a sum's rate is the sum of its inputs' rates, as
     * every spike of either input reaches the synapses); the source's own rate stands for the
     * pooled map's, whose mean it equals up to padding, as in the simulator's populations.
     */
    public static List<Synaptic> synapticLayers(SpikingIr ir) {
        boolean[] used = new boolean[ir.nodes().size()];
        markAncestors(ir, ir.outputs().get(0).node(), used);
        List<Synaptic> out = new ArrayList<>();
        for (Node n : ir.nodes()) {
            if (used[n.id()] && synaptic(n.op())) {
                List<String> sources = new ArrayList<>();
                boolean[] flags = new boolean[2]; // [reads an input, analog]
                boolean[] afterAccumulate = new boolean[1];
                for (int in : n.inputs()) {
                    collectSources(ir, in, sources, flags, afterAccumulate);
                }
                boolean analog = flags[1];
                out.add(new Synaptic(n, analog ? List.of() : List.copyOf(sources), flags[0],
                        analog ? (afterAccumulate[0] ? 1 : ir.timesteps()) : 0));
            }
        }
        return out;
    }

    /**
     * Eq. 9–12 for an IR from measured rates.
     *
     * @param rates spike rate (Eq. 8) by node name of every spike-encoded input and spiking layer
     *              the synaptic layers read; a missing one is an {@link IllegalArgumentException}
     */
    public static Result of(SpikingIr ir, Map<String, Double> rates, FirstLayer firstLayer) {
        List<LayerInput> layers = new ArrayList<>();
        for (Synaptic s : synapticLayers(ir)) {
            Node n = s.node();
            if (s.readsInput() && firstLayer == FirstLayer.MAC) {
                layers.add(new LayerInput(n.name(), n.macs(), rateOf(s, rates), true, 1));
            } else if (s.spikingSources().isEmpty()) {
                layers.add(new LayerInput(n.name(), n.macs(), Double.NaN, true, s.analogPasses()));
            } else {
                layers.add(new LayerInput(n.name(), n.macs(), rateOf(s, rates), false, 0));
            }
        }
        return compute(layers, firstLayer);
    }

    private static double rateOf(Synaptic s, Map<String, Double> rates) {
        if (s.spikingSources().isEmpty()) {
            return Double.NaN;
        }
        double r = 0;
        for (String src : s.spikingSources()) {
            Double v = rates.get(src);
            if (v == null) {
                throw new IllegalArgumentException("no spike rate for '" + src + "', the input of '"
                        + s.node().name() + "' (rates given for " + rates.keySet() + ")");
            }
            r += v;
        }
        return r;
    }

    private static boolean synaptic(Op op) {
        return op instanceof Op.Conv || op instanceof Op.ConvTranspose || op instanceof Op.Dense
                || op instanceof Op.SparseProjection;
    }

    private static void collectSources(SpikingIr ir, int id, List<String> sources, boolean[] flags,
                                       boolean[] afterAccumulate) {
        Node n = ir.node(id);
        Op op = n.op();
        if (op instanceof Op.Input input) {
            flags[0] = true;
            if (input.encoding().kind() != Encoding.Kind.DIRECT) {
                sources.add(n.name());
            } else {
                flags[1] = true;
            }
        } else if (op instanceof Op.Spiking) {
            sources.add(n.name());
        } else if (op instanceof Op.Accumulate) {
            flags[1] = true;
            afterAccumulate[0] = true;
        } else if (synaptic(op)) {
            // A synaptic layer feeding another directly hands it currents, not spikes.
            flags[1] = true;
        } else {
            for (int in : n.inputs()) {
                collectSources(ir, in, sources, flags, afterAccumulate);
            }
        }
    }

    private static void markAncestors(SpikingIr ir, int id, boolean[] used) {
        if (!used[id]) {
            used[id] = true;
            for (int in : ir.node(id).inputs()) {
                markAncestors(ir, in, used);
            }
        }
    }
}
