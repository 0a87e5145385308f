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
import org.snnc.runtime.autograd.LifNeurons;
import org.snnc.runtime.autograd.LifSpec;
import org.snnc.runtime.kernel.Parallel;

/**
 * LIF neurons of one 64-channel 32x32 layer at batch 4 (262,144 neurons) over T = 20 steps: the
 * whole forward sequence, and forward plus the reverse BPTT recurrence, with the released code's
 * neuron (leak 0.99, soft reset detached, triangle surrogate 0.3).
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar LifBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
// The runtime's vector products, as the launcher runs them.
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LifBenchmark {

    @Param("1")
    public int threads;

    private static final int SIZE = 4 * 64 * 32 * 32;
    private static final int T = 20;

    private Parallel par;
    private LifNeurons lif;
    private float[][] currents;
    private float[] gradSpikes;
    private float[] gradCurrent;
    private byte[] spikes;

    @Setup(Level.Trial)
    public void setup() {
        par = new Parallel(threads);
        lif = new LifNeurons(LifSpec.released(), SIZE, T);
        SplittableRandom rnd = new SplittableRandom(7);
        currents = new float[T][SIZE];
        for (float[] step : currents) {
            for (int i = 0; i < SIZE; i++) {
                // mean 0.15, sd 0.5: roughly 10-20% of the neurons fire per step
                step[i] = (float) (0.15 + 0.5 * rnd.nextGaussian());
            }
        }
        gradSpikes = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            gradSpikes[i] = (float) rnd.nextGaussian();
        }
        gradCurrent = new float[SIZE];
        spikes = new byte[SIZE];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public byte[] forwardSequence() {
        lif.begin();
        for (int t = 0; t < T; t++) {
            lif.forward(t, currents[t], spikes, par);
        }
        return spikes;
    }

    @Benchmark
    public float[] forwardAndBackwardSequence() {
        forwardSequence();
        for (int t = T - 1; t >= 0; t--) {
            lif.backward(t, gradSpikes, gradCurrent, par);
        }
        return gradCurrent;
    }
}
