package org.snnc.compiler.program;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snnc.compiler.target.LeakForm;

/**
 * The consistency rules of a program (docs/program-format.md, "Validity"). The reader applies
 * them to every file, so that engines may index without checking; each failure names the
 * section whose content is wrong.
 */
public final class Validator {

    private Validator() {
    }

    public static Program check(Program p) throws ProgramFormatException {
        Program.Header h = p.header();
        if (h.timesteps() < 1) throw fail("HEAD", "timesteps " + h.timesteps() + " is not positive");

        Program.Mesh m = p.mesh();
        if (m.chipsX() < 1 || m.chipsY() < 1 || m.meshWidth() < 1 || m.meshHeight() < 1 || m.coresPerTile() < 1) {
            throw fail("MESH", "every dimension must be positive, got chips " + m.chipsX() + "x" + m.chipsY() + ", mesh "
                    + m.meshWidth() + "x" + m.meshHeight() + ", " + m.coresPerTile() + " cores per tile");
        }

        long channel = 0;
        for (Program.InputGroup g : p.inputs()) {
            if (g.offset() != channel || g.count() < 1) {
                throw fail("INPT", "input '" + g.name() + "' covers channels " + g.offset() + ".." + ((long) g.offset() + g.count() - 1)
                        + " but the next free channel is " + channel);
            }
            channel += g.count();
        }

        long neuron = 0;
        List<Program.Population> pops = p.populations();
        for (Program.Population pop : pops) {
            if (pop.offset() != neuron || pop.size() < 1) {
                throw fail("POPS", "population '" + pop.layer() + "' covers neurons " + pop.offset() + ".."
                        + ((long) pop.offset() + pop.size() - 1) + " but the next free neuron is " + neuron);
            }
            checkParams(pop);
            if (pop.compartments()) checkJoin(pops, pop);
            if (pop.relays()) {
                Program.Population soma = pops.get(pop.soma());
                if (soma.kind() != Program.Kind.NEURONS || soma.size() != pop.size()) {
                    throw fail("POPS", "relays '" + pop.layer() + "' serve '" + soma.layer() + "', which is not a population of "
                            + pop.size() + " neurons");
                }
            }
            neuron += pop.size();
        }
        if (channel + neuron > Integer.MAX_VALUE) throw fail("POPS", "more than 2^31 sources");
        int inputs = (int) channel;
        int neurons = (int) neuron;

        Program.Synapses s = p.synapses();
        if (s.sources() != inputs + neurons) {
            throw fail("SYNS", s.sources() + " source rows, but the program has " + inputs + " input channels and " + neurons + " neurons");
        }
        int[] popOf = populationOfNeuron(p);
        int[] rs = s.rowStart();
        if (rs[0] != 0 || rs[rs.length - 1] != s.explicit()) {
            throw fail("SYNS", "row starts must run from 0 to the explicit synapse count " + s.explicit() + ", got " + rs[0] + " to " + rs[rs.length - 1]);
        }
        Program.Kernel[] kernelOf = checkKernels(p, inputs + neurons);
        for (int src = 0; src < s.sources(); src++) {
            if (rs[src + 1] < rs[src]) throw fail("SYNS", "row " + src + " ends before it starts");
            if (src >= inputs && rs[src + 1] > rs[src] && pops.get(popOf[src - inputs]).compartments()) {
                throw fail("SYNS", "source " + src + " is a joined compartment of '" + pops.get(popOf[src - inputs]).layer()
                        + "', which sends no spikes, but has synapses");
            }
            for (int k = rs[src]; k < rs[src + 1]; k++) {
                int t = s.target()[k];
                if (t < 0 || t >= neurons) throw fail("SYNS", "source " + src + ": target " + t + " is out of range 0.." + (neurons - 1));
                Program.Population pop = pops.get(popOf[t]);
                if (kernelOf[pop.id()] != null) {
                    throw fail("SYNS", "source " + src + " has an explicit synapse onto '" + pop.layer()
                            + "', whose input is a kernel (section KERN)");
                }
                int mant = s.mantissa()[k];
                if (Math.abs(mant) > mantissaMax(pop)) {
                    throw fail("SYNS", "source " + src + ": mantissa " + mant + " into '" + pop.layer() + "' does not fit "
                            + pop.quant().weightBits() + " signed bits");
                }
            }
        }

        for (Program.SynapticLayer l : p.layers()) {
            boolean fromInput = l.sourceInput() >= 0 && l.sourceInput() < p.inputs().size() && l.sourcePopulation() == -1;
            boolean fromPop = l.sourcePopulation() >= 0 && l.sourcePopulation() < pops.size() && l.sourceInput() == -1;
            if (!(fromInput || fromPop) || l.targetPopulation() < 0 || l.targetPopulation() >= pops.size() || l.macs() < 0) {
                throw fail("LAYR", "layer '" + l.name() + "' names a source or target that does not exist");
            }
        }

        Program.Cores c = p.cores();
        int cores = c.count();
        int chips = m.chipsX() * m.chipsY();
        Map<Long, Integer> perTile = new HashMap<>();
        for (int k = 0; k < cores; k++) {
            if (c.chip()[k] < 0 || c.chip()[k] >= chips || c.x()[k] < 0 || c.x()[k] >= m.meshWidth() || c.y()[k] < 0
                    || c.y()[k] >= m.meshHeight()) {
                throw fail("CORE", "core " + k + " at chip " + c.chip()[k] + " (" + c.x()[k] + "," + c.y()[k] + ") is off the "
                        + chips + "-chip board of " + m.meshWidth() + "x" + m.meshHeight() + " tiles");
            }
            long tile = ((long) c.chip()[k] * m.meshHeight() + c.y()[k]) * m.meshWidth() + c.x()[k];
            int n = perTile.merge(tile, 1, Integer::sum);
            if (n > m.coresPerTile()) {
                throw fail("CORE", "tile (" + c.x()[k] + "," + c.y()[k] + ") of chip " + c.chip()[k] + " holds more than "
                        + m.coresPerTile() + " cores");
            }
        }
        if (c.coreOfNeuron().length != neurons) {
            throw fail("CORE", c.coreOfNeuron().length + " neuron placements for " + neurons + " neurons");
        }
        for (int n = 0; n < neurons; n++) {
            if (c.coreOfNeuron()[n] < 0 || c.coreOfNeuron()[n] >= cores) {
                throw fail("CORE", "neuron " + n + " is placed on core " + c.coreOfNeuron()[n] + " of " + cores);
            }
        }

        int[] coreOf = c.coreOfNeuron();
        for (int src = 0; src < s.sources(); src++) {
            for (int k = rs[src] + 1; k < rs[src + 1]; k++) {
                int a = s.target()[k - 1], b = s.target()[k];
                if (coreOf[b] < coreOf[a] || coreOf[b] == coreOf[a] && b <= a) {
                    throw fail("SYNS", "source " + src + ": target " + b + " (core " + coreOf[b] + ") follows target " + a
                            + " (core " + coreOf[a] + "); a row must ascend by core, then by target, without repeats");
                }
            }
        }

        Program.Routes r = p.routes();
        if (r.start().length != cores + 1 || r.start()[0] != 0 || r.start()[cores] != r.dest().length) {
            throw fail("ROUT", "the table must have one row per core (" + cores + ") and cover all " + r.dest().length + " destinations");
        }
        for (int k = 0; k < cores; k++) {
            if (r.start()[k + 1] < r.start()[k]) throw fail("ROUT", "row of core " + k + " ends before it starts");
            int previous = -1;
            for (int i = r.start()[k]; i < r.start()[k + 1]; i++) {
                if (r.dest()[i] <= previous || r.dest()[i] >= cores) {
                    throw fail("ROUT", "core " + k + ": destination " + r.dest()[i] + " is out of range or not ascending");
                }
                previous = r.dest()[i];
            }
        }
        checkRoutesCoverSynapses(p, inputs, neurons);
        return p;
    }

