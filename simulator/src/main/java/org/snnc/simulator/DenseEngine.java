package org.snnc.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.snnc.compiler.program.Program;

/**
 * The reference: a plain time-stepped evaluation of a program, written apart from
 * {@link EventEngine} and as simply as possible. Every neuron reads every possible source from
 * a dense weight matrix at every step, every neuron is updated by {@link NeuronReference}, and
 * every packet walks the mesh hop by hop. Slow (sources x neurons per step) and memory-hungry;
 * for tests and small programs.
 */
public final class DenseEngine implements Engine {

    /** Matrix entries beyond which the dense engine refuses a program (4 bytes each). */
    public static final long MAX_ENTRIES = 1L << 27;

    private static final int NONE = Integer.MIN_VALUE;

    @Override
    public SimResult run(Program p, Costs costs, int steps, InputSpikes input, Options options) {
        int inputs = p.inputChannels();
        int neurons = p.neurons();
        int sources = inputs + neurons;
        int cores = p.cores().count();
        int[] coreOf = p.cores().coreOfNeuron();
        long entries = (long) sources * neurons;
        if (entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("the dense engine would need a " + sources + " x " + neurons
                    + " weight matrix (" + entries + " entries, more than " + MAX_ENTRIES + "); use the event engine");
        }
        // weight[n][s]: the weight from source s onto neuron n, NONE where no synapse exists.
        int[][] weight = new int[neurons][sources];
        for (int[] row : weight) Arrays.fill(row, NONE);
        int[] popOf = new int[neurons];
        for (Program.Population pop : p.populations()) {
            for (int i = 0; i < pop.size(); i++) popOf[pop.offset() + i] = pop.id();
        }
        // Every synapse, explicit or generated from a kernel, as its full integer weight.
        for (int s = 0; s < sources; s++) {
            final int src = s;
            p.forEachSynapse(s, (t, m) -> weight[t][src] = m << p.populations().get(popOf[t]).quant().weightExponent());
        }
        long[] coreNeurons = new long[cores];
        for (int n = 0; n < neurons; n++) coreNeurons[coreOf[n]]++;

        int pops = p.populations().size();
        long[] popSpikes = new long[pops], popSynOps = new long[pops], popUpdates = new long[pops];
        long[] inputSpikes = new long[p.inputs().size()];
        SimResult.CoreCounters cc = SimResult.CoreCounters.of(cores);
        long[] stepTicks = new long[steps];
        List<int[]> train = options.recordSpikes() ? new ArrayList<>() : null;
        NeuronReference.State[] state = new NeuronReference.State[neurons];
        for (int n = 0; n < neurons; n++) state[n] = new NeuronReference.State(0, 0);
        Network net = new Network(p.mesh());

        boolean[] spiked = new boolean[sources];   // inputs at this step, neurons at the last step
        boolean[] minus = new boolean[inputs];      // the input's spike is -1
        int done = 0;
        long loopStart = System.nanoTime();
        int[] delays = Pipeline.delays(p);
        for (int t = 0; t < steps; t++) {
            Arrays.fill(spiked, 0, inputs, false);
            Arrays.fill(minus, false);
            for (int ch : input.negativeAt(t)) minus[ch] = true;
            for (int ch : input.at(t)) {
                spiked[ch] = true;
                for (int g = 0; g < p.inputs().size(); g++) {
                    Program.InputGroup ig = p.inputs().get(g);
                    if (ch >= ig.offset() && ch < ig.offset() + ig.count()) inputSpikes[g]++;
                }
            }
            long[] coreSynOps = new long[cores];
            boolean[] fired = new boolean[neurons];
            long[] sum = new long[neurons];
            for (int n = 0; n < neurons; n++) {
                for (int s = 0; s < sources; s++) {
                    if (spiked[s] && weight[n][s] != NONE) {
                        sum[n] += s < inputs && minus[s] ? -weight[n][s] : weight[n][s];
                        popSynOps[popOf[n]]++;
                        coreSynOps[coreOf[n]]++;
                    }
                }
            }
            // Joined compartments hand their sums to their somas, each non-zero one a synaptic op at
            // the soma's core and a packet from the compartment's core.
            Map<Long, Long> linkLoad = new HashMap<>();
            Map<Long, Long> linkTicks = new HashMap<>();
            long longestPath = 0;
            for (Program.Population pop : p.populations()) {
                if (!pop.compartments()) continue;
                Program.Population soma = p.populations().get(pop.soma());
                for (int i = 0; i < pop.size(); i++) {
                    int c = pop.offset() + i, n = soma.offset() + i;
                    if (sum[c] == 0) continue;
                    sum[n] += sum[c];
                    popSynOps[soma.id()]++;
                    coreSynOps[coreOf[n]]++;
                    cc.packets()[coreOf[c]]++;
                    longestPath = Math.max(longestPath, walk(net, p.cores(), costs, coreOf[c], coreOf[n], cc, linkLoad, linkTicks));
                }
            }
            for (int n = 0; n < neurons; n++) {
                Program.Population pop = p.populations().get(popOf[n]);
                popUpdates[popOf[n]]++;
                if (pop.compartments()) continue;
                long bias = Pipeline.biasOn(delays[pop.id()], p.header().timesteps(), t) ? pop.bias(n - pop.offset()) : 0;
                int local = n - pop.offset();
                fired[n] = NeuronReference.step(pop.params(), state[n], sum[n], bias, pop.firingLevel(local), pop.linearLeak(local));
            }

            long[] coreSpikes = new long[cores];
            List<Integer> firedList = new ArrayList<>();
            for (int n = 0; n < neurons; n++) {
                if (!fired[n]) continue;
                firedList.add(n);
                popSpikes[popOf[n]]++;
                int from = coreOf[n];
                coreSpikes[from]++;
                TreeSet<Integer> destinations = new TreeSet<>();
                for (int m = 0; m < neurons; m++) {
                    if (weight[m][inputs + n] != NONE) destinations.add(coreOf[m]);
                }
                for (int to : destinations) {
                    cc.packets()[from]++;
                    longestPath = Math.max(longestPath, walk(net, p.cores(), costs, from, to, cc, linkLoad, linkTicks));
                }
            }
            long busiestLink = 0;
            for (Map.Entry<Long, Long> e : linkLoad.entrySet()) {
                busiestLink = Math.max(busiestLink, e.getValue() * linkTicks.get(e.getKey()));
            }
            long slowestCore = 0;
            for (int k = 0; k < cores; k++) {
                long busy = coreSynOps[k] * costs.synapticOp() + coreNeurons[k] * costs.neuronUpdate()
                        + coreSpikes[k] * costs.spikeOut();
                slowestCore = Math.max(slowestCore, busy);
                cc.busyTicks()[k] += busy;
                cc.synOps()[k] += coreSynOps[k];
                cc.updates()[k] += coreNeurons[k];
                cc.spikes()[k] += coreSpikes[k];
            }
            stepTicks[t] = Math.max(costs.minStep(), slowestCore + Math.max(busiestLink, longestPath) + costs.barrier());
            if (train != null) {
                int[] list = new int[firedList.size()];
                for (int i = 0; i < list.length; i++) list[i] = firedList.get(i);
                train.add(list);
            }
            for (int n = 0; n < neurons; n++) spiked[inputs + n] = fired[n];
            done = t + 1;
            options.progress().stepDone(done);
            if (options.cancelled().getAsBoolean()) break;
        }
        long[] finalU = new long[neurons], finalV = new long[neurons];
        for (int n = 0; n < neurons; n++) {
            finalU[n] = state[n].u;
            finalV[n] = state[n].v;
        }
        return new SimResult(done, done < steps, popSpikes, popSynOps, popUpdates, inputSpikes, cc,
                Arrays.copyOf(stepTicks, done), train, finalU, finalV, (System.nanoTime() - loopStart) / 1e9);
    }

