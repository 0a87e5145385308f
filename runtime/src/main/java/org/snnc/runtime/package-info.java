/**
 * Training and evaluation of Spiking IR networks: tensors and kernels, LIF/BNTT/surrogate autograd,
 * back-propagation through time, optimisers, encoders, data sets, metrics and checkpoints.
 */
package org.snnc.runtime;
