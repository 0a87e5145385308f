package org.snnc.runtime.data;

/**
 * A batch of samples.
 *
 * @param images  {@code [n][C][H][W]}
 * @param labels  {@code [n][H][W]}
 * @param n       samples
 * @param indices each sample's index in its split
 */
public record Batch(float[] images, int[] labels, int n, int[] indices) {
}