    private static void checkParams(Program.Population pop) throws ProgramFormatException {
        NeuronParams n = pop.params();
        Program.Quantization q = pop.quant();
        String who = "population '" + pop.layer() + "': ";
        if (n.currentBits() < 0 || n.currentBits() > 32) throw fail("POPS", who + "current bits " + n.currentBits() + " outside 0..32");
        if (n.voltageBits() < 2 || n.voltageBits() > 32) throw fail("POPS", who + "voltage bits " + n.voltageBits() + " outside 2..32");
        if (n.decayBits() < 0 || n.decayBits() > 24) throw fail("POPS", who + "decay bits " + n.decayBits() + " outside 0..24");
        if (pop.bias() != null) {
            long max = (1L << (n.voltageBits() - 1)) - 1;
            for (int i = 0; i < pop.bias().length; i++) {
                if (Math.abs((long) pop.bias()[i]) > max) {
                    throw fail("POPS", who + "neuron " + i + "'s bias " + pop.bias()[i] + " exceeds the " + n.voltageBits() + "-bit voltage");
                }
            }
        }
        int unity = 1 << n.decayBits();
        if (n.decayU() < 0 || n.decayU() > unity || n.decayV() < 0 || n.decayV() > unity) {
            throw fail("POPS", who + "decays " + n.decayU() + ", " + n.decayV() + " outside 0.." + unity);
        }
        if (n.leak() == LeakForm.MULTIPLICATIVE && n.decayBits() == 0) throw fail("POPS", who + "a multiplicative leak needs decay bits");
        if (n.linearLeak() < 0) throw fail("POPS", who + "negative linear leak " + n.linearLeak());
        if (n.threshold() < 0 || n.thresholdShift() < 0 || n.thresholdShift() > 31 || n.synapticShift() < 0 || n.synapticShift() > 31) {
            throw fail("POPS", who + "threshold " + n.threshold() + " << " + n.thresholdShift() + " or synaptic shift "
                    + n.synapticShift() + " out of range");
        }
        if (q.weightBits() < 1 || q.weightBits() > 32 || q.weightExponent() < 0 || q.weightExponent() > 31 || q.weightScale() <= 0) {
            throw fail("POPS", who + "weight format " + q.weightBits() + " bits, exponent " + q.weightExponent() + ", scale "
                    + q.weightScale() + " out of range");
        }
        Program.ChannelScales c = pop.channels();
        if (c != null) {
            long voltageMax = (1L << (n.voltageBits() - 1)) - 1;
            for (int ch = 0; ch < c.count(); ch++) {
                if (!(c.scale()[ch] > 0) || c.threshold()[ch] < 0 || ((long) c.threshold()[ch] << n.thresholdShift()) > voltageMax
                        || c.linearLeak()[ch] < 0) {
                    throw fail("POPS", who + "channel " + ch + ": scale " + c.scale()[ch] + ", threshold " + c.threshold()[ch]
                            + " << " + n.thresholdShift() + " or linear leak " + c.linearLeak()[ch] + " out of range");
                }
            }
        }
    }

