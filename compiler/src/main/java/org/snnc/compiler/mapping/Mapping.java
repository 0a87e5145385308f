package org.snnc.compiler.mapping;

import java.util.List;

/**
 * A network mapped onto a target: what the mapping report and {@code compile --format json}'s
 * {@code mapping} object print (DESIGN.md §9).
 *
 * @param coresUsed          cores holding neurons, compartments or splitters
 * @param chipsUsed          chips with at least one used core
 * @param boardChips         chips on the board placed on (more than the target's when extended)
 * @param hopsPerSpike       router hops per emitted spike, summed over its packets (uniform rates)
 * @param hopsPerPacket      router hops per packet
 * @param chipCrossingsPerSpike chip-to-chip links crossed per emitted spike
 * @param synapses           network synapses stored on chip (each exactly once)
 * @param routes             core-to-core routes (edges of the core graph): the routing table entries
 * @param warnings           results to read with care (a board grown beyond the target's)
 */
public record Mapping(String network, String target, int coresUsed, int chipsUsed, int boardChips, List<Core> cores,
        List<Layer> layers, Utilisation utilisation, double hopsPerSpike, double hopsPerPacket,
        double chipCrossingsPerSpike, long synapses, long routes, List<HostOp> hostOps, List<String> approximations,
        List<String> warnings) {

    public Mapping {
        cores = List.copyOf(cores);
        layers = List.copyOf(layers);
        hostOps = List.copyOf(hostOps);
        approximations = List.copyOf(approximations);
        warnings = List.copyOf(warnings);
    }

    /**
     * One used core. {@code x}, {@code y} are global tile coordinates on the board (see {@link Board});
     * {@code fanout} is its distinct destination cores, {@code fanoutEntries} its (neuron, destination) pairs.
     */
    public record Core(int id, String layer, Role role, int chip, int x, int y, int coreInTile, long neurons,
            long inputAxons, long synapses, long synapseBits, long fanoutEntries, int fanout, int[] destinations) {
    }

    /**
     * One population. {@code tile} is {@code [C, H, W]} of a full tile; {@code join} the shares each
     * neuron's inputs are split into, {@code split} how ("none", "join": compartments, "relay": relay
     * neurons); {@code compartmentCores}, {@code relayCores} and {@code splitterCores} are included in
     * {@code cores}.
     */
    public record Layer(String name, List<String> inputs, long neurons, long synapses, int cores, int[] tile, int join,
            String split, int compartmentCores, int relayCores, long relayNeurons, int splitterCores,
            long splitterNeurons) {
        public Layer {
            inputs = List.copyOf(inputs);
        }
    }

    /** Fraction of each per-core limit used, over the used cores. */
    public record Utilisation(Range neurons, Range inputAxons, Range synapseBits, Range fanoutEntries) {
    }

    public record Range(double min, double mean, double max) {
    }
}