    /**
     * Walks one packet from core {@code from} to core {@code to}, x first then y, counting each
     * hop on the sender and loading each link.
     *
     * @return the path's latency in ticks
     */
    private static long walk(Network net, Program.Cores c, Costs costs, int from, int to, SimResult.CoreCounters cc,
            Map<Long, Long> linkLoad, Map<Long, Long> linkTicks) {
        if (from == to) return 0;
        int x = net.globalX(c, from), y = net.globalY(c, from);
        int tx = net.globalX(c, to), ty = net.globalY(c, to);
        long path = 0;
        if (x == tx && y == ty) {
            cc.hopsWithinTile()[from]++;
            path += use(linkLoad, linkTicks, net.link(x, y, Network.LOCAL), costs.hopWithinTile());
            return path;
        }
        while (x != tx || y != ty) {
            int port;
            if (x != tx) port = tx > x ? Network.EAST : Network.WEST;
            else port = ty > y ? Network.SOUTH : Network.NORTH;
            boolean chipEdge = net.crossesChip(x, y, port);
            long ticks;
            if (chipEdge) {
                cc.hopsInterChip()[from]++;
                ticks = costs.hopInterChip();
            } else if (port == Network.EAST || port == Network.WEST) {
                cc.hopsEastWest()[from]++;
                ticks = costs.hopEastWest();
            } else {
                cc.hopsNorthSouth()[from]++;
                ticks = costs.hopNorthSouth();
            }
            path += use(linkLoad, linkTicks, net.link(x, y, port), ticks);
            switch (port) {
                case Network.EAST -> x++;
                case Network.WEST -> x--;
                case Network.SOUTH -> y++;
                default -> y--;
            }
        }
        return path;
    }

    private static long use(Map<Long, Long> load, Map<Long, Long> ticks, long link, long linkTicks) {
        load.merge(link, 1L, Long::sum);
        ticks.put(link, linkTicks);
        return linkTicks;
    }
}
