package org.snnc.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.target.Quantity;
import org.snnc.compiler.target.Target;

/**
 * A run's report: per layer and per core counts, totals, latency and both energies, as text for
 * people and as the JSON object of DESIGN.md §9 ({@code timesteps}, {@code layers[]},
 * {@code totals}, {@code energy} {paper, hardware} in pJ, plus more keys).
 */
public record SimReport(Program program, Target target, Costs costs, String engine, long inputSeed, double inputRate,
        SimResult result, Energy.Paper paper, Energy.Hardware hardware, List<String> notes) {

    public static SimReport of(Program p, Target t, Costs costs, String engine, long inputSeed, double inputRate, SimResult r,
            boolean firstLayerMac, List<String> notes) {
        return new SimReport(p, t, costs, engine, inputSeed, inputRate, r, Energy.paper(p, r, firstLayerMac),
                Energy.hardware(p, r, costs, t), List.copyOf(notes));
    }

    /** Spike rate of a population by the paper's Eq. 8: spikes over the run per neuron (0..steps). */
    public double spikeRate(int population) {
        return (double) result.popSpikes()[population] / program.populations().get(population).size();
    }

    /** The JSON object of DESIGN.md §9 for {@code sim}, with per-core counters and every constant's source. */
    public ObjectNode toJson(ObjectMapper m) {
        SimResult r = result;
        ObjectNode root = m.createObjectNode();
        root.put("network", program.header().network());
        root.put("target", target.name());
        root.put("engine", engine);
        root.put("timesteps", r.steps());
        root.put("interrupted", r.interrupted());
        root.put("seed", inputSeed);
        root.put("weights_seed", program.header().seed());
        root.put("input_rate", inputRate);
        ArrayNode inputs = root.putArray("inputs");
        for (int g = 0; g < program.inputs().size(); g++) {
            Program.InputGroup ig = program.inputs().get(g);
            inputs.addObject().put("name", ig.name()).put("channels", ig.count()).put("spikes", r.inputSpikes()[g])
                    .put("spike_rate", (double) r.inputSpikes()[g] / ig.count());
        }
        ArrayNode layers = root.putArray("layers");
        for (Program.Population pop : program.populations()) {
            int i = pop.id();
            ObjectNode l = layers.addObject();
            l.put("name", pop.layer());
            l.put("spikes", r.popSpikes()[i]);
            l.put("synaptic_ops", r.popSynOps()[i]);
            l.put("neuron_updates", r.popUpdates()[i]);
            l.put("neurons", pop.size());
            l.put("spike_rate", spikeRate(i));
            l.put("firing_fraction", r.steps() == 0 ? 0 : spikeRate(i) / r.steps());
            l.put("integrator", pop.params().integrator());
            if (pop.compartments()) l.put("joins", program.populations().get(pop.soma()).layer());
            if (pop.relays()) l.put("relays_for", program.populations().get(pop.soma()).layer());
            l.put("weight_scale", pop.quant().weightScale());
            if (pop.channels() != null) {
                ArrayNode cs = l.putArray("channel_scale");
                for (double v : pop.channels().scale()) cs.add(v);
                ArrayNode ct = l.putArray("channel_threshold");
                for (int v : pop.channels().threshold()) ct.add(v);
            }
            l.put("weight_exponent", pop.quant().weightExponent());
            l.put("threshold", pop.params().threshold());
            l.put("leak", pop.quant().leak());
            l.put("effective_leak", pop.quant().effectiveLeak());
        }
        ObjectNode totals = root.putObject("totals");
        totals.put("spikes", r.totalSpikes());
        totals.put("input_spikes", r.totalInputSpikes());
        totals.put("synaptic_ops", r.totalSynOps());
        totals.put("neuron_updates", r.totalUpdates());
        totals.put("hops", r.totalHops());
        totals.put("hops_within_tile", r.hopsWithinTile());
        totals.put("hops_east_west", r.hopsEastWest());
        totals.put("hops_north_south", r.hopsNorthSouth());
        totals.put("hops_inter_chip", r.hopsInterChip());
        totals.put("cycles", r.totalTicks());
        totals.put("cycle_ns", costs.tickNs());
        totals.put("cycle_unit", costs.clocked() ? "clock cycle" : "picosecond (the target has no clock)");
        totals.put("time_ns", hardware.timeNs());
        totals.put("cores", program.cores().count());
        totals.put("chips", hardware.chipsUsed());
        ObjectNode energy = root.putObject("energy");
        energy.put("paper", paper.snnPj());
        energy.put("hardware", hardware.totalPj());
        ObjectNode pj = energy.putObject("paper_detail");
        pj.put("snn", paper.snnPj());
        pj.put("ann", paper.annPj());
        pj.put("ann_over_snn", paper.ratio());
        pj.put("first_layer", paper.firstLayerMac() ? "mac" : "ac");
        putConstant(pj.putObject("e_mac"), paper.eMac());
        putConstant(pj.putObject("e_ac"), paper.eAc());
        ArrayNode pl = pj.putArray("layers");
        for (Energy.PaperLayer l : paper.layers()) {
            pl.addObject().put("name", l.name()).put("flops", l.flops()).put("input_spike_rate", l.rate())
                    .put("charged_as", l.mac() ? "mac" : "ac").put("ann", l.annPj()).put("snn", l.snnPj());
        }
        ObjectNode hw = energy.putObject("hardware_detail");
        hw.put("synaptic_ops", hardware.synapticOpsPj());
        hw.put("neuron_updates", hardware.neuronUpdatesPj());
        hw.put("spikes", hardware.spikesPj());
        hw.put("hops_within_tile", hardware.hopsWithinTilePj());
        hw.put("hops_east_west", hardware.hopsEastWestPj());
        hw.put("hops_north_south", hardware.hopsNorthSouthPj());
        hw.put("hops_inter_chip", hardware.hopsInterChipPj());
        hw.put("static", hardware.staticPj());
        ObjectNode constants = hw.putObject("constants");
        var e = target.energy();
        putConstant(constants.putObject("synaptic_op"), e.synapticOp());
        putConstant(constants.putObject("neuron_update"), e.neuronUpdate());
        putConstant(constants.putObject("spike_out"), e.spikeOut());
        putConstant(constants.putObject("hop_within_tile"), e.hopWithinTile());
        putConstant(constants.putObject("hop_east_west"), e.hopEastWest());
        putConstant(constants.putObject("hop_north_south"), e.hopNorthSouth());
        putConstant(constants.putObject("inter_chip_hop"), target.board().interChipHopEnergy());
        putConstant(constants.putObject("static_power"), e.staticPower());
        ArrayNode cores = root.putArray("cores");
        SimResult.CoreCounters c = r.core();
        for (int k = 0; k < program.cores().count(); k++) {
            cores.addObject().put("id", k).put("chip", program.cores().chip()[k]).put("x", program.cores().x()[k])
                    .put("y", program.cores().y()[k]).put("spikes", c.spikes()[k]).put("synaptic_ops", c.synOps()[k])
                    .put("neuron_updates", c.updates()[k]).put("cycles", c.busyTicks()[k]).put("packets", c.packets()[k])
                    .put("hops_within_tile", c.hopsWithinTile()[k]).put("hops_east_west", c.hopsEastWest()[k])
                    .put("hops_north_south", c.hopsNorthSouth()[k]).put("hops_inter_chip", c.hopsInterChip()[k]);
        }
        ArrayNode host = root.putArray("host_layers");
        for (Program.HostLayer h : program.host()) host.addObject().put("name", h.name()).put("op", h.op()).put("reason", h.reason());
        ArrayNode n = root.putArray("notes");
        for (String s : notes) n.add(s);
        return root;
    }

    private static void putConstant(ObjectNode o, Quantity q) {
        o.put("value", q.value()).put("unit", q.unit()).put("source", q.source());
    }

    public String toText() {
        SimResult r = result;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s on %s, %s engine, %d steps%s, input rate %s (seed %d), weights seed %d%n",
                program.header().network(), target.name(), engine, r.steps(), r.interrupted() ? " (interrupted)" : "",
                inputRate, inputSeed, program.header().seed()));
        b.append(String.format(Locale.ROOT, "%d neurons on %d cores of %d chip(s); %,d synapses%n%n", program.neurons(),
                program.cores().count(), hardware.chipsUsed(), program.synapses().count()));
        String row = "%-22s %10s %14s %16s %16s %9s %10s%n";
        b.append(String.format(Locale.ROOT, row, "layer", "neurons", "spikes", "synaptic ops", "neuron updates", "rate", "firing %"));
        for (int g = 0; g < program.inputs().size(); g++) {
            Program.InputGroup ig = program.inputs().get(g);
            double rate = (double) r.inputSpikes()[g] / ig.count();
            b.append(String.format(Locale.ROOT, row, ig.name() + " (input)", count(ig.count()), count(r.inputSpikes()[g]), "-", "-",
                    String.format(Locale.ROOT, "%.3f", rate), percent(rate, r.steps())));
        }
        for (Program.Population pop : program.populations()) {
            int i = pop.id();
            boolean joined = pop.compartments();
            b.append(String.format(Locale.ROOT, row, pop.layer() + (joined ? " (joined)" : pop.relays() ? " (relays)"
                    : pop.params().integrator() ? " (readout)" : ""),
                    count(pop.size()), count(r.popSpikes()[i]), count(r.popSynOps()[i]), count(r.popUpdates()[i]),
                    joined ? "-" : String.format(Locale.ROOT, "%.3f", spikeRate(i)), joined ? "-" : percent(spikeRate(i), r.steps())));
        }
        b.append(String.format(Locale.ROOT, row, "total", count(program.neurons()), count(r.totalSpikes()), count(r.totalSynOps()),
                count(r.totalUpdates()), "", ""));
        b.append(String.format(Locale.ROOT, "%nquantization (%d-bit weight mantissas)%n", program.populations().isEmpty() ? 0
                : program.populations().get(0).quant().weightBits()));
        String q = "%-22s %16s %9s %16s %10s %12s%n";
        b.append(String.format(Locale.ROOT, q, "layer", "w scale", "exponent", "threshold", "leak", "effective"));
        for (Program.Population pop : program.populations()) {
            if (pop.compartments()) continue;
            Program.Quantization z = pop.quant();
            String scale = String.format(Locale.ROOT, "%.4g", z.weightScale());
            String threshold = pop.params().threshold() + "<<" + pop.params().thresholdShift();
            Program.ChannelScales c = pop.channels();
            if (c != null) {
                double top = Arrays.stream(c.scale()).max().orElse(0);
                int low = Arrays.stream(c.threshold()).min().orElse(0), high = Arrays.stream(c.threshold()).max().orElse(0);
                scale = String.format(Locale.ROOT, "%.4g..%.4g", z.weightScale(), top);
                threshold = low + ".." + high + "<<" + pop.params().thresholdShift();
            }
            b.append(String.format(Locale.ROOT, q, pop.layer(), scale, z.weightExponent(), pop.params().integrator() ? "-" : threshold,
                    String.format(Locale.ROOT, "%.4g", z.leak()), String.format(Locale.ROOT, "%.6g", z.effectiveLeak())));
        }
        b.append(String.format(Locale.ROOT, "%nhops: %,d (within tile %,d, east-west %,d, north-south %,d, inter-chip %,d)%n",
                r.totalHops(), r.hopsWithinTile(), r.hopsEastWest(), r.hopsNorthSouth(), r.hopsInterChip()));
        b.append(String.format(Locale.ROOT, "latency: %,d %s = %.3f us (%.3f us per step)%n", r.totalTicks(),
                costs.clocked() ? "cycles" : "ps", hardware.timeNs() / 1e3, r.steps() == 0 ? 0 : hardware.timeNs() / 1e3 / r.steps()));
        b.append(String.format(Locale.ROOT, "%nenergy              pJ          source%n"));
        String e = "%-18s %14s  %s%n";
        var em = target.energy();
        b.append(String.format(Locale.ROOT, e, "synaptic ops", pj(hardware.synapticOpsPj()), em.synapticOp().value() + " pJ: " + em.synapticOp().source()));
        b.append(String.format(Locale.ROOT, e, "neuron updates", pj(hardware.neuronUpdatesPj()), em.neuronUpdate().value() + " pJ: " + em.neuronUpdate().source()));
        b.append(String.format(Locale.ROOT, e, "spikes out", pj(hardware.spikesPj()), em.spikeOut().value() + " pJ: " + em.spikeOut().source()));
        b.append(String.format(Locale.ROOT, e, "hops within tile", pj(hardware.hopsWithinTilePj()), em.hopWithinTile().value() + " pJ: " + em.hopWithinTile().source()));
        b.append(String.format(Locale.ROOT, e, "hops east-west", pj(hardware.hopsEastWestPj()), em.hopEastWest().value() + " pJ: " + em.hopEastWest().source()));
        b.append(String.format(Locale.ROOT, e, "hops north-south", pj(hardware.hopsNorthSouthPj()), em.hopNorthSouth().value() + " pJ: " + em.hopNorthSouth().source()));
        b.append(String.format(Locale.ROOT, e, "hops inter-chip", pj(hardware.hopsInterChipPj()),
                target.board().interChipHopEnergy().value() + " pJ: " + target.board().interChipHopEnergy().source()));
        b.append(String.format(Locale.ROOT, e, "static", pj(hardware.staticPj()), em.staticPower().value() + " mW per chip: " + em.staticPower().source()));
        b.append(String.format(Locale.ROOT, e, "hardware total", pj(hardware.totalPj()), "target " + target.name() + ", event model"));
        b.append(String.format(Locale.ROOT, e, "paper E_SNN", pj(paper.snnPj()), "Eq. 9-12, FLOPs x spike rate x E_AC " + paper.eAc().value()
                + " pJ" + (paper.firstLayerMac() ? "; first layer as MACs" : "; first layer as ACs") + " (" + paper.eAc().source() + ")"));
        b.append(String.format(Locale.ROOT, e, "paper E_ANN", pj(paper.annPj()), "FLOPs x E_MAC " + paper.eMac().value() + " pJ ("
                + paper.eMac().source() + "); E_ANN/E_SNN = " + String.format(Locale.ROOT, "%.3f", paper.ratio())));
        if (!program.host().isEmpty()) {
            b.append("\nhost-side layers (not simulated):\n");
            for (Program.HostLayer h : program.host()) b.append("  ").append(h.name()).append(" (").append(h.op()).append("): ").append(h.reason()).append('\n');
        }
        if (!notes.isEmpty()) {
            b.append("\nnotes:\n");
            for (String s : notes) b.append("  ").append(s).append('\n');
        }
        return b.toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pj(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String percent(double rate, int steps) {
        return steps == 0 ? "-" : String.format(Locale.ROOT, "%.2f", 100 * rate / steps);
    }
}
