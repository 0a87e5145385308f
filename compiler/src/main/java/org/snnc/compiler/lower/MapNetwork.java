package org.snnc.compiler.lower;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.mapping.Board;
import org.snnc.compiler.mapping.CoreTile;
import org.snnc.compiler.mapping.Mapping;
import org.snnc.compiler.mapping.Partitioned;
import org.snnc.compiler.mapping.Placed;
import org.snnc.compiler.mapping.Population;
import org.snnc.compiler.mapping.PopulationGraph;
import org.snnc.compiler.mapping.Role;
import org.snnc.compiler.mapping.Routed;
import org.snnc.compiler.mapping.SynapticInput;
import org.snnc.compiler.mapping.Tiling;
import org.snnc.compiler.mapping.Wired;
import org.snnc.compiler.target.CoreLimits;
import org.snnc.compiler.target.Target;

/**
 * The mapping half of the back end in one call: the passes in order, each on the previous one's
 * result. A pass that finds the network does not fit throws a
 * {@link org.snnc.compiler.mapping.MappingException} with every reason it found.
 */
public final class MapNetwork {

    /** A pass as {@code snnc compile --passes} lists it. */
    public record PassInfo(String name, String summary) {
    }

    /**
     * The lowering passes that exist, in the order they run. {@code fold} and {@code quantize} change
     * numbers, not the core layout: {@code ProgramBuilder} runs them on the composed weights
     * ({@code ProgramBuilder.lower} for their reports alone); the rest run here.
     */
    public static final List<PassInfo> PASSES = List.of(
            new PassInfo("fold", "bntt/batchnorm folded into weights (per-step scales averaged: one weight per synapse) "
                    + "and thresholds; reports each layer's largest step deviation; identity without trained statistics"),
            new PassInfo("quantize", "weights to the target's mantissa bits and shared exponent (one scale per population), "
                    + "thresholds and leak to its fixed point; reports scale, clipped weights, effective leak, silent layers"),
            new PassInfo("populations", "spiking and accumulate layers become core populations; their synaptic layers "
                    + "(avgpool folded into the next conv, bntt/batchnorm into weights) become inputs; the rest is host-side"),
            new PassInfo("partition", "split each population into tiles (rows x columns x channels, inputs split over"
                    + " joined compartments or relay cores) within every per-core limit, fewest cores first; sparse"
                    + " layers counted on their draws"),
            new PassInfo("connect", "core-to-core spike traffic, fan-out per core, splitter cores where a neuron may "
                    + "target one core only"),
            new PassInfo("place", "cores onto the chips' meshes: serpentine order, then seeded swaps that lower traffic x hops"),
            new PassInfo("route", "dimension-order (X then Y) routing tables, every route walked and checked"));

    private MapNetwork() {
    }

    public static Mapping run(SpikingIr ir, Target target) {
        return report(route(ir, target));
    }

    /**
     * The passes without the report: the routed cores keep every core's tile box and board slot,
     * which a compiled program's placement needs and the report does not print.
     */
    public static Routed route(SpikingIr ir, Target target) {
        return route(ir, target, true);
    }

    /** @param allowJoin false to map without joined compartments even where the target has them */
    public static Routed route(SpikingIr ir, Target target, boolean allowJoin) {
        PopulationGraph graph = Populations.run(ir);
        Partitioned part = Partition.run(graph, target, allowJoin);
        Wired wired = Connect.run(part);
        Placed placed = Place.run(wired);
        return Route.run(placed);
    }

