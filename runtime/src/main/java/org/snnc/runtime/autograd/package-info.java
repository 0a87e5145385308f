/**
 * Layers that keep state across the time steps of a sequence for back-propagation through time:
 * LIF/IF neurons with surrogate gradients, batch normalisation (and BNTT, one per step), and the
 * non-spiking accumulate readout. Stateless tensor kernels live in
 * {@link org.snnc.runtime.kernel}.
 */
package org.snnc.runtime.autograd;
