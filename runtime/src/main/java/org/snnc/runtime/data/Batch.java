package org.snnc.runtime.data;

/**
 * A batch of samples.
 *
 * @param images  {@code [n][C][H][W]}, or {@code [n][T][C][H][W]} event counts from an event set
 *                ({@link Dataset#timesteps()} {@code T > 0})
 * @param labels  {@code [n][H][W]}
 * @param n       samples
 * @param indices each sample's index in its split
 */
public record Batch(float[] images, int[] labels, int n, int[] indices) {
}
