/**
 * Executable networks built from the Spiking IR: one layer object per node holding its parameters
 * in PyTorch layouts, a forward pass over a batch for all time steps and back-propagation through
 * time, encoders for the input encodings, and parameter initialisation.
 *
 * <p>Tensor names (the safetensors names of checkpoints) are {@code <node>.<tensor>}, the node
 * being the IR name: {@code conv3.weight} {@code [C_out][C_in][kH][kW]}, {@code conv3.bias},
 * {@code tconv1.weight} {@code [C_in][C_out][kH][kW]}, {@code dense2.weight} {@code [out][in]},
 * {@code sparse1.weight} {@code [out][fan_in]}, {@code batchnorm1.weight|bias|running_mean|running_var},
 * and for BNTT one tensor per time step: {@code bntt3.weight.t07}, {@code bntt3.bias.t07} (with
 * {@code shift: true}), {@code bntt3.running_mean.t07}, {@code bntt3.running_var.t07}.
 */
package org.snnc.runtime.model;
