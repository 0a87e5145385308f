package org.snnc.runtime.optim;

import java.util.List;
import org.snnc.runtime.model.Tensor;

/**
 * Updates parameters in place from their accumulated gradients. The state is a list of tensors
 * named {@code optimizer.<slot>.<parameter>} so that checkpoints save and restore it unchanged.
 */
public interface Optimizer {

    /** One update of every parameter with learning rate {@code lr}; gradients are read, not cleared. */
    void step(double lr);

    /** Updates done so far (the bias-correction count of Adam). */
    long steps();

    /** Restores the update count (when loading a checkpoint). */
    void setSteps(long steps);

    /** The state tensors, in a stable order; mutable in place. */
    List<Tensor> state();

    /** {@code adam} or {@code sgd}. */
    String kind();
}