    private static long mantissaMax(Program.Population pop) {
        return (1L << (pop.quant().weightBits() - 1)) - 1;
    }

    /** A compartment population joins a population of neurons of its size, with the soma's arithmetic. */
    private static void checkJoin(List<Program.Population> pops, Program.Population c) throws ProgramFormatException {
        Program.Population soma = pops.get(c.soma());
        String who = "joined compartments '" + c.layer() + "' of '" + soma.layer() + "': ";
        if (soma.compartments()) throw fail("POPS", who + "join other compartments, not neurons");
        if (soma.size() != c.size()) throw fail("POPS", who + c.size() + " compartments for " + soma.size() + " neurons");
        if (!soma.params().equals(c.params()) || soma.quant().weightExponent() != c.quant().weightExponent()
                || (soma.channels() == null) != (c.channels() == null)) {
            throw fail("POPS", who + "their parameters or weight exponent differ from the soma's, so their sums cannot join");
        }
    }

    /** The KERN rules; returns the kernel of each population (null where it has none). */
    private static Program.Kernel[] checkKernels(Program p, int sources) throws ProgramFormatException {
        List<Program.Population> pops = p.populations();
        Program.Kernel[] of = new Program.Kernel[pops.size()];
        int i = 0;
        for (Program.Kernel k : p.synapses().kernels()) {
            String who = "kernel " + i++ + ": ";
            if (k.population() < 0 || k.population() >= pops.size()) throw fail("KERN", who + "population " + k.population() + " does not exist");
            Program.Population pop = pops.get(k.population());
            who += "into '" + pop.layer() + "': ";
            if (of[pop.id()] != null) throw fail("KERN", who + "the population already has a kernel");
            of[pop.id()] = k;
            if (k.inChannels() < 1 || k.inHeight() < 1 || k.inWidth() < 1 || k.outChannels() < 1 || k.outHeight() < 1
                    || k.outWidth() < 1 || k.strideH() < 1 || k.strideW() < 1 || k.padH() < 0 || k.padW() < 0
                    || k.dilationH() < 1 || k.dilationW() < 1 || k.kernelH() < 1 || k.kernelW() < 1 || k.rowClasses() < 1
                    || k.colClasses() < 1) {
                throw fail("KERN", who + "a size, stride, dilation, kernel or class count is not positive, or a padding is negative");
            }
            if ((long) k.outChannels() * k.outHeight() * k.outWidth() != pop.size()) {
                throw fail("KERN", who + "output " + k.outChannels() + "x" + k.outHeight() + "x" + k.outWidth()
                        + " does not match the population's " + pop.size() + " neurons");
            }
            long block = (long) k.inChannels() * k.inHeight() * k.inWidth();
            if (k.sourceBase() < 0 || k.sourceBase() + block > sources) {
                throw fail("KERN", who + "sources " + k.sourceBase() + ".." + (k.sourceBase() + block - 1) + " exceed the "
                        + sources + " sources");
            }
            int inputs = sources - p.neurons();
            for (Program.Population q : pops) {
                long from = (long) inputs + q.offset();
                if (q.compartments() && k.sourceBase() < from + q.size() && k.sourceBase() + block > from) {
                    throw fail("KERN", who + "reads joined compartments '" + q.layer() + "', which send no spikes");
                }
            }
            if (k.rowClass().length != k.outHeight() || k.colClass().length != k.outWidth()) {
                throw fail("KERN", who + "needs one class per output row and column");
            }
            for (int c : k.rowClass()) if (c < 0 || c >= k.rowClasses()) throw fail("KERN", who + "row class " + c + " out of range");
            for (int c : k.colClass()) if (c < 0 || c >= k.colClasses()) throw fail("KERN", who + "column class " + c + " out of range");
            if (k.entries() != k.mantissa().length) {
                throw fail("KERN", who + k.mantissa().length + " mantissas, but classes x taps x channels are " + k.entries());
            }
            long max = mantissaMax(pop);
            for (short m : k.mantissa()) {
                if (Math.abs(m) > max) throw fail("KERN", who + "mantissa " + m + " does not fit " + pop.quant().weightBits() + " signed bits");
            }
        }
        return of;
    }

