package org.snnc.runtime.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.runtime.kernel.CrossEntropy2d;
import org.snnc.runtime.kernel.Gemm;
import org.snnc.runtime.kernel.Parallel;

/**
 * A Spiking IR network made executable for training and evaluation on its first output.
 *
 * <p>Forward: for each step {@code t = 0 .. T-1}, every per-step layer in topological order (so
 * layers run in order within a step, membranes starting at 0 for every batch); then, once, the
 * readout layers after the {@code accumulate}s. Backward (BPTT, the paper's Eq. 7): the loss
 * gradient goes through the readout layers once, then for {@code t = T-1 .. 0} through the
 * per-step layers in reverse topological order; parameter gradients add up over steps and
 * samples.
 *
 * <p>Only the nodes the first output depends on are built. The network must have one input, and
 * its first output must come after an {@code accumulate} (the loss needs one value per sample,
 * not one per step). Not thread-safe; the {@link Parallel} passed in splits each kernel's work,
 * and results do not depend on its thread count.
 */
public final class Network {

    private final SpikingIr ir;
    private final List<Layer> layers;
    private final List<Layer> perStep;
    private final List<Layer> readouts;
    private final InputLayer input;
    private final Layer output;
    private final List<Tensor> tensors;
    private final List<Tensor> parameters;
    private final Map<String, Tensor> byName;
    private int batch = -1;
    private boolean gradientReady;

    private Network(SpikingIr ir, List<Layer> layers, InputLayer input, Layer output) {
        this.ir = ir;
        this.layers = layers;
        this.input = input;
        this.output = output;
        List<Layer> steps = new ArrayList<>();
        List<Layer> after = new ArrayList<>();
        List<Tensor> all = new ArrayList<>();
        Map<String, Tensor> names = new LinkedHashMap<>();
        for (Layer l : layers) {
            if (!l.readout || l instanceof AccumulateLayer) {
                steps.add(l);
            } else {
                after.add(l);
            }
            for (Tensor t : l.tensors()) {
                all.add(t);
                names.put(t.name(), t);
            }
        }
        perStep = List.copyOf(steps);
        readouts = List.copyOf(after);
        tensors = List.copyOf(all);
        parameters = all.stream().filter(Tensor::trainable).toList();
        byName = Collections.unmodifiableMap(names);
    }

    /**
     * Builds the layers of {@code ir}'s first output with freshly initialised parameters.
     *
     * @throws ModelException if the network cannot be trained as described in the class comment
     */
    /** How long a network waits for the vector kernels before running on the scalar ones. */
    private static final long VECTOR_WARMUP_WAIT_SECONDS = 15;

    public static Network build(SpikingIr ir, ModelOptions options) {
        if (ir.outputs().isEmpty()) {
            throw new ModelException("network " + ir.network() + " has no output");
        }
        // The vector kernels compile first (a second or so, once per JVM): their warm-up makes
        // garbage, and collected before the network's arrays are in the heap it stays cheap;
        // made alongside them, G1 grew the heap past 1 GB (see VectorWarmup).
        Gemm.awaitVectorTiles(VECTOR_WARMUP_WAIT_SECONDS);
        SpikingIr.OutputRef out = ir.outputs().get(0);
        boolean[] used = new boolean[ir.nodes().size()];
        markAncestors(ir, out.node(), used);
        SplittableRandom root = new SplittableRandom(options.seed());
        Layer[] byId = new Layer[ir.nodes().size()];
        List<Layer> layers = new ArrayList<>();
        InputLayer input = null;
        for (Node node : ir.nodes()) {
            if (!used[node.id()]) {
                continue;
            }
            List<Layer> in = new ArrayList<>();
            for (int id : node.inputs()) {
                in.add(byId[id]);
            }
            Layer layer = create(node, in, ir.timesteps(), options.init(), root);
            if (layer instanceof InputLayer i) {
                if (input != null) {
                    throw new ModelException("output '" + out.name() + "' depends on two inputs, '" + input.name()
                            + "' and '" + i.name() + "'; training supports one");
                }
                input = i;
            }
            classify(layer);
            byId[node.id()] = layer;
            layers.add(layer);
        }
        Layer output = byId[out.node()];
        if (!output.readout) {
            throw new ModelException("output '" + out.name() + "' (" + output.name() + ") is computed at every time step;"
                    + " training needs it after an accumulate readout (… -> accumulate)");
        }
        if (input == null) {
            throw new ModelException("output '" + out.name() + "' does not depend on an input");
        }
        for (Layer l : layers) {
            l.consumersRecompute = true;
        }
        for (Layer l : layers) {
            for (Layer i : l.inputs) {
                if (l.readsInputValues() && !(l.readsInputSpikes() && i.binary())) {
                    i.storeValues = true;
                }
                i.consumersRecompute &= l.readsInputThroughBackwardValue();
            }
        }
        return new Network(ir, List.copyOf(layers), input, output);
    }

