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
import org.snnc.runtime.autograd.BatchNorm2d;
import org.snnc.runtime.autograd.BatchNormSpec;
import org.snnc.runtime.kernel.Parallel;

/**
 * One time step of BNTT as a training step runs it: the training-mode batch norm of a conv
 * output (batch statistics, scale without shift, eps 1e-4) forward, and its backward. Default
 * shape: 16 channels at 64x64, batch 4 (the first layers of paper-small).
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar BatchNormBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
// The runtime's vector products, as the launcher runs them.
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchNormBenchmark {

    @Param("1")
    public int threads;

    @Param("16")
    public int channels;

    @Param("64")
    public int size;

    private static final int N = 4;

    private Parallel par;
    private BatchNorm2d bn;
    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private BatchNorm2d.Saved saved;

    @Setup(Level.Trial)
    public void setup() {
        par = new Parallel(threads);
        bn = new BatchNorm2d(new BatchNormSpec(channels, 1e-4f, 0.1f, true, false));
        SplittableRandom rnd = new SplittableRandom(11);
        x = new float[N * channels * size * size];
        dy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
            dy[i] = (float) rnd.nextGaussian();
        }
        y = new float[x.length];
        dx = new float[x.length];
        saved = bn.forwardTrain(x, N, size, size, y, par);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public float[] forwardTrain() {
        bn.forwardTrain(x, N, size, size, y, par);
        return y;
    }

    @Benchmark
    public float[] backwardTrain() {
        bn.backwardTrain(x, saved, dy, N, size, size, dx, par);
        return dx;
    }
}
