package org.snnc.runtime.train;

import java.util.Map;

/**
 * Scores of a network on a split.
 *
 * @param miou          mean IoU over the classes present in truth or prediction
 * @param pixelAccuracy correct over counted pixels
 * @param perClassIou   IoU per class, NaN for a class absent from both
 * @param spikeRates    spikes per neuron over all T steps per sample, by layer (Eq. 8)
 * @param loss          mean cross-entropy per batch, weighted by batch size
 * @param samples       samples evaluated
 */
public record Evaluation(double miou, double pixelAccuracy, double[] perClassIou, Map<String, Double> spikeRates,
                         double loss, int samples) {
}
