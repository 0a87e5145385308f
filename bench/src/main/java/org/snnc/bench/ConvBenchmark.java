package org.snnc.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.snnc.runtime.kernel.Conv2d;
import org.snnc.runtime.kernel.Conv2dSpec;
import org.snnc.runtime.kernel.Gemm;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.kernel.SpikeConv2d;
import org.snnc.runtime.kernel.TapMajor;

/**
 * A hidden Spiking-DeepLab layer: conv 3x3, {@code channels -> channels}, {@code size x size},
 * padding 1, batch 4, with spike inputs at the given density (defaults 64 channels at 32x32; the
 * deep layers of deeplab-table1 at width 0.25 are {@code -p channels=256 -p size=8} for the bench
 * configuration and {@code -p size=16} for paper-small, which fire at 20-25%). Dense im2col + GEMM
 * against the event-driven gather, for the forward pass and for the weight gradient, plus the
 * (always dense) input gradient; the {@code *TapMajor} / {@code *Transposed} variants are what a
 * training step runs at every time step (weights transposed once per pass).
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar ConvBenchmark -f 1 -wi 3 -i 5}
 * (add {@code -p threads=1,2 -p density=0.05,0.15,0.25 -p channels=64,256 -p size=32,8} to sweep).
 */
@State(Scope.Benchmark)
// The runtime's vector products, as the launcher runs them.
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBenchmark {

    @Param("0.15")
    public double density;

    @Param("1")
    public int threads;

    @Param("64")
    public int channels;

    @Param("32")
    public int size;

    private static final int N = 4;
    private int C;
    private int H;
    private Conv2dSpec spec;

    private Parallel par;
    private byte[] spikes;
    private float[] spikesAsFloat;
    private float[] weight;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private float[] dWeight;
    private float[][] taps;
    private float[][] dWeightTaps;
    private float[] weightT;

    @Setup(Level.Trial)
    public void setup() {
        // Measure the products as they run once C2 has compiled the vector tiles.
        Gemm.awaitVectorTiles(60);
        C = channels;
        H = size;
        spec = Conv2dSpec.of(C, C, 3, 1, 1, 1, false);
        par = new Parallel(threads);
        SplittableRandom rnd = new SplittableRandom(42);
        spikes = new byte[N * C * H * H];
        spikesAsFloat = new float[spikes.length];
        for (int i = 0; i < spikes.length; i++) {
            spikes[i] = rnd.nextDouble() < density ? (byte) 1 : 0;
            spikesAsFloat[i] = spikes[i];
        }
        weight = new float[spec.weightSize()];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) rnd.nextGaussian() * 0.05f;
        }
        y = new float[N * C * H * H];
        dy = new float[y.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) rnd.nextGaussian();
        }
        dx = new float[spikes.length];
        dWeight = new float[weight.length];
        int k = weight.length / C;
        taps = TapMajor.allocate(C, k);
        TapMajor.fromWeights(weight, C, k, taps, par);
        dWeightTaps = TapMajor.allocate(C, k);
        weightT = new float[weight.length];
        Conv2d.transposeWeight(weight, C, k, weightT, par);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public float[] forwardDense() {
        Conv2d.forward(spec, spikesAsFloat, N, H, H, weight, null, y, par);
        return y;
    }

    @Benchmark
    public float[] forwardSpikes() {
        SpikeConv2d.forward(spec, spikes, N, H, H, weight, null, y, par);
        return y;
    }

    @Benchmark
    public float[] weightGradientDense() {
        Conv2d.backwardWeight(spec, spikesAsFloat, dy, N, H, H, dWeight, par);
        return dWeight;
    }

    @Benchmark
    public float[] weightGradientSpikes() {
        SpikeConv2d.backwardWeight(spec, spikes, dy, N, H, H, dWeight, par);
        return dWeight;
    }

    @Benchmark
    public float[] inputGradient() {
        Conv2d.backwardInput(spec, dy, N, H, H, weight, dx, par);
        return dx;
    }

    // What a training step runs per time step: the layer keeps its weights (and gradient)
    // tap-major / transposed for the whole pass, so these leave out the per-call transposes.

    @Benchmark
    public float[] forwardSpikesTapMajor() {
        SpikeConv2d.forwardTapMajor(spec, spikes, N, H, H, taps, null, y, par);
        return y;
    }

    @Benchmark
    public float[][] weightGradientSpikesTapMajor() {
        SpikeConv2d.backwardWeightTapMajor(spec, spikes, dy, N, H, H, dWeightTaps, par);
        return dWeightTaps;
    }

    @Benchmark
    public float[] inputGradientTransposed() {
        Conv2d.backwardInputTransposed(spec, dy, N, H, H, weightT, dx, par);
        return dx;
    }
}
