package org.snnc.compiler.program;

import java.util.List;
import java.util.function.IntUnaryOperator;
import org.snnc.compiler.target.Target;

/**
 * Assigns every neuron to a core and every core to a place on the board. {@link SequentialPlacement}
 * is the simple default; a partitioner and placer that minimise traffic replace it through this
 * interface.
 */
public interface Placement {

    /**
     * @return the core of every neuron and the chip and tile of every core; every core must lie
     *         on the target's board, at most {@code cores_per_tile} per tile
     * @throws ProgramBuildException when the network does not fit; the message names the layer,
     *         the limit, what is needed and what is available
     */
    Program.Cores place(Request request);

    /** The board the cores are placed on: the target's, unless the placement grew it. */
    default Program.Mesh mesh(Target target) {
        return new Program.Mesh(target.board().chipsX().value(), target.board().chipsY().value(),
                target.chip().meshWidth().value(), target.chip().meshHeight().value(), target.chip().coresPerTile().value());
    }

    /**
     * How many joined compartments each neuron of a population takes and which of them each
     * source's synapses go to ({@link Program.Population}). Asked once per population before
     * {@link #place}; the builder then adds the compartment populations to the request.
     *
     * @param population a population of neurons of {@code request}
     */
    default Join join(Request request, int population) {
        return Join.NONE;
    }

    /**
     * A neuron's inputs split into {@code parts} shares. Joined ({@code relay} false): share 0 stays
     * with the soma, share {@code j > 0} goes to the neuron's compartment {@code j}. Relayed: every
     * share goes to a positive and a negative relay neuron, and the soma reads only relays.
     *
     * @param shareOfSource the share of a global source index (input channel, or input channels + neuron)
     */
    record Join(int parts, IntUnaryOperator shareOfSource, boolean relay) {
        public static final Join NONE = new Join(1, s -> 0, false);

        public Join(int parts, IntUnaryOperator shareOfSource) {
            this(parts, shareOfSource, false);
        }
    }

    /**
     * What a placement sees.
     *
     * @param target        the hardware
     * @param populations   the populations, in neuron order (joined compartments after every neuron)
     * @param inputChannels sources below this index are input channels
     * @param incoming      the sources of every neuron
     * @param inputs        the input channel groups
     */
    record Request(Target target, List<Program.Population> populations, int inputChannels, Incoming incoming,
            List<Program.InputGroup> inputs) {

        public Request(Target target, List<Program.Population> populations, int inputChannels, Incoming incoming) {
            this(target, populations, inputChannels, incoming, List.of());
        }
    }

    /** The core numbered {@code k} in board order: chip by chip, tile by tile (row-major), core by core. */
    static int[] boardPosition(Target target, int k) {
        int perTile = target.chip().coresPerTile().value();
        int perChip = target.chip().cores().value();
        int width = target.chip().meshWidth().value();
        int tile = (k % perChip) / perTile;
        return new int[] {k / perChip, tile % width, tile / width};
    }
}
