package org.snnc.simulator;

import org.snnc.compiler.program.Program;

/**
 * Time on cores versus time in the network the program was trained as. The host writes input
 * spikes into their cores within a step, but a neuron's spike reaches the next population one
 * step later, while the trained network passes all its layers within one step. So population
 * {@code p} sees the input of step t at step {@code t + delay(p)}: its delay is the number of
 * spiking populations on the longest path of synaptic layers from an input to it.
 *
 * <p>A population's bias (a folded normalisation shift, a layer bias) is a constant input of every
 * trained step. On cores it is on for the T steps of the population's input window,
 * {@code delay(p) <= step < delay(p) + T} (the host switches it), so that every population
 * integrates what the trained network integrates, shifted by its delay. Left on from step 0, a
 * deep population would integrate its bias alone for its first steps, and the bias would outweigh
 * its input: a 3-layer network's last layer then fires up to twice as often in some channels.
 */
public final class Pipeline {

    private Pipeline() {
    }

    /**
     * The delay of every population, in steps. Populations are in topological order, as the
     * builder makes them; a layer reading an input adds no delay, one reading a population adds
     * one step to that population's.
     */
    public static int[] delays(Program p) {
        int[] delay = new int[p.populations().size()];
        boolean[] relayed = new boolean[delay.length];
        for (Program.Population pop : p.populations()) if (pop.relays()) relayed[pop.soma()] = true;
        for (Program.Population pop : p.populations()) {
            for (Program.SynapticLayer l : p.layers()) {
                if (l.targetPopulation() != pop.id()) continue;
                int d = l.sourcePopulation() < 0 ? 0 : delay[l.sourcePopulation()] + 1;
                delay[pop.id()] = Math.max(delay[pop.id()], d);
            }
            // Relays add a step: the soma reads their spikes, one step after they read its inputs.
            if (relayed[pop.id()]) delay[pop.id()]++;
        }
        // Compartments and relays work on their soma's inputs, in the soma's step or the one before.
        for (Program.Population pop : p.populations()) {
            if (pop.compartments()) delay[pop.id()] = delay[pop.soma()];
            if (pop.relays()) delay[pop.id()] = delay[pop.soma()] - 1;
        }
        return delay;
    }

    /** Whether a population of delay {@code delay} has its bias on at {@code step} of a T-step program. */
    public static boolean biasOn(int delay, int timesteps, int step) {
        return step >= delay && step < delay + timesteps;
    }

    /** {@code input} for its first {@code steps} steps and nothing after, signs kept. */
    public static InputSpikes window(InputSpikes input, int steps) {
        return new InputSpikes() {
            @Override
            public int[] at(int step) {
                return step < steps ? input.at(step) : new int[0];
            }

            @Override
            public int[] negativeAt(int step) {
                return step < steps ? input.negativeAt(step) : new int[0];
            }
        };
    }
}