    /** Every synapse from a neuron must be reachable: its target's core is a route of its core. */
    private static void checkRoutesCoverSynapses(Program p, int inputs, int neurons) throws ProgramFormatException {
        Program.Cores c = p.cores();
        Program.Routes r = p.routes();
        int cores = c.count();
        int[] coreOf = c.coreOfNeuron();
        // Neurons grouped by core so each core's route row is marked once.
        int[] byCore = ProgramBuilder.byCore(c);
        int[] mark = new int[cores];
        java.util.Arrays.fill(mark, -1);
        TargetCores reach = new TargetCores(p.populations(), p.synapses(), coreOf, cores);
        int[] found = new int[cores];
        int j = 0;
        for (int k = 0; k < cores; k++) {
            for (int i = r.start()[k]; i < r.start()[k + 1]; i++) mark[r.dest()[i]] = k;
            for (; j < neurons && coreOf[byCore[j]] == k; j++) {
                int n = byCore[j];
                int count = reach.of(inputs + n, found);
                for (int f = 0; f < count; f++) {
                    if (mark[found[f]] != k) {
                        throw fail("ROUT", "neuron " + n + " on core " + k + " has a synapse onto core " + found[f]
                                + ", which is not among core " + k + "'s routes");
                    }
                }
            }
        }
    }

    /** {@code [neurons]} the population of every neuron. */
    public static int[] populationOfNeuron(Program p) {
        int[] of = new int[p.neurons()];
        for (Program.Population pop : p.populations()) {
            java.util.Arrays.fill(of, pop.offset(), pop.offset() + pop.size(), pop.id());
        }
        return of;
    }

    private static ProgramFormatException fail(String section, String message) {
        return new ProgramFormatException(section, "section " + section + ": " + message);
    }
}