    private static void markAncestors(SpikingIr ir, int id, boolean[] used) {
        if (used[id]) {
            return;
        }
        used[id] = true;
        for (int i : ir.node(id).inputs()) {
            markAncestors(ir, i, used);
        }
    }

    private static Layer create(Node node, List<Layer> in, int timesteps, Init init, SplittableRandom root) {
        Op op = node.op();
        if (op instanceof Op.Input) {
            return new InputLayer(node);
        } else if (op instanceof Op.Conv) {
            return new ConvLayer(node, in, init, root.split());
        } else if (op instanceof Op.ConvTranspose) {
            return new ConvTransposeLayer(node, in, init, root.split());
        } else if (op instanceof Op.Dense) {
            return new DenseLayer(node, in, init, root.split());
        } else if (op instanceof Op.SparseProjection) {
            return new SparseLayer(node, in, init, root.split());
        } else if (op instanceof Op.AvgPool) {
            return new PoolLayer(node, in);
        } else if (op instanceof Op.Upsample) {
            return new UpsampleLayer(node, in);
        } else if (op instanceof Op.Flatten) {
            return new FlattenLayer(node, in);
        } else if (op instanceof Op.Add) {
            return new AddLayer(node, in);
        } else if (op instanceof Op.Accumulate) {
            return new AccumulateLayer(node, in);
        } else if (op instanceof Op.Bntt) {
            return new BnttLayer(node, in, timesteps);
        } else if (op instanceof Op.BatchNorm) {
            return new BatchNormLayer(node, in);
        } else if (op instanceof Op.Spiking) {
            return new SpikingLayer(node, in);
        }
        throw new ModelException("layer " + node.name() + ": op '" + op.keyword() + "' cannot be trained");
    }

    /** Sets whether the layer runs per step or once after the readout, and whether gradients reach it. */
    private static void classify(Layer l) {
        boolean afterReadout = false;
        boolean grads = false;
        for (Layer i : l.inputs) {
            afterReadout |= i.readout;
            grads |= i.needsGrad;
        }
        for (Tensor t : l.tensors()) {
            grads |= t.trainable();
        }
        l.needsGrad = grads;
        if (l instanceof AccumulateLayer) {
            if (afterReadout) {
                throw new ModelException(l.name() + " accumulates a value that is already accumulated");
            }
            return;
        }
        if (afterReadout && (l instanceof SpikingLayer || l instanceof BnttLayer)) {
            throw new ModelException(l.name() + " (" + l.node.op().keyword() + ") comes after an accumulate readout,"
                    + " where no time steps are left");
        }
        if (afterReadout && l.inputs.stream().anyMatch(i -> !i.readout)) {
            throw new ModelException(l.name() + " mixes per-step values with accumulated ones");
        }
        l.readout = afterReadout;
    }

    public SpikingIr ir() {
        return ir;
    }

    public int timesteps() {
        return ir.timesteps();
    }

    public String inputName() {
        return input.name();
    }

    public Shape inputShape() {
        return input.shape;
    }

    public String outputName() {
        return ir.outputs().get(0).name();
    }

    /** Per-sample shape of the trained output, {@code [classes, H, W]}. */
    public Shape outputShape() {
        return output.shape;
    }

    /** The layers in topological order (for tests in this package). */
    List<Layer> layers() {
        return layers;
    }

    /** Every tensor, parameters and running statistics, in topological then declaration order. */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The learnable tensors (those with a gradient). */
    public List<Tensor> parameters() {
        return parameters;
    }

