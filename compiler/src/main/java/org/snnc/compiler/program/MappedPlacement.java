package org.snnc.compiler.program;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.lower.MapNetwork;
import org.snnc.compiler.mapping.Board;
import org.snnc.compiler.mapping.CoreTile;
import org.snnc.compiler.mapping.Mapping;
import org.snnc.compiler.mapping.Partitioned;
import org.snnc.compiler.mapping.Placed;
import org.snnc.compiler.mapping.Population;
import org.snnc.compiler.mapping.Role;
import org.snnc.compiler.mapping.Routed;
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
 * <p>What a compiled program (format v2) cannot hold, and this placement therefore refuses
 * ({@link #unsupported()}, or a {@link ProgramBuildException} from {@link #place}):
 * <ul>
 *   <li>joined compartments: a program neuron has one core and one input sum, so a neuron whose
 *       inputs the mapping spreads over several compartment cores has no form here;</li>
 *   <li>splitter cores (targets where a neuron may send to one core only): the program has no
 *       relay neurons, its spikes go straight to every destination core;</li>
 *   <li>a board grown beyond the target's: the program's mesh is the target's board.</li>
 * </ul>
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

    /** Whether some layer of the mapping joins compartments (which a program cannot hold). */
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
                return Optional.of("layer '" + pops.get(p).name() + "': the mapping joins " + t.join()
                        + " compartments per neuron on separate cores; a compiled program (format v"
                        + Program.FORMAT_VERSION + ") holds one compartment per neuron, so joined compartments are not"
                        + " supported yet");
            }
        }
        for (CoreTile c : placed.wired().cores()) {
            if (c.role() == Role.SPLITTER) {
                return Optional.of("layer '" + pops.get(c.population()).name() + "': the mapping relays its spikes through"
                        + " splitter cores (" + part.target().name() + " neurons may target one core only); a compiled"
                        + " program has no splitter neurons yet");
            }
        }
        Board b = placed.board();
        if (b.extended()) {
            Target t = part.target();
            return Optional.of("the mapping needs " + placed.wired().cores().size() + " cores, more than the "
                    + t.totalCores() + " of target '" + t.name() + "' (" + t.board().chips() + " chips); it grew the board to "
                    + b.chipsX() + " x " + b.chipsY() + " chips, but a program's mesh is the target's board");
        }
        return Optional.empty();
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
        List<Program.Population> progPops = r.populations();
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
        }
        List<CoreTile> cores = placed.wired().cores();
        for (CoreTile c : cores) {
            // unsupported() leaves only soma cores: every core holds whole neurons.
            Shape s = pops.get(c.population()).shape();
            int offset = progPops.get(c.population()).offset();
            for (int ch = c.c0(); ch < c.c1(); ch++) {
                for (int y = c.y0(); y < c.y1(); y++) {
                    int row = offset + (ch * s.height() + y) * s.width();
                    for (int x = c.x0(); x < c.x1(); x++) {
                        if (coreOf[row + x] != -1) {
                            throw new IllegalStateException("neuron " + (row + x) + " lies in the tiles of cores "
                                    + coreOf[row + x] + " and " + c.id());
                        }
                        coreOf[row + x] = c.id();
                    }
                }
            }
        }
        for (int n = 0; n < neurons; n++) {
            if (coreOf[n] == -1) throw new IllegalStateException("neuron " + n + " lies in no tile of the mapping");
        }
        checkLimits(r, cores, pops);

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
     * Neurons, distinct input axons and synapse memory of every core, counted on the program's own
     * synapses against the target's limits. Each core's neurons are visited together (its tile
     * box), so one stamp per source counts its distinct axons exactly without clearing.
     */
    private static void checkLimits(Request r, List<CoreTile> cores, List<Population> pops) {
        CoreLimits lim = r.target().core();
        int bits = Partitioned.bitsPerSynapse(r.target());
        Incoming in = r.incoming();
        int[] stamp = new int[r.inputChannels() + in.neurons()];
        int[] buf = in.buffer();
        for (CoreTile c : cores) {
            Shape s = pops.get(c.population()).shape();
            int offset = r.populations().get(c.population()).offset();
            int mark = c.id() + 1;
            long neurons = 0;
            long axons = 0;
            long synapses = 0;
            for (int ch = c.c0(); ch < c.c1(); ch++) {
                for (int y = c.y0(); y < c.y1(); y++) {
                    int row = offset + (ch * s.height() + y) * s.width();
                    for (int n = row + c.x0(); n < row + c.x1(); n++) {
                        neurons++;
                        int degree = in.sources(n, buf);
                        synapses += degree;
                        for (int e = 0; e < degree; e++) {
                            int src = buf[e];
                            if (stamp[src] != mark) {
                                stamp[src] = mark;
                                axons++;
                            }
                        }
                    }
                }
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
