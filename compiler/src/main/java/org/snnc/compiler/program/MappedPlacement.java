package org.snnc.compiler.program;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.lower.MapNetwork;
import org.snnc.compiler.mapping.Board;
import org.snnc.compiler.mapping.CoreTile;
import org.snnc.compiler.mapping.Geometry;
import org.snnc.compiler.mapping.Mapping;
import org.snnc.compiler.mapping.Partitioned;
import org.snnc.compiler.mapping.Placed;
import org.snnc.compiler.mapping.Population;
import org.snnc.compiler.mapping.Role;
import org.snnc.compiler.mapping.Routed;
import org.snnc.compiler.mapping.SynapticInput;
import org.snnc.compiler.mapping.Tiling;
import org.snnc.compiler.target.CoreLimits;
import org.snnc.compiler.target.Target;

/**
 * The placement the mapping passes chose ({@link MapNetwork}: partition into tiles, place on the
 * mesh minimising traffic x hops, route). Program core {@code k} is mapping core {@code k}: every
 * neuron goes to the core whose tile box {@code [c0,c1) x [y0,y1) x [x0,x1)} holds it, and every
 * core keeps the chip and tile the place pass gave it.
 *
 * <p>Neuron numbering: the builder numbers a population's neurons in its IR shape's row-major
 * {@code [C,H,W]} order ({@code (c*H + y)*W + x}), the order in which the partition pass reads a
 * population's shape, so a tile box is a set of neuron offsets and nothing is re-derived here.
 *
 * <p>Joined compartments: where the mapping splits a layer's inputs into {@code J} shares
 * ({@link Tiling#join()}), {@link #join} tells the builder the same shares (balanced slices of each
 * input's channels, or of a dense input's neurons), the builder adds the compartment populations,
 * and each goes to the cores of its slice of the tiles.
 *
 * <p>What a compiled program cannot hold, and this placement therefore refuses
 * ({@link #unsupported()}, or a {@link ProgramBuildException} from {@link #place}). A board the
 * mapping grew beyond the target's (more chips of the same kind) becomes the program's mesh ({@link #mesh}).
 * <ul>
 *   <li>joined compartments of a sparse (random) layer: the mapping shares out each neuron's
 *       draws, which a program's merged synapses no longer tell apart;</li>
 * </ul>
 * Relayed fan-in becomes relay populations (TrueNorth). Splitter cores (targets where a neuron
 * may send to one core only) stay empty: a program's spikes go straight to every destination core,
 * an approximation the CLI notes ({@link #splitterCores}).
 * The per-core limits are checked again on the program's real synapses (after pruning and after
 * an {@code add} merged paths from one source), so a disagreement between the mapping's counts
 * and the builder's synapses cannot pass unnoticed.
 */
public final class MappedPlacement implements Placement {

    private final Routed routed;

    /** @param routed the mapping passes' result for the network and target the program is built from */
    public MappedPlacement(Routed routed) {
        this.routed = routed;
    }

    /**
     * Runs the mapping passes.
     *
     * @throws org.snnc.compiler.mapping.MappingException when the network does not fit the target
     */
    public static MappedPlacement of(SpikingIr ir, Target target) {
        return new MappedPlacement(MapNetwork.route(ir, target));
    }

    /**
     * The mapping passes with every neuron on one compartment, as a program holds it: where the
     * target joins compartments only to save cores, this finds the tiling that fits without them.
     *
     * @throws org.snnc.compiler.mapping.MappingException when some neuron's inputs fit no single core
     */
    public static MappedPlacement withoutJoins(SpikingIr ir, Target target) {
        return new MappedPlacement(MapNetwork.route(ir, target, false));
    }

    /** Whether some layer of the mapping joins compartments. */
    public boolean joins() {
        for (Tiling t : routed.placed().wired().partitioned().tilings()) if (t.join() > 1) return true;
        return false;
    }

    public Routed routed() {
        return routed;
    }

    /** The mapping report of the placement, as {@code snnc compile --target} prints it. */
    public Mapping mapping() {
        return MapNetwork.report(routed);
    }

