package org.snnc.compiler.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The elaborated network: a DAG of nodes in topological order with inferred shapes, resolved
 * parameters and per-layer counts. Immutable; every later stage reads it and none re-parses source.
 *
 * @param network    the network's name
 * @param params     every parameter's final value (defaults with command-line overrides applied)
 * @param timesteps  simulation steps per sample
 * @param nodes      the layers, {@code nodes.get(i).id() == i}
 * @param outputs    named outputs in declaration order
 * @param sources    the files read (the main file first, then imports), with their content hashes
 */
public record SpikingIr(String network, Map<String, Object> params, int timesteps, List<Node> nodes,
        List<OutputRef> outputs, List<SourceRef> sources) {

    public SpikingIr {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        nodes = List.copyOf(nodes);
        outputs = List.copyOf(outputs);
        sources = List.copyOf(sources);
    }

    public record OutputRef(String name, int node) {
    }

    /** A file that went into the network and the SHA-256 of its bytes. */
    public record SourceRef(String path, String sha256) {
    }

    public Node node(int id) {
        return nodes.get(id);
    }

    public Totals totals() {
        long neurons = 0;
        long synapses = 0;
        long macs = 0;
        for (Node n : nodes) {
            neurons += n.neurons();
            synapses += n.synapses();
            macs += n.macs();
        }
        return new Totals(neurons, synapses, macs);
    }

    public record Totals(long neurons, long synapses, long macs) {
    }
}
