package org.snnc.compiler.mapping;

/**
 * Spike traffic between cores, edges sorted by source then destination, each pair once.
 * {@code weight[e]} is the number of the source core's neurons (or relayed spikes) with targets on
 * the destination core: the packets sent per time step when each of them spikes once, and the
 * source core's fan-out entries toward that destination.
 */
public record CoreGraph(int cores, int[] from, int[] to, int[] weight) {

    public int edges() {
        return from.length;
    }
}
