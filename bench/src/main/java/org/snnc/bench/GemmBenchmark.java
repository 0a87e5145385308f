package org.snnc.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.snnc.runtime.kernel.Gemm;

/**
 * The matrix product inside the dense conv forward of {@link ConvBenchmark} for one sample:
 * {@code [64 x 576] x [576 x 1024]} (C_out x C_in*3*3 times the im2col matrix of a 32x32 map).
 * Our blocked GEMM against EJML's {@code CommonOps_FDRM.mult}; this decided which the runtime uses.
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar GemmBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
// The runtime's vector products, as the launcher runs them.
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBenchmark {

    private static final int M = 64;
    private static final int K = 576;
    private static final int N = 1024;

    private float[] a;
    private float[] b;
    private float[] c;
    private FMatrixRMaj ma;
    private FMatrixRMaj mb;
    private FMatrixRMaj mc;

    @Setup
    public void setup() {
        // Measure the products as they run once C2 has compiled the vector tiles.
        Gemm.awaitVectorTiles(60);
        SplittableRandom rnd = new SplittableRandom(3);
        a = new float[M * K];
        b = new float[K * N];
        c = new float[M * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextDouble() < 0.15 ? 1f : 0f;
        }
        ma = FMatrixRMaj.wrap(M, K, a);
        mb = FMatrixRMaj.wrap(K, N, b);
        mc = new FMatrixRMaj(M, N);
    }

    @Benchmark
    public float[] blocked() {
        java.util.Arrays.fill(c, 0f);
        Gemm.multiplyAdd(0, M, N, K, a, 0, K, b, 0, N, c, 0, N);
        return c;
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        CommonOps_FDRM.mult(ma, mb, mc);
        return mc;
    }
}
