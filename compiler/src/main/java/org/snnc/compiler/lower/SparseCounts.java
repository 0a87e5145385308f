package org.snnc.compiler.lower;

import java.util.Arrays;
import org.snnc.compiler.program.IntList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.mapping.Geometry;
import org.snnc.compiler.mapping.Tiling;

/**
 * Exact counts of sparse (random) projections for the mapping passes: distinct input axons per
 * core, destination cores per source neuron, core-to-core edge weights.
 *
 * <p>The draws are {@code SparseDraw}'s (the one definition every stage shares), replayed here
 * without its per-neuron allocation and sort: the same {@link SplittableRandom} stream and Floyd
 * steps give the same set of inputs per neuron, in draw order, into one flat array per layer.
 * Counts need sets, not order; only a split of the inputs into shares (joined or relayed) needs
 * them ascending, and sorts a copy.
 *
 * <p>Layers with equal draw parameters (seed, neurons, fan-in, inputs) have equal connectivity,
 * and equal tilings of them equal counts: both are memoised (bounded), so a network that repeats
 * one sparse layer draws and counts it once. Everything else is one pass over the layer's draws
 * with a stamp array, linear in its synapses.
 */
final class SparseCounts {

    private SparseCounts() {
    }

    /** What fixes a layer's draws. */
    private record DrawKey(long seed, int outputs, int fanIn, int inputs, boolean sorted) {
    }

    /** A layer's draws and a tiling of its neurons into cores. */
    private record TileKey(DrawKey draw, int c, int h, int w, int tc, int th, int tw, int join) {
    }

    private record EdgeKey(TileKey consumer, int c, int h, int w, Tiling source) {
    }

    /** Draw arrays kept, in ints: a few layers of the largest networks (1.5 M ints for 4,883 x 300). */
    private static final long DRAW_BUDGET = 16L << 20;
    private static final int COUNT_ENTRIES = 256;

    private static final Map<DrawKey, int[]> DRAWS = new LinkedHashMap<>(16, 0.75f, true);
    private static long drawInts;
    /** A tiling's distinct inputs per core, and the largest, which the tile search asks for again and again. */
    private record Distinct(int[] perCore, int max) {
    }