    /** The tensor of that name, or null. */
    public Tensor tensor(String name) {
        return byName.get(name);
    }

    public void zeroGrad() {
        for (Tensor t : parameters) {
            Arrays.fill(t.grad(), 0f);
        }
    }

    private void ensureBatch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + n);
        }
        if (n != batch) {
            for (Layer l : layers) {
                l.allocate(n, timesteps());
            }
            batch = n;
        }
    }

    /**
     * Runs all time steps on a batch.
     *
     * @param inputs      {@code [n][C][H][W]} values of the input (pixels in [0, 1] for the
     *                    spike encodings)
     * @param encodingKey seed of the input encoding for this batch (see {@link Encoder})
     * @param training    batch statistics in normalisation layers (and running averages
     *                    updated), and a following {@link #backward} allowed; else running
     *                    statistics
     * @return the output {@code [n][classes][H][W]}; valid until the next forward
     */
    public float[] forward(float[] inputs, int n, long encodingKey, boolean training, Parallel par) {
        ensureBatch(n);
        Profile.pass();
        input.set(inputs, encodingKey);
        for (Layer l : layers) {
            l.begin();
        }
        for (int t = 0; t < timesteps(); t++) {
            for (Layer l : perStep) {
                long t0 = Profile.start();
                l.forward(t, training, par);
                Profile.add(l.profileName(), "forward", t0);
            }
        }
        for (Layer l : readouts) {
            l.forward(0, training, par);
        }
        gradientReady = training;
        return output.value(0);
    }

    /**
     * After a training {@link #forward}: the mean per-pixel cross-entropy of the output against
     * {@code labels} ({@code [n][H][W]}, or {@code [n]} for a flat output; 255 is ignored), with
     * its gradient added into every parameter's {@link Tensor#grad()}.
     */
    public double backward(int[] labels, Parallel par) {
        if (!gradientReady) {
            throw new IllegalStateException("backward needs a training forward pass first");
        }
        gradientReady = false;
        for (Layer l : layers) {
            if (l.readout) {
                Arrays.fill(l.grad, 0f);
            }
        }
        double loss = CrossEntropy2d.lossAndGradient(output.value(0), labels, batch, output.shape.channels(),
                output.shape.height(), output.shape.width(), output.grad, par);
        for (int i = readouts.size() - 1; i >= 0; i--) {
            Layer l = readouts.get(i);
            if (l.needsGrad) {
                l.backward(0, par);
            }
        }
        for (int t = timesteps() - 1; t >= 0; t--) {
            for (Layer l : perStep) {
                if (l.gradPerStep()) {
                    Arrays.fill(l.grad, 0f);
                }
            }
            for (int i = perStep.size() - 1; i >= 0; i--) {
                Layer l = perStep.get(i);
                if (l.needsGrad) {
                    long t0 = Profile.start();
                    l.backward(t, par);
                    Profile.add(l.profileName(), "backward", t0);
                }
            }
        }
        return loss;
    }

    /** The cross-entropy of the last forward's output against {@code labels}, without gradients. */
    public double loss(int[] labels, Parallel par) {
        return CrossEntropy2d.lossAndGradient(output.value(0), labels, batch, output.shape.channels(),
                output.shape.height(), output.shape.width(), null, par);
    }

    /** The layers whose output is spikes (spike-encoded input first, then spiking layers), by name. */
    public List<String> spikingLayers() {
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            if (l.binary()) {
                names.add(l.name());
            }
        }
        return names;
    }

    /** Neurons per sample of each of {@link #spikingLayers()}. */
    public long[] spikingLayerNeurons() {
        return layers.stream().filter(Layer::binary).mapToLong(l -> l.size).toArray();
    }

    /**
     * Spikes of each of {@link #spikingLayers()} in the last forward pass, summed over all steps
     * and samples (a -1 of signed input counts as one spike).
     */
    public long[] spikeCounts() {
        return layers.stream().filter(Layer::binary).mapToLong(l -> {
            long count = 0;
            for (int t = 0; t < timesteps(); t++) {
                for (byte b : l.spikes(t)) {
                    count += Math.abs(b);
                }
            }
            return count;
        }).toArray();
    }
}
