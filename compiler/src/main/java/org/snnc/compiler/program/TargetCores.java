package org.snnc.compiler.program;

import java.util.Arrays;
import java.util.List;

/**
 * The distinct cores a source's synapses reach, for route tables and packet counts. Explicit rows
 * are walked synapse by synapse; a kernel's are found per output position from the runs of
 * output channels that share a core there, so a source costs its taps times those runs rather
 * than its synapses (a kernel of 1,024 output channels reaches a few cores per position). A joined
 * compartment reaches one core, its soma's: its partial sum travels there at every step.
 */
public final class TargetCores {

    private final Program.Synapses synapses;
    private final int[] coreOf;
    private final Program.Kernel[] kernels;
    private final int[] offset;
    // Per kernel: for output position pos = oy * out_w + ox, runs runStart[pos] .. runStart[pos+1]-1,
    // run r covering output channels runFrom[r] .. runFrom[r+1]-1 (or out_c) on core runCore[r].
    private final int[][] runStart, runFrom, runCore;
    private final int[] mark;
    private int stamp;
    // Sources from firstCompartment on that lie in a compartment population: the soma's first source.
    private final int inputs;
    private final int[] joinFrom, joinTo, joinSoma;
    private final int firstCompartment;

    public TargetCores(List<Program.Population> pops, Program.Synapses synapses, int[] coreOf, int cores) {
        this.synapses = synapses;
        this.coreOf = coreOf;
        kernels = synapses.kernels().toArray(new Program.Kernel[0]);
        offset = new int[kernels.length];
        runStart = new int[kernels.length][];
        runFrom = new int[kernels.length][];
        runCore = new int[kernels.length][];
        for (int i = 0; i < kernels.length; i++) {
            Program.Kernel k = kernels[i];
            offset[i] = pops.get(k.population()).offset();
            int positions = k.outHeight() * k.outWidth();
            int[] start = new int[positions + 1];
            IntList from = new IntList();
            IntList core = new IntList();
            for (int pos = 0; pos < positions; pos++) {
                int previous = -1;
                for (int co = 0; co < k.outChannels(); co++) {
                    int c = coreOf[offset[i] + co * positions + pos];
                    if (c != previous) {
                        from.add(co);
                        core.add(c);
                        previous = c;
                    }
                }
                start[pos + 1] = from.size;
            }
            runStart[i] = start;
            runFrom[i] = from.toArray();
            runCore[i] = core.toArray();
        }
        mark = new int[cores];
        Arrays.fill(mark, -1);
        int neurons = 0;
        int joined = 0;
        for (Program.Population p : pops) {
            neurons += p.size();
            if (p.compartments()) joined++;
        }
        inputs = synapses.sources() - neurons;
        joinFrom = new int[joined];
        joinTo = new int[joined];
        joinSoma = new int[joined];
        int j = 0;
        int first = Integer.MAX_VALUE;
        for (Program.Population p : pops) {
            if (!p.compartments()) continue;
            first = Math.min(first, p.offset());
            joinFrom[j] = p.offset();
            joinTo[j] = p.offset() + p.size();
            joinSoma[j++] = pops.get(p.soma()).offset();
        }
        firstCompartment = first;
    }

    /**
     * Writes the distinct cores reached by source {@code src}'s synapses (non-zero kernel
     * mantissas only) into {@code out}, in the order first met.
     *
     * @param out a buffer of at least as many entries as there are cores
     * @return how many
     */
    public int of(int src, int[] out) {
        int n = 0;
        int s = ++stamp;
        int neuron = src - inputs;
        // Compartments follow every neuron: most sources end the search at the first comparison.
        for (int j = 0; j < joinFrom.length && neuron >= firstCompartment; j++) {
            if (neuron >= joinFrom[j] && neuron < joinTo[j]) {
                out[n++] = coreOf[joinSoma[j] + neuron - joinFrom[j]];
                return n;
            }
        }
        for (int e = synapses.rowStart()[src]; e < synapses.rowStart()[src + 1]; e++) {
            int c = coreOf[synapses.target()[e]];
            if (mark[c] != s) {
                mark[c] = s;
                out[n++] = c;
            }
        }
        for (int i = 0; i < kernels.length; i++) {
            Program.Kernel k = kernels[i];
            if (!k.reads(src)) continue;
            int local = src - k.sourceBase();
            int plane = k.inHeight() * k.inWidth();
            int ci = local / plane, iy = (local % plane) / k.inWidth(), ix = local % k.inWidth();
            short[] w = k.mantissa();
            int outC = k.outChannels();
            int[] start = runStart[i], from = runFrom[i], core = runCore[i];
            for (int ky = 0; ky < k.kernelH(); ky++) {
                int oy = Program.Kernel.outOf(iy, ky, k.padH(), k.dilationH(), k.strideH(), k.outHeight());
                if (oy < 0) continue;
                for (int kx = 0; kx < k.kernelW(); kx++) {
                    int ox = Program.Kernel.outOf(ix, kx, k.padW(), k.dilationW(), k.strideW(), k.outWidth());
                    if (ox < 0) continue;
                    int at = k.at(k.rowClass()[oy], k.colClass()[ox], ci, ky, kx);
                    int pos = oy * k.outWidth() + ox;
                    for (int r = start[pos]; r < start[pos + 1]; r++) {
                        int c = core[r];
                        if (mark[c] == s) continue;
                        int end = r + 1 < start[pos + 1] ? from[r + 1] : outC;
                        for (int co = from[r]; co < end; co++) {
                            if (w[at + co] != 0) {
                                mark[c] = s;
                                out[n++] = c;
                                break;
                            }
                        }
                    }
                }
            }
        }
        return n;
    }
}
