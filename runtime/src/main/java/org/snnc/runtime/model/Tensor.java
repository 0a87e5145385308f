package org.snnc.runtime.model;

import java.util.Arrays;

/**
 * A named tensor of a network, stored flat in row-major order.
 *
 * @param name  stable name, also the safetensors name ({@code conv3.weight})
 * @param shape dimensions, PyTorch's layout for the kind of tensor
 * @param data  the values, mutated in place by optimisers and by checkpoint loading
 * @param grad  {@code dL/data} accumulated by backward passes; null for buffers that are not
 *              learned (running statistics)
 */
public record Tensor(String name, int[] shape, float[] data, float[] grad) {

    public Tensor {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != data.length || (grad != null && grad.length != data.length)) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape)
                    + " has " + data.length + " values");
        }
        shape = shape.clone();
    }

    public boolean trainable() {
        return grad != null;
    }

    /** The shape as {@code [16,3,3,3]}. */
    public String shapeString() {
        return Arrays.toString(shape).replace(" ", "");
    }
}
