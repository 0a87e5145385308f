package org.snnc.compiler.mapping;

import java.util.Arrays;

/**
 * One spatial axis of a synaptic layer: for every output position, the sorted distinct source
 * positions it reads. Rows and columns of a convolution are independent, so a 2-D receptive field
 * is the product of two of these and every count over a tile rectangle is a product of two axis
 * counts: work grows with the axis lengths, never with the neurons of a layer.
 *
 * <p>Stored in compressed rows: the sources of output {@code o} are
 * {@code src[start[o] .. start[o+1])}.
 */
public final class AxisMap {

    private final int inLength;
    private final int[] start;
    private final int[] src;

    private AxisMap(int inLength, int[] start, int[] src) {
        this.inLength = inLength;
        this.start = start;
        this.src = src;
    }

    /** Convolution: output {@code o} reads {@code o*s - p + t*d} for taps t inside {@code [0, in)}. */
    public static AxisMap conv(int in, int out, int kernel, int stride, int padding, int dilation) {
        return build(in, out, (o, sink) -> {
            for (int t = 0; t < kernel; t++) sink.add((long) o * stride - padding + (long) t * dilation);
        });
    }

    /**
     * An average pool folded into the convolution after it, so that only binary spikes travel on
     * chip: the conv reads pooled position {@code q = o*s - p + t*d} (when inside {@code [0, pooled)}),
     * and the pool reads source positions {@code q*ps - pp + u}. The source neurons under all those
     * windows become the conv's input axons, each once.
     */
    public static AxisMap pooledConv(int in, int pooled, int out, int kernel, int stride, int padding, int dilation,
            int poolKernel, int poolStride, int poolPadding) {
        return build(in, out, (o, sink) -> {
            for (int t = 0; t < kernel; t++) {
                long q = (long) o * stride - padding + (long) t * dilation;
                if (q < 0 || q >= pooled) continue;
                for (int u = 0; u < poolKernel; u++) sink.add(q * poolStride - poolPadding + u);
            }
        });
    }

    /** Transposed convolution: input {@code i} writes outputs {@code i*s - p + t*d}; inverted per output. */
    public static AxisMap transposed(int in, int out, int kernel, int stride, int padding, int dilation) {
        return build(in, out, (o, sink) -> {
            for (int t = 0; t < kernel; t++) {
                long num = (long) o + padding - (long) t * dilation;
                if (Math.floorMod(num, stride) == 0) sink.add(Math.floorDiv(num, stride));
            }
        });
    }

    /** A flat axis of length one reading source position 0 (the H and W axes of a flat layer). */
    public static AxisMap unit() {
        return new AxisMap(1, new int[] {0, 1}, new int[] {0});
    }

    private interface Generator {
        void emit(int out, Sink sink);
    }

    /** Collects one output's candidate source positions, dropping those outside the input. */
    private static final class Sink {
        final int in;
        int[] buf = new int[16];
        int n;

        Sink(int in) {
            this.in = in;
        }

        void add(long pos) {
            if (pos < 0 || pos >= in) return;
            if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
            buf[n++] = (int) pos;
        }
    }

    private static AxisMap build(int in, int out, Generator g) {
        int[] start = new int[out + 1];
        int[] src = new int[Math.max(16, out * 4)];
        int size = 0;
        Sink sink = new Sink(in);
        for (int o = 0; o < out; o++) {
            sink.n = 0;
            g.emit(o, sink);
            Arrays.sort(sink.buf, 0, sink.n);
            for (int i = 0; i < sink.n; i++) {
                if (i > 0 && sink.buf[i] == sink.buf[i - 1]) continue;
                if (size == src.length) src = Arrays.copyOf(src, size * 2);
                src[size++] = sink.buf[i];
            }
            start[o + 1] = size;
        }
        return new AxisMap(in, start, Arrays.copyOf(src, size));
    }

    public int outLength() {
        return start.length - 1;
    }

    public int inLength() {
        return inLength;
    }

    /** (output, source) pairs with the output in {@code [o0, o1)}: synapses along this axis. */
    public long pairs(int o0, int o1) {
        return start[o1] - start[o0];
    }

    /** Distinct source positions read by outputs {@code [o0, o1)}: input axons along this axis (halo included). */
    public int distinct(int o0, int o1) {
        boolean[] seen = new boolean[inLength];
        int n = 0;
        for (int i = start[o0]; i < start[o1]; i++) {
            if (!seen[src[i]]) {
                seen[src[i]] = true;
                n++;
            }
        }
        return n;
    }

    /** Marks (sets true) every source position read by outputs {@code [o0, o1)}. */
    public void mark(int o0, int o1, boolean[] into) {
        for (int i = start[o0]; i < start[o1]; i++) into[src[i]] = true;
    }

    /** The largest number of sources any single output reads. */
    public int maxSourcesPerOutput() {
        int m = 0;
        for (int o = 0; o < outLength(); o++) m = Math.max(m, start[o + 1] - start[o]);
        return m;
    }
}
