package org.snnc.compiler.mapping;

import java.util.List;
import org.snnc.compiler.ir.Origin;

/**
 * One synaptic layer feeding a population.
 *
 * @param layerNode  IR id of the conv, tconv, dense or sparse node
 * @param layer      its IR name ({@code conv9})
 * @param origin     its source place, for errors
 * @param source     IR id of the population (or network input) whose spikes it reads
 * @param sourceName that node's name
 * @param fromHost   true when the source is a network input: its spikes come from the host
 * @param geometry   which source neurons each neuron reads
 * @param synapses   connections stored on chip: for a conv with a folded average pool, the distinct
 *                   (source neuron, neuron) pairs, which differ from the IR's count of the conv alone
 * @param folded     IR names folded into this connection (avgpool, flatten, bntt, batchnorm)
 */
public record SynapticInput(int layerNode, String layer, Origin origin, int source, String sourceName, boolean fromHost,
        Geometry geometry, long synapses, List<String> folded) {

    public SynapticInput {
        folded = List.copyOf(folded);
    }
}
