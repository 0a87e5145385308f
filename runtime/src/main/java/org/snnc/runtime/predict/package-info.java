/**
 * Inference on images: reading and resizing PNG/JPEG inputs and palette-indexed label maps,
 * running a trained network, and writing class maps in the Pascal VOC palette, logits and
 * image | prediction | truth triplets (the paper's Figs. 8–9).
 */
package org.snnc.runtime.predict;
