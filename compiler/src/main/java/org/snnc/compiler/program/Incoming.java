package org.snnc.compiler.program;

import java.util.List;

/**
 * The sources of every neuron, as a placement needs them to count a core's input axons and
 * synapses: explicit synapses from an incoming table, kernel synapses generated from the kernel
 * of the neuron's population. Nothing is stored per kernel synapse.
 */
public final class Incoming {

    private final int inputChannels;
    private final int[] start;
    private final int[] source;
    private final int[] popOf;
    private final int[] popOffset;
    private final Program.Kernel[] kernelOf;
    private final int maxDegree;

    /**
     * @param start  {@code [neurons + 1]} CSR of explicit incoming synapses per neuron
     * @param source their sources, ascending within a neuron
     */
    public Incoming(int inputChannels, List<Program.Population> pops, int[] start, int[] source, List<Program.Kernel> kernels) {
        this.inputChannels = inputChannels;
        this.start = start;
        this.source = source;
        int neurons = start.length - 1;
        popOf = new int[neurons];
        popOffset = new int[pops.size()];
        for (Program.Population p : pops) {
            java.util.Arrays.fill(popOf, p.offset(), p.offset() + p.size(), p.id());
            popOffset[p.id()] = p.offset();
        }
        kernelOf = new Program.Kernel[pops.size()];
        for (Program.Kernel k : kernels) kernelOf[k.population()] = k;
        int max = 0;
        for (int n = 0; n < neurons; n++) max = Math.max(max, start[n + 1] - start[n]);
        for (Program.Kernel k : kernels) max = Math.max(max, k.maxFanIn());
        maxDegree = max;
    }

    public int inputChannels() {
        return inputChannels;
    }

    public int neurons() {
        return start.length - 1;
    }

    /** A buffer long enough for any neuron's sources. */
    public int[] buffer() {
        return new int[Math.max(1, maxDegree)];
    }

    /**
     * Writes the distinct sources of neuron {@code n} into {@code buf} (from {@link #buffer}).
     *
     * @return how many
     */
    public int sources(int n, int[] buf) {
        int count = start[n + 1] - start[n];
        System.arraycopy(source, start[n], buf, 0, count);
        Program.Kernel k = kernelOf[popOf[n]];
        if (k != null) count = k.sourcesOf(n - popOffset[popOf[n]], buf, count);
        return count;
    }
}
