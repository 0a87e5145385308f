package org.snnc.compiler.mapping;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The mapping as text for people and as the {@code mapping} JSON object (DESIGN.md §9). */
public final class MappingReport {

    private MappingReport() {
    }

    /**
     * Fills {@code o} with {@code target}, {@code cores_used}, {@code cores[]} {id, layer, neurons,
     * input_axons, synapse_bits, fanout} (the contract), and chips_used, board_chips, layers[],
     * utilisation, hops_per_spike, host_ops, approximations, warnings.
     */
    public static void toJson(Mapping m, ObjectNode o) {
        o.put("target", m.target());
        o.put("cores_used", m.coresUsed());
        o.put("chips_used", m.chipsUsed());
        o.put("board_chips", m.boardChips());
        o.put("synapses", m.synapses());
        o.put("routes", m.routes());
        o.put("hops_per_spike", round(m.hopsPerSpike()));
        o.put("hops_per_packet", round(m.hopsPerPacket()));
        o.put("chip_crossings_per_spike", round(m.chipCrossingsPerSpike()));
        ObjectNode u = o.putObject("utilisation");
        range(u.putObject("neurons"), m.utilisation().neurons());
        range(u.putObject("input_axons"), m.utilisation().inputAxons());
        range(u.putObject("synapse_bits"), m.utilisation().synapseBits());
        range(u.putObject("fanout_entries"), m.utilisation().fanoutEntries());
        ArrayNode layers = o.putArray("layers");
        for (Mapping.Layer l : m.layers()) {
            ObjectNode j = layers.addObject();
            j.put("name", l.name());
            ArrayNode in = j.putArray("inputs");
            l.inputs().forEach(in::add);
            j.put("neurons", l.neurons());
            j.put("synapses", l.synapses());
            j.put("cores", l.cores());
            ArrayNode tile = j.putArray("tile");
            for (int d : l.tile()) tile.add(d);
            j.put("join", l.join());
            j.put("split", l.split());
            j.put("compartment_cores", l.compartmentCores());
            j.put("relay_cores", l.relayCores());
            j.put("relay_neurons", l.relayNeurons());
            j.put("splitter_cores", l.splitterCores());
            j.put("splitter_neurons", l.splitterNeurons());
        }
        ArrayNode cores = o.putArray("cores");
        for (Mapping.Core c : m.cores()) {
            ObjectNode j = cores.addObject();
            j.put("id", c.id());
            j.put("layer", c.layer());
            j.put("role", c.role().keyword());
            j.put("chip", c.chip());
            j.put("x", c.x());
            j.put("y", c.y());
            j.put("core_in_tile", c.coreInTile());
            j.put("neurons", c.neurons());
            j.put("input_axons", c.inputAxons());
            j.put("synapses", c.synapses());
            j.put("synapse_bits", c.synapseBits());
            j.put("fanout", c.fanout());
            j.put("fanout_entries", c.fanoutEntries());
            ArrayNode d = j.putArray("routes");
            for (int t : c.destinations()) d.add(t);
        }
        ArrayNode host = o.putArray("host_ops");
        for (HostOp h : m.hostOps()) host.addObject().put("node", h.node()).put("op", h.op()).put("why", h.why());
        ArrayNode ap = o.putArray("approximations");
        m.approximations().forEach(ap::add);
        ArrayNode w = o.putArray("warnings");
        m.warnings().forEach(w::add);
    }

    private static void range(ObjectNode o, Mapping.Range r) {
        o.put("min", round(r.min()));
        o.put("mean", round(r.mean()));
        o.put("max", round(r.max()));
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    /** The human report: totals, one line per layer, utilisation, host-side ops, approximations. */
    public static String text(Mapping m) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("mapping of %s onto %s: %,d cores on %d chips (board of %d)%n", m.network(), m.target(),
                m.coresUsed(), m.chipsUsed(), m.boardChips()));
        for (String w : m.warnings()) b.append("warning: ").append(w).append('\n');
        b.append('\n');
        String row = "%-14s %-22s %12s %8s %-16s %6s %8s %8s %9s%n";
        b.append(String.format(row, "layer", "inputs", "neurons", "cores", "tile [C,H,W]", "shares", "c-cores", "relays",
                "splitters"));
        for (Mapping.Layer l : m.layers()) {
            b.append(String.format(row, l.name(), String.join("+", l.inputs()), String.format("%,d", l.neurons()),
                    String.format("%,d", l.cores()), "[" + l.tile()[0] + "," + l.tile()[1] + "," + l.tile()[2] + "]",
                    l.join(),
                    String.format("%,d", l.compartmentCores()), String.format("%,d", l.relayCores()),
                    String.format("%,d", l.splitterCores())));
        }
        b.append('\n').append("utilisation per core     min     mean      max\n");
        util(b, "neurons", m.utilisation().neurons());
        util(b, "input axons", m.utilisation().inputAxons());
        util(b, "synapse bits", m.utilisation().synapseBits());
        util(b, "fan-out entries", m.utilisation().fanoutEntries());
        b.append(String.format("%nsynapses on chip %,d; core-to-core routes %,d; hops per spike %.2f (%.2f per packet),"
                + " chip crossings per spike %.3f%n", m.synapses(), m.routes(), m.hopsPerSpike(), m.hopsPerPacket(),
                m.chipCrossingsPerSpike()));
        if (!m.hostOps().isEmpty()) {
            b.append("\nhost-side:\n");
            for (HostOp h : m.hostOps()) b.append("  ").append(h.node()).append(" (").append(h.op()).append("): ").append(h.why()).append('\n');
        }
        if (!m.approximations().isEmpty()) {
            b.append("\napproximations:\n");
            for (String a : m.approximations()) b.append("  - ").append(a).append('\n');
        }
        return b.toString();
    }

    private static void util(StringBuilder b, String name, Mapping.Range r) {
        b.append(String.format("  %-20s %6.1f%% %7.1f%% %7.1f%%%n", name, 100 * r.min(), 100 * r.mean(), 100 * r.max()));
    }
}