    /**
     * Why a program cannot take this mapping, naming the layer and the feature; empty when it can.
     * Checked before building so that a caller may choose another placement without building twice.
     */
    public Optional<String> unsupported() {
        Placed placed = routed.placed();
        Partitioned part = placed.wired().partitioned();
        List<Population> pops = part.graph().populations();
        for (int p = 0; p < pops.size(); p++) {
            Tiling t = part.tilings().get(p);
            if (t.join() > 1) {
                for (SynapticInput in : pops.get(p).inputs()) {
                    if (in.geometry() instanceof Geometry.Random) {
                        return Optional.of("layer '" + pops.get(p).name() + "': the mapping " + (t.relay() ? "relays " : "joins ")
                                + t.join() + " shares of every neuron's inputs over the draws of sparse layer '" + in.layer()
                                + "'; a compiled program splits the inputs of dense and convolutional layers only");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The mapping's shares of a population's inputs: for each synaptic input, the balanced slices
     * of its source's channels (a conv, {@link Geometry.Spatial}) or of its source's neurons (a
     * dense layer), as {@link org.snnc.compiler.lower.Partition} counts them.
     */
    @Override
    public Join join(Request r, int population) {
        Partitioned part = routed.placed().wired().partitioned();
        Population m = part.graph().populations().get(population);
        int parts = part.tilings().get(population).join();
        if (parts == 1) return Join.NONE;
        int inputs = m.inputs().size();
        int[] base = new int[inputs], size = new int[inputs], units = new int[inputs];
        for (int i = 0; i < inputs; i++) {
            SynapticInput in = m.inputs().get(i);
            base[i] = -1;
            for (Program.InputGroup g : r.inputs()) {
                if (g.name().equals(in.sourceName())) {
                    base[i] = g.offset();
                    size[i] = g.count();
                }
            }
            for (Program.Population q : r.populations()) {
                if (!q.compartments() && q.layer().equals(in.sourceName())) {
                    base[i] = r.inputChannels() + q.offset();
                    size[i] = q.size();
                }
            }
            if (base[i] < 0) {
                throw new ProgramBuildException("layer '" + m.name() + "' reads '" + in.sourceName()
                        + "', which is neither an input nor a population of the program");
            }
            units[i] = in.geometry() instanceof Geometry.Spatial sp ? sp.inChannels() : size[i];
        }
        boolean relay = part.tilings().get(population).relay();
        return new Join(parts, src -> {
            for (int i = 0; i < inputs; i++) {
                if (src >= base[i] && src < base[i] + size[i]) {
                    int unit = (int) ((long) (src - base[i]) * units[i] / size[i]);
                    return shareOf(unit, units[i], parts);
                }
            }
            throw new IllegalStateException("source " + src + " lies in no input of layer '" + m.name() + "'");
        }, relay);
    }

    /** The balanced slice ({@link Tiling#sliceStart}) of {@code units} in {@code parts} that holds {@code unit}. */
    static int shareOf(int unit, int units, int parts) {
        int j = (int) ((long) unit * parts / units);
        while (j + 1 < parts && Tiling.sliceStart(units, parts, j + 1) <= unit) j++;
        while (j > 0 && Tiling.sliceStart(units, parts, j) > unit) j--;
        return j;
    }

    /**
     * The mapping's board: the target's, or grown by rows of the same chips when the network needs
     * more cores than the target's board has (the mapping report warns, and so does the program's note).
     */
    @Override
    public Program.Mesh mesh(Target target) {
        Board b = routed.placed().board();
        return new Program.Mesh(b.chipsX(), b.chipsY(), b.meshW(), b.meshH(), b.coresPerTile());
    }

    /**
     * Splitter cores of the mapping (targets whose neurons may send to one core only): a program
     * holds no splitter neurons, so these cores stay empty and spikes go straight to their cores.
     */
    public long splitterCores() {
        return routed.placed().wired().cores().stream().filter(c -> c.role() == Role.SPLITTER).count();
    }

    /** Whether the mapping grew the target's board to hold the network. */
    public boolean grewBoard() {
        return routed.placed().board().extended();
    }

    @Override
    public Program.Cores place(Request r) {
        Optional<String> why = unsupported();
        if (why.isPresent()) throw new ProgramBuildException(why.get());
        Placed placed = routed.placed();
        Partitioned part = placed.wired().partitioned();
        Target mapped = part.target();
        Target t = r.target();
        if (!t.name().equals(mapped.name())) {
            throw new ProgramBuildException("the mapping was made for target '" + mapped.name() + "', the program is built for '"
                    + t.name() + "'");
        }
        List<Population> pops = part.graph().populations();
        List<Program.Population> progPops = new ArrayList<>();
        // holders[p][slice]: the program populations whose neurons in a core's box sit on that core:
        // the soma for slice 0 (every soma slice when relayed), compartment j for slice j of a join,
        // the positive and negative relays of share j for relay slice somas + j.
        List<List<Program.Population>> extra = new ArrayList<>();
        for (Program.Population q : r.populations()) {
            if (q.kind() != Program.Kind.NEURONS) continue;
            progPops.add(q);
            extra.add(new ArrayList<>());
        }
        for (Program.Population q : r.populations()) if (q.kind() != Program.Kind.NEURONS) extra.get(q.soma()).add(q);
        if (pops.size() != progPops.size()) {
            throw new ProgramBuildException("the mapping has " + pops.size() + " populations " + names(pops)
                    + ", the program " + progPops.size() + "; their neurons cannot be matched");
        }
        int neurons = r.incoming().neurons();
        int[] coreOf = new int[neurons];
        Arrays.fill(coreOf, -1);
        for (int p = 0; p < pops.size(); p++) {
            Population m = pops.get(p);
            Program.Population q = progPops.get(p);
            if (!m.name().equals(q.layer()) || m.neurons() != q.size()) {
                throw new ProgramBuildException("population " + p + " is '" + m.name() + "' " + m.shape() + " in the mapping but '"
                        + q.layer() + "' of " + q.size() + " neurons in the program; their neurons cannot be matched");
            }
            Tiling tiling = part.tilings().get(p);
            int expected = tiling.join() == 1 ? 0 : tiling.relay() ? 2 * tiling.join() : tiling.join() - 1;
            if (extra.get(p).size() != expected) {
                throw new ProgramBuildException("layer '" + m.name() + "' splits its inputs into " + tiling.join() + " shares in the mapping ("
                        + (tiling.relay() ? "relayed" : "joined") + "), but the program has " + extra.get(p).size()
                        + " compartment or relay populations for it");
            }
        }
        List<List<List<Program.Population>>> holders = new ArrayList<>();
        for (int p = 0; p < pops.size(); p++) {
            Tiling tiling = part.tilings().get(p);
            List<List<Program.Population>> slices = new ArrayList<>();
            if (tiling.relay() && tiling.join() > 1) {
                for (int k = 0; k < tiling.somas(); k++) slices.add(List.of(progPops.get(p)));
                for (int j = 0; j < tiling.join(); j++) slices.add(List.of(extra.get(p).get(2 * j), extra.get(p).get(2 * j + 1)));
            } else {
                slices.add(List.of(progPops.get(p)));
                for (Program.Population c : extra.get(p)) slices.add(List.of(c));
            }
            holders.add(slices);
        }
        List<CoreTile> cores = placed.wired().cores();
        IntList held = new IntList();
        for (CoreTile c : cores) {
            for (int i = 0, m = neuronsOf(c, pops, holders, held); i < m; i++) {
                int n = held.data[i];
                if (coreOf[n] != -1) {
                    throw new IllegalStateException("neuron " + n + " lies in the tiles of cores " + coreOf[n] + " and " + c.id());
                }
                coreOf[n] = c.id();
            }
        }
        for (int n = 0; n < neurons; n++) {
            if (coreOf[n] == -1) throw new IllegalStateException("neuron " + n + " lies in no tile of the mapping");
        }
        checkLimits(r, cores, pops, holders, part.tilings());

        Board b = placed.board();
        int count = cores.size();
        int[] chip = new int[count];
        int[] x = new int[count];
        int[] y = new int[count];
        for (int k = 0; k < count; k++) {
            int slot = placed.slot()[k];
            chip[k] = b.chip(slot);
            // The board's tile coordinates are global; a program's are per chip.
            x[k] = b.tileX(slot) % b.meshW();
            y[k] = b.tileY(slot) % b.meshH();
        }
        return new Program.Cores(chip, x, y, coreOf);
    }

    /**
     * The program neurons core {@code c} holds, into {@code out} (cleared first): its tile box of each
     * population its slice holds ({@code holders}); none for a splitter core, whose splitter
     * neurons a program does not hold (spikes go straight to their cores, an approximation).
     *
     * @return how many
     */
    private static int neuronsOf(CoreTile c, List<Population> pops, List<List<List<Program.Population>>> holders, IntList out) {
        out.size = 0;
        if (c.role() == Role.SPLITTER) return 0;
        Shape s = pops.get(c.population()).shape();
        for (Program.Population holder : holders.get(c.population()).get(c.slice())) {
            for (int ch = c.c0(); ch < c.c1(); ch++) {
                for (int y = c.y0(); y < c.y1(); y++) {
                    int row = holder.offset() + (ch * s.height() + y) * s.width();
                    for (int x = c.x0(); x < c.x1(); x++) out.add(row + x);
                }
            }
        }
        return out.size;
    }

    /**
     * Neurons, distinct input axons and synapse memory of every core, counted on the program's own
     * synapses against the target's limits. Each core's neurons are visited together (its tile
     * box), so one stamp per source counts its distinct axons exactly without clearing.
     */
    private static void checkLimits(Request r, List<CoreTile> cores, List<Population> pops,
            List<List<List<Program.Population>>> holders, List<Tiling> tilings) {
        CoreLimits lim = r.target().core();
        int bits = Partitioned.bitsPerSynapse(r.target());
        Incoming in = r.incoming();
        int[] stamp = new int[r.inputChannels() + in.neurons()];
        int[] buf = in.buffer();
        IntList held = new IntList();
        for (CoreTile c : cores) {
            int mark = c.id() + 1;
            long neurons = neuronsOf(c, pops, holders, held);
            long axons = 0;
            long synapses = 0;
            for (int i = 0; i < neurons; i++) {
                int degree = in.sources(held.data[i], buf);
                synapses += degree;
                for (int e = 0; e < degree; e++) {
                    int src = buf[e];
                    if (stamp[src] != mark) {
                        stamp[src] = mark;
                        axons++;
                    }
                }
            }
            Tiling t = tilings.get(c.population());
            if (c.slice() == 0 && !t.relay() && t.join() > 1) {
                // Each joined compartment's partial sum reaches the soma through one axon and one synapse.
                axons += (t.join() - 1) * neurons;
                synapses += (t.join() - 1) * neurons;
            }
            String what = null;
            if (neurons > lim.maxNeurons().value()) {
                what = neurons + " neurons, more than " + lim.maxNeurons().value();
            } else if (synapses * bits > lim.synapseMemoryBits().value()) {
                what = synapses + " synapses (" + synapses * bits + " bits), more than " + lim.synapseMemoryBits().value() + " bits";
            } else if (axons > lim.maxInputAxons().value()) {
                what = axons + " input axons, more than " + lim.maxInputAxons().value();
            }
            if (what != null) {
                throw new ProgramBuildException("layer '" + pops.get(c.population()).name() + "': core " + c.id()
                        + " of the mapping holds " + what + " once the program's synapses are built; the mapping counted "
                        + c.inputAxons() + " input axons and " + c.synapses() + " synapses");
            }
        }
    }

    private static String names(List<Population> pops) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < pops.size(); i++) b.append(i == 0 ? "" : ", ").append(pops.get(i).name());
        return b.append(')').toString();
    }

    @Override
    public String toString() {
        return "mapped";
    }
}