    private static final Map<TileKey, Distinct> DISTINCT = lru();
    private static final Map<TileKey, int[]> DESTS = lru();
    private static final Map<EdgeKey, int[]> EDGES = lru();

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> e) {
                return size() > COUNT_ENTRIES;
            }
        };
    }

    /**
     * The inputs of every neuron, {@code [o * fanIn, (o+1) * fanIn)} for neuron {@code o}: the set
     * {@code SparseDraw.inputs(seed, o, fanIn, inputs)} returns, in draw order, or ascending when
     * {@code sorted}.
     */
    static synchronized int[] draws(Geometry.Random r, int outputs, boolean sorted) {
        DrawKey key = new DrawKey(r.seed(), outputs, r.fanIn(), r.inputs(), sorted);
        int[] d = DRAWS.get(key);
        if (d != null) return d;
        if (sorted) {
            d = draws(r, outputs, false).clone();
            for (int o = 0; o < outputs; o++) Arrays.sort(d, o * r.fanIn(), (o + 1) * r.fanIn());
        } else {
            d = draw(r.seed(), outputs, r.fanIn(), r.inputs());
        }
        DRAWS.put(key, d);
        drawInts += d.length;
        var it = DRAWS.entrySet().iterator();
        while (drawInts > DRAW_BUDGET && DRAWS.size() > 1) {
            var e = it.next();
            if (e.getKey().equals(key)) continue;
            drawInts -= e.getValue().length;
            it.remove();
        }
        return d;
    }

    /** SparseDraw's Floyd steps for every neuron; a stamp per input replaces its BitSet. */
    static int[] draw(long seed, int outputs, int fanIn, int inputs) {
        int[] out = new int[Math.multiplyExact(outputs, fanIn)];
        int[] taken = new int[inputs];
        int n = 0;
        for (int o = 0; o < outputs; o++) {
            SplittableRandom random = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + o);
            int mark = o + 1;
            for (int j = inputs - fanIn; j < inputs; j++) {
                int t = random.nextInt(j + 1);
                int pick = taken[t] == mark ? j : t;
                taken[pick] = mark;
                out[n++] = pick;
            }
        }
        return out;
    }

    private static TileKey key(Geometry.Random r, Shape q, int tc, int th, int tw, int join) {
        return new TileKey(new DrawKey(r.seed(), Math.toIntExact(q.size()), r.fanIn(), r.inputs(), join > 1),
                q.channels(), q.height(), q.width(), tc, th, tw, join);
    }

    /**
     * Distinct inputs of every (tile, share) of a {@code tc x th x tw} tiling of the neurons of
     * shape {@code q} into {@code join} shares: index {@code tileIndex * join + share}, tiles in the
     * order row tile, column tile, channel group.
     */
    static int[] distinct(Geometry.Random r, Shape q, int tc, int th, int tw, int join) {
        return counted(r, q, tc, th, tw, join).perCore();
    }

    private static synchronized Distinct counted(Geometry.Random r, Shape q, int tc, int th, int tw, int join) {
        TileKey key = key(r, q, tc, th, tw, join);
        Distinct cached = DISTINCT.get(key);
        if (cached != null) return cached;
        int[] d = draws(r, Math.toIntExact(q.size()), join > 1);
        int[] stamp = new int[r.inputs()];
        int[] out = new int[tiles(q, tc, th, tw) * join];
        int[] mark = {0};
        forEachCore(q, tc, th, tw, join, r.fanIn(), (core, o, from, to) -> {
            if (o < 0) {
                mark[0] = core + 1;
                return;
            }
            int n = 0;
            for (int i = o * r.fanIn() + from; i < o * r.fanIn() + to; i++) {
                if (stamp[d[i]] != mark[0]) {
                    stamp[d[i]] = mark[0];
                    n++;
                }
            }
            out[core] += n;
        });
        int max = 0;
        for (int v : out) max = Math.max(max, v);
        Distinct counted = new Distinct(out, max);
        DISTINCT.put(key, counted);
        return counted;
    }

    /** The largest count of {@link #distinct}. */
    static int maxDistinct(Geometry.Random r, Shape q, int tc, int th, int tw, int join) {
        return counted(r, q, tc, th, tw, join).max();
    }

    /**
     * For every source neuron (flat index), the consumer cores holding a share that reads it: the
     * destinations its spikes need. Cores are (tile, share) as in {@link #distinct}.
     */
    static synchronized int[] dests(Geometry.Random r, Shape q, Tiling t) {
        TileKey key = key(r, q, t.tileC(), t.tileH(), t.tileW(), t.join());
        int[] cached = DESTS.get(key);
        if (cached != null) return cached;
        int[] d = draws(r, Math.toIntExact(q.size()), t.join() > 1);
        int[] stamp = new int[r.inputs()];
        int[] out = new int[r.inputs()];
        int[] mark = {0};
        forEachCore(q, t.tileC(), t.tileH(), t.tileW(), t.join(), r.fanIn(), (core, o, from, to) -> {
            if (o < 0) {
                mark[0] = core + 1;
                return;
            }
            for (int i = o * r.fanIn() + from; i < o * r.fanIn() + to; i++) {
                if (stamp[d[i]] != mark[0]) {
                    stamp[d[i]] = mark[0];
                    out[d[i]]++;
                }
            }
        });
        DESTS.put(key, out);
        return out;
    }

    /**
     * Core-to-core edges of a sparse input: triples (source core, consumer core, source neurons
     * with targets on that consumer core), the source core relative to its population's first
     * core, the consumer core as (tile, share) in {@link #distinct}'s order. Source neurons live
     * in the somas of the source tiling {@code tp} of shape {@code p}.
     */
    static synchronized int[] edges(Geometry.Random r, Shape q, Tiling t, Shape p, Tiling tp) {
        EdgeKey key = new EdgeKey(key(r, q, t.tileC(), t.tileH(), t.tileW(), t.join()), p.channels(), p.height(),
                p.width(), tp);
        int[] cached = EDGES.get(key);
        if (cached != null) return cached;
        int sourceCores = (int) tp.cores();
        int[] sourceCore = new int[r.inputs()];
        for (int ch = 0; ch < p.channels(); ch++) {
            for (int y = 0; y < p.height(); y++) {
                for (int x = 0; x < p.width(); x++) {
                    int g = ch / tp.tileC();
                    int soma = tp.somaOf(Tiling.tileStart(p.channels(), tp.tileC(), g),
                            Tiling.tileEnd(p.channels(), tp.tileC(), g), ch);
                    sourceCore[(ch * p.height() + y) * p.width() + x] =
                            Connect.index(tp, y / tp.tileH(), x / tp.tileW(), g, soma);
                }
            }
        }
        int[] d = draws(r, Math.toIntExact(q.size()), t.join() > 1);
        int[] stamp = new int[r.inputs()];
        int[] count = new int[sourceCores];
        int[] touched = new int[sourceCores];
        int[] nTouched = {0};
        int[] current = {-1};
        IntList out = new IntList();
        Runnable flush = () -> {
            Arrays.sort(touched, 0, nTouched[0]);
            for (int i = 0; i < nTouched[0]; i++) {
                int a = touched[i];
                out.add(a);
                out.add(current[0]);
                out.add(count[a]);
                count[a] = 0;
            }
            nTouched[0] = 0;
        };
        forEachCore(q, t.tileC(), t.tileH(), t.tileW(), t.join(), r.fanIn(), (core, o, from, to) -> {
            if (o < 0) {
                if (current[0] >= 0) flush.run();
                current[0] = core;
                return;
            }
            for (int i = o * r.fanIn() + from; i < o * r.fanIn() + to; i++) {
                int s = d[i];
                if (stamp[s] != core + 1) {
                    stamp[s] = core + 1;
                    int a = sourceCore[s];
                    if (count[a]++ == 0) touched[nTouched[0]++] = a;
                }
            }
        });
        if (current[0] >= 0) flush.run();
        int[] e = out.toArray();
        EDGES.put(key, e);
        return e;
    }

    /** Receives each core once ({@code o} = -1), then each of its neurons with its share's draw range. */
    private interface Visitor {
        void visit(int core, int o, int from, int to);
    }

    private static int tiles(Shape q, int tc, int th, int tw) {
        return Partition.ceilDiv(q.channels(), tc) * Partition.ceilDiv(q.height(), th) * Partition.ceilDiv(q.width(), tw);
    }

    /** Cores in tile order, share fastest; neurons of a core in flat order ({@code (c*H + y)*W + x}). */
    private static void forEachCore(Shape q, int tc, int th, int tw, int join, int fanIn, Visitor v) {
        int c = q.channels();
        int h = q.height();
        int w = q.width();
        int rows = Partition.ceilDiv(h, th);
        int cols = Partition.ceilDiv(w, tw);
        int groups = Partition.ceilDiv(c, tc);
        int core = 0;
        for (int rt = 0; rt < rows; rt++) {
            for (int kt = 0; kt < cols; kt++) {
                for (int g = 0; g < groups; g++) {
                    for (int j = 0; j < join; j++) {
                        int from = (int) Tiling.sliceStart(fanIn, join, j);
                        int to = (int) Tiling.sliceStart(fanIn, join, j + 1);
                        v.visit(core, -1, 0, 0);
                        for (int ch = Tiling.tileStart(c, tc, g); ch < Tiling.tileEnd(c, tc, g); ch++) {
                            for (int y = Tiling.tileStart(h, th, rt); y < Tiling.tileEnd(h, th, rt); y++) {
                                for (int x = Tiling.tileStart(w, tw, kt); x < Tiling.tileEnd(w, tw, kt); x++) {
                                    v.visit(core, (ch * h + y) * w + x, from, to);
                                }
                            }
                        }
                        core++;
                    }
                }
            }
        }
    }
}
