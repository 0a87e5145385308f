package org.snnc.compiler.program;

import org.snnc.compiler.target.CoreLimits;
import org.snnc.compiler.target.Target;

/**
 * The default placement: each population is cut into consecutive chunks of neurons, one chunk
 * per core, and the cores are laid on the board in order (chip by chip, tile by tile in
 * row-major order, core by core within a tile). A chunk is closed before a neuron that would
 * break one of the core's limits:
 * <ul>
 *   <li>{@code core.max_neurons} neurons;</li>
 *   <li>{@code core.max_input_axons} distinct sources feeding the chunk;</li>
 *   <li>{@code core.synapse_memory_bits}, counting {@code weight_bits} per synapse (a lower bound:
 *       real synapse encodings add index bits).</li>
 * </ul>
 * Populations never share a core. Output axons are not checked: they depend on where the
 * targets land, which is the placer's business, not this default's. Nothing here minimises
 * traffic.
 */
public final class SequentialPlacement implements Placement {

    @Override
    public Program.Cores place(Request r) {
        Target t = r.target();
        CoreLimits lim = t.core();
        int maxNeurons = lim.maxNeurons().value();
        int maxAxons = lim.maxInputAxons().value();
        long maxSynapses = lim.synapseMemoryBits().value() / t.numbers().weightBits().value();
        Incoming in = r.incoming();
        int neurons = in.neurons();
        int[] buf = in.buffer();
        int[] coreOf = new int[neurons];
        int sources = r.inputChannels() + neurons;
        // stamp[s] == core + 1 when source s already has an axon on that core: no clearing between cores.
        int[] stamp = new int[sources];
        int core = -1;
        for (Program.Population pop : r.populations()) {
            int count = 0;
            int axons = 0;
            long synapses = 0;
            core++;
            for (int n = pop.offset(); n < pop.offset() + pop.size(); n++) {
                int degree = in.sources(n, buf);
                int fresh = freshSources(buf, degree, stamp, core + 1);
                if (count > 0 && (count + 1 > maxNeurons || axons + fresh > maxAxons || synapses + degree > maxSynapses)) {
                    core++;
                    count = 0;
                    axons = 0;
                    synapses = 0;
                    fresh = freshSources(buf, degree, stamp, core + 1);
                }
                if (fresh > maxAxons || degree > maxSynapses) {
                    throw new ProgramBuildException("layer '" + pop.layer() + "': neuron " + (n - pop.offset()) + " has "
                            + (fresh > maxAxons ? fresh + " distinct inputs, more than the " + maxAxons + " input axons of a core"
                            : degree + " synapses, more than the " + maxSynapses + " that " + lim.synapseMemoryBits().value()
                            + " bits of synapse memory hold at " + t.numbers().weightBits().value() + " bits each")
                            + "; reduce its fan-in, or use a placement that splits neurons across compartments");
                }
                for (int e = 0; e < degree; e++) stamp[buf[e]] = core + 1;
                coreOf[n] = core;
                count++;
                axons += fresh;
                synapses += degree;
            }
        }
        int cores = core + 1;
        if (cores > t.totalCores()) {
            throw new ProgramBuildException("the network needs " + cores + " cores but target '" + t.name() + "' has "
                    + t.totalCores() + " (" + t.board().chips() + " chips of " + t.chip().cores().value()
                    + "); use a larger board or a smaller network");
        }
        int[] chip = new int[cores];
        int[] x = new int[cores];
        int[] y = new int[cores];
        for (int k = 0; k < cores; k++) {
            int[] pos = Placement.boardPosition(t, k);
            chip[k] = pos[0];
            x[k] = pos[1];
            y[k] = pos[2];
        }
        return new Program.Cores(chip, x, y, coreOf);
    }

    private static int freshSources(int[] sources, int count, int[] stamp, int mark) {
        int fresh = 0;
        for (int e = 0; e < count; e++) {
            if (stamp[sources[e]] != mark) fresh++;
        }
        return fresh;
    }

    @Override
    public String toString() {
        return "sequential";
    }

}
