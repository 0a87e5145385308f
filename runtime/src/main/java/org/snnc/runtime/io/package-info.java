/** Weights and checkpoints: the safetensors format and the run directory's checkpoint with its sidecar. */
package org.snnc.runtime.io;
