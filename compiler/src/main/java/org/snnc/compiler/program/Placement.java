package org.snnc.compiler.program;

import java.util.List;
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

    /**
     * What a placement sees.
     *
     * @param target        the hardware
     * @param populations   the populations, in neuron order
     * @param inputChannels sources below this index are input channels
     * @param incoming      the sources of every neuron
     */
    record Request(Target target, List<Program.Population> populations, int inputChannels, Incoming incoming) {
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
