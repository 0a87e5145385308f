package org.snnc.runtime.model;

import java.util.List;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.program.SparseDraw;
import org.snnc.runtime.kernel.Parallel;

/**
 * Random sparse projection: output {@code o} reads {@code fan_in} distinct inputs
 * {@code index[o][j]}, ascending, drawn by {@link SparseDraw} from the layer's seed in the IR, so
 * they are a function of the IR alone, are not stored in checkpoints, and are the same synapses
 * the compiled program holds. Weight {@code [out][fan_in]}.
 */
final class SparseLayer extends Layer {

    private final int in;
    private final int fanIn;
    private final int[] index;
    private final Tensor weight;

    SparseLayer(Node node, List<Layer> inputs, Init init, SplittableRandom random) {
        super(node, inputs);
        Op.SparseProjection p = (Op.SparseProjection) node.op();
        in = input().size;
        fanIn = p.fanIn();
        if (fanIn > in) {
            throw new ModelException(name() + ": fan_in " + fanIn + " exceeds the " + in + " inputs");
        }
        index = indices(p.seed(), in, size, fanIn);
        weight = new Tensor(name() + ".weight", new int[] {size, fanIn}, new float[size * fanIn], new float[size * fanIn]);
        // Each input reaches size * fanIn / in outputs on average: that is its fan-out.
        init.fill(weight.data(), fanIn, Math.max(1, (long) size * fanIn / in), random);
    }

    /** The draw every stage shares ({@link SparseDraw}), so trained weights land on the synapses a program has. */
    static int[] indices(long seed, int in, int out, int fanIn) {
        int[] index = new int[out * fanIn];
        for (int o = 0; o < out; o++) {
            System.arraycopy(SparseDraw.inputs(seed, o, fanIn, in), 0, index, o * fanIn, fanIn);
        }
        return index;
    }

    @Override
    boolean readsInputValues() {
        return true;
    }

    @Override
    void forward(int t, boolean training, Parallel par) {
        float[] x = input().value(t);
        float[] y = value(t);
        float[] w = weight.data();
        par.forRange(n, (from, to, chunk) -> {
            for (int s = from; s < to; s++) {
                int xs = s * in;
                for (int o = 0; o < size; o++) {
                    float acc = 0f;
                    int row = o * fanIn;
                    for (int j = 0; j < fanIn; j++) {
                        acc += w[row + j] * x[xs + index[row + j]];
                    }
                    y[s * size + o] = acc;
                }
            }
        });
    }

    @Override
    void backward(int t, Parallel par) {
        float[] x = input().value(t);
        float[] dw = weight.grad();
        // dW[o][j] += sum_s dy[s][o] x[s][index]: outputs are split across threads, samples summed in order.
        par.forRange(size, (from, to, chunk) -> {
            for (int o = from; o < to; o++) {
                int row = o * fanIn;
                for (int s = 0; s < n; s++) {
                    float g = grad[s * size + o];
                    if (g == 0f) {
                        continue;
                    }
                    int xs = s * in;
                    for (int j = 0; j < fanIn; j++) {
                        dw[row + j] += g * x[xs + index[row + j]];
                    }
                }
            }
        });
        Layer src = input();
        if (src.needsGrad) {
            float[] w = weight.data();
            // Each sample's input gradient is its own slice, so samples may run in parallel.
            par.forRange(n, (from, to, chunk) -> {
                for (int s = from; s < to; s++) {
                    int xs = s * in;
                    for (int o = 0; o < size; o++) {
                        float g = grad[s * size + o];
                        int row = o * fanIn;
                        for (int j = 0; j < fanIn; j++) {
                            src.grad[xs + index[row + j]] += w[row + j] * g;
                        }
                    }
                }
            });
        }
    }

    @Override
    List<Tensor> tensors() {
        return List.of(weight);
    }
}
