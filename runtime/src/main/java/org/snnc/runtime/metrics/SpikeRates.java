package org.snnc.runtime.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spike rates as the paper's Eq. 8 (and the released code's counter): a layer's spikes summed
 * over all T steps, divided by the layer's neurons, averaged over samples; so a rate lies in
 * {@code [0, T]}, not in {@code [0, 1]}.
 */
public final class SpikeRates {

    private final List<String> layers;
    private final long[] neurons;
    private final long[] spikes;
    private long samples;

    /**
     * @param layers  layer names
     * @param neurons neurons per sample of each layer
     */
    public SpikeRates(List<String> layers, long[] neurons) {
        if (layers.size() != neurons.length) {
            throw new IllegalArgumentException(layers.size() + " layers but " + neurons.length + " neuron counts");
        }
        this.layers = List.copyOf(layers);
        this.neurons = neurons.clone();
        spikes = new long[neurons.length];
    }

    /** Adds one batch of {@code n} samples: {@code counts[l]} spikes of layer l over all steps and samples. */
    public void add(long[] counts, int n) {
        if (counts.length != spikes.length) {
            throw new IllegalArgumentException(counts.length + " counts for " + spikes.length + " layers");
        }
        for (int l = 0; l < counts.length; l++) {
            spikes[l] += counts[l];
        }
        samples += n;
    }

    /** Layer name to rate, in layer order; NaN before any sample. */
    public Map<String, Double> rates() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int l = 0; l < spikes.length; l++) {
            map.put(layers.get(l), samples == 0 ? Double.NaN : (double) spikes[l] / neurons[l] / samples);
        }
        return map;
    }
}
