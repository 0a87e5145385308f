package org.snnc.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;

/**
 * The whole front end on an example, warm: read with imports, parse, check, elaborate. What a
 * long-running tool (an IDE, a sweep) pays per compile; the cold-JVM cost is measured by timing
 * {@code ./snnc compile} itself.
 *
 * <p>Run from the repository root: {@code mvn -q -pl bench -am package -DskipTests &&
 * java -jar bench/target/benchmarks.jar FrontendBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrontendBenchmark {

    @Param({"examples/deeplab.snn", "examples/fcn.snn"})
    public String file;

    @Benchmark
    public SpikingIr compile() {
        Diagnostics diagnostics = new Diagnostics();
        return Frontend.compile(Path.of(file), file, Map.of(), diagnostics)
                .orElseThrow(() -> new IllegalStateException(file + " did not compile"));
    }
}