    /** The mapping report of routed cores. */
    public static Mapping report(Routed routed) {
        Placed placed = routed.placed();
        Wired wired = placed.wired();
        Partitioned part = wired.partitioned();
        PopulationGraph graph = part.graph();
        Target target = part.target();
        Board board = placed.board();
        List<Mapping.Core> cores = new ArrayList<>();
        boolean[] chipUsed = new boolean[board.chipsX() * board.chipsY()];
        long sending = 0;
        for (CoreTile c : wired.cores()) {
            int s = placed.slot()[c.id()];
            chipUsed[board.chip(s)] = true;
            int[] dests = java.util.Arrays.copyOfRange(routed.dest(), routed.start()[c.id()], routed.start()[c.id() + 1]);
            cores.add(new Mapping.Core(c.id(), graph.populations().get(c.population()).name(), c.role(), board.chip(s),
                    board.tileX(s), board.tileY(s), s % board.coresPerTile(), c.neurons(), c.inputAxons(), c.synapses(),
                    c.synapseBits(), wired.fanoutEntries()[c.id()], wired.fanout()[c.id()], dests));
            Population p = graph.populations().get(c.population());
            if (c.role() == Role.NEURONS && p.spiking() && wired.fanout()[c.id()] > 0) sending += c.neurons();
        }
        int chips = 0;
        for (boolean u : chipUsed) if (u) chips++;
        List<Mapping.Layer> layers = new ArrayList<>();
        List<List<CoreTile>> byPopulation = new ArrayList<>();
        for (int p = 0; p < graph.populations().size(); p++) byPopulation.add(new ArrayList<>());
        for (CoreTile c : wired.cores()) byPopulation.get(c.population()).add(c);
        List<String> relayed = new ArrayList<>();
        long synapses = 0;
        for (int p = 0; p < graph.populations().size(); p++) {
            Population pop = graph.populations().get(p);
            Tiling t = part.tilings().get(p);
            int n = 0;
            int comp = 0;
            int relays = 0;
            long relayNeurons = 0;
            int split = 0;
            long splitNeurons = 0;
            for (CoreTile c : byPopulation.get(p)) {
                n++;
                synapses += c.synapses();
                if (c.role() == Role.COMPARTMENTS) comp++;
                if (c.role() == Role.RELAY) {
                    relays++;
                    relayNeurons += c.neurons();
                }
                if (c.role() == Role.SPLITTER) {
                    split++;
                    splitNeurons += c.neurons();
                }
            }
            List<String> inputs = new ArrayList<>();
            for (SynapticInput in : pop.inputs()) inputs.add(in.layer());
            String how = t.join() == 1 ? "none" : t.relay() ? "relay" : "join";
            layers.add(new Mapping.Layer(pop.name(), inputs, pop.neurons(), pop.synapses(), n,
                    new int[] {t.tileC(), t.tileH(), t.tileW()}, t.join(), how, comp, relays, relayNeurons, split,
                    splitNeurons));
            if (t.relay()) relayed.add(relayApproximation(pop, t, relays, relayNeurons, target));
        }
        CoreLimits lim = target.core();
        Mapping.Utilisation util = new Mapping.Utilisation(
                range(cores, lim.maxNeurons().value(), 0), range(cores, lim.maxInputAxons().value(), 1),
                range(cores, lim.synapseMemoryBits().value(), 2), range(cores, lim.maxOutputAxons().value(), 3));
        List<String> approx = new ArrayList<>(graph.approximations());
        if (!relayed.isEmpty()) approx.add(RELAY_SCHEME);
        approx.addAll(relayed);
        approx.add("traffic assumes every neuron spikes at the same rate; spikes from the host are not counted in hops");
        if (layers.stream().anyMatch(l -> l.split().equals("join"))) {
            approx.add("joined compartments may sit on different cores; each partial sum takes one input axon, one "
                    + "synapse and one packet to reach its soma");
        }
        if (target.core().fanOutOne().value()) {
            approx.add("splitter cores: counts exact for one level of splitters; their traffic is their core's shared"
                    + " in proportion to their neurons");
        }
        List<String> warnings = new ArrayList<>();
        if (board.extended()) {
            warnings.add("the network needs " + chips + " chips; the target's board has "
                    + target.board().chips() + ": placed on a board grown to " + board.chipsX() + " x " + board.chipsY()
                    + " chips of the same kind");
        }
        double spikes = Math.max(1, sending);
        return new Mapping(graph.network(), target.name(), cores.size(), chips, board.chipsX() * board.chipsY(), cores,
                layers, util, routed.weightedHops() / spikes,
                routed.packets() == 0 ? 0 : (double) routed.weightedHops() / routed.packets(),
                routed.weightedChipCrossings() / spikes, synapses, wired.graph().edges(), graph.hostOps(), approx, warnings);
    }

    /**
     * What relaying a layer's inputs changes, said per layer: the sum a neuron sees is rebuilt from
     * its shares' relay spikes, so it is delayed, limited in rate and rounded.
     */
    static String relayApproximation(Population pop, Tiling t, int relayCores, long relayNeurons, Target target) {
        long fanIn = 0;
        for (SynapticInput in : pop.inputs()) fanIn += fanIn(in);
        return pop.displayName() + ": " + String.format("%,d", fanIn) + " inputs per neuron > "
                + String.format("%,d", target.core().maxInputAxons().value()) + " input axons per core: " + t.join()
                + " shares relayed by " + String.format("%,d", relayNeurons) + " relay neurons on "
                + String.format("%,d", relayCores) + " cores; its input arrives one tick late, at most r per share and"
                + " sign per tick, rounded down to a multiple of r";
    }

    /** The relay scheme, said once for all relayed layers. */
    static final String RELAY_SCHEME = "relayed layers (core.fan_in_split: relay): each share of a neuron's inputs"
            + " drives a positive and a negative integrate-and-fire relay neuron (weights w and -w, no leak, reset by"
            + " subtraction, voltage floored at 0, threshold r) on a relay core; their spikes reach the neuron with"
            + " weight +r and -r. Charge above r in one tick waits for later ticks (a relay fires at most once per"
            + " tick) and charge below r stays in the relay, so the neuron sees its input sum one tick late and"
            + " rounded to multiples of r; r is not chosen yet (a program cannot hold relays)";

    /** Inputs per neuron of one synaptic input. */
    private static long fanIn(SynapticInput in) {
        if (in.geometry() instanceof org.snnc.compiler.mapping.Geometry.Spatial s) {
            return (long) s.inChannels() * s.rows().maxSourcesPerOutput() * s.cols().maxSourcesPerOutput();
        }
        if (in.geometry() instanceof org.snnc.compiler.mapping.Geometry.Full f) return f.inputs();
        return ((org.snnc.compiler.mapping.Geometry.Random) in.geometry()).fanIn();
    }

    private static Mapping.Range range(List<Mapping.Core> cores, long limit, int which) {
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (Mapping.Core c : cores) {
            long v = switch (which) {
                case 0 -> c.neurons();
                case 1 -> c.inputAxons();
                case 2 -> c.synapseBits();
                default -> c.fanoutEntries();
            };
            double f = (double) v / limit;
            min = Math.min(min, f);
            max = Math.max(max, f);
            sum += f;
        }
        if (cores.isEmpty()) return new Mapping.Range(0, 0, 0);
        return new Mapping.Range(min, sum / cores.size(), max);
    }
}
