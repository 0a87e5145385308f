package org.snnc.compiler.lower;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.mapping.CoreGraph;
import org.snnc.compiler.mapping.CoreTile;
import org.snnc.compiler.mapping.Geometry;
import org.snnc.compiler.mapping.MapCode;
import org.snnc.compiler.mapping.MappingError;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.mapping.Partitioned;
import org.snnc.compiler.mapping.Population;
import org.snnc.compiler.mapping.Role;
import org.snnc.compiler.mapping.SynapticInput;
import org.snnc.compiler.mapping.Tiling;
import org.snnc.compiler.mapping.Wired;
import org.snnc.compiler.target.CoreLimits;

/**
 * Pass {@code connect}: which cores send spikes to which, and how many neurons each time.
 *
 * <p>Before: partitioned cores. After: the core graph, each core's fan-out entries and distinct
 * destinations, within {@code max_output_axons}; where a neuron may target one core only
 * ({@code fan_out_one}), splitter cores. Edge weights are exact: for conv, tconv and dense inputs
 * overlaps of tile boxes with receptive fields, per axis; for sparse inputs counted on the draws
 * ({@link SparseCounts}). Relay and compartment cores send one packet per relay neuron or
 * compartment to their soma's core.
 *
 * <p>Splitters: a core whose neurons reach more than one core relays all its spikes through
 * splitter cores: each neuron with {@code d} destinations feeds one axon of a splitter core
 * holding {@code d} splitter neurons, one per destination (one level; a neuron with more
 * destinations than a splitter core holds is an error). The splitter counts are exact; the
 * traffic from a core's splitters is its own traffic shared between them in proportion to their
 * neurons (an estimate for placement).
 */
public final class Connect {

    private Connect() {
    }

    public static Wired run(Partitioned part) {
        List<CoreTile> cores = part.cores();
        long[] neurons = new long[cores.size()];
        for (CoreTile c : cores) neurons[c.id()] = c.neurons();
        SparseEdges sparse = new SparseEdges();
        CoreGraph direct = build(cores.size(), neurons, sink -> {
            emit(part, sparse, sink);
            sparse.replay();
        });
        CoreLimits lim = part.target().core();
        if (lim.fanOutOne().value()) return split(part, direct);
        long[] entries = new long[cores.size()];
        int[] fanout = new int[cores.size()];
        for (int e = 0; e < direct.edges(); e++) {
            entries[direct.from()[e]] += direct.weight()[e];
            fanout[direct.from()[e]]++;
        }
        return new Wired(part, cores, direct, entries, fanout);
    }

    /** Every edge between the partitioned cores, before splitters, a source-destination pair possibly more than once. */
    private static void emit(Partitioned part, SparseEdges sparse, EdgeSink edges) {
        List<Population> pops = part.graph().populations();
        List<CoreTile> cores = part.cores();
        for (int q = 0; q < pops.size(); q++) {
            Population pop = pops.get(q);
            Tiling tq = part.tilings().get(q);
            for (SynapticInput in : pop.inputs()) {
                if (in.fromHost()) continue;
                int p = part.graph().indexOfNode(in.source());
                connect(part, p, q, in, tq, sparse, edges);
            }
            // Extra compartments send their partial sums to the soma of the same tile; relay cores
            // send a positive and a negative relay spike train per neuron to its soma core.
            if (tq.join() > 1) {
                for (int i = part.firstCore()[q]; i < part.firstCore()[q] + tq.cores(); i++) {
                    CoreTile c = cores.get(i);
                    if (c.role() == Role.COMPARTMENTS) edges.add(c.id(), c.id() - c.slice(), c.neurons());
                    if (c.role() == Role.RELAY) {
                        int base = c.id() - c.slice();
                        for (int k = 0; k < tq.somas(); k++) edges.add(c.id(), base + k, 2 * cores.get(base + k).neurons());
                    }
                }
            }
        }
    }

    /**
     * The sparse inputs' edges: counted on the draws while the edges are first emitted, then
     * replayed in the same order when they are emitted again to be stored.
     */
    private static final class SparseEdges {
        private final List<int[]> kept = new ArrayList<>();
        private int replayed = -1;

        int[] of(Geometry.Random r, Shape qs, Tiling tq, Shape ss, Tiling tp) {
            if (replayed >= 0) return kept.get(replayed++);
            int[] e = SparseCounts.edges(r, qs, tq, ss, tp);
            kept.add(e);
            return e;
        }

        void replay() {
            replayed = 0;
        }
    }

    private static void connect(Partitioned part, int p, int q, SynapticInput in, Tiling tq, SparseEdges sparse,
            EdgeSink edges) {
        Tiling tp = part.tilings().get(p);
        Population src = part.graph().populations().get(p);
        Shape ss = src.shape();
        int fp = part.firstCore()[p];
        int fq = part.firstCore()[q];
        List<CoreTile> cores = part.cores();
        int cq = part.graph().populations().get(q).shape().channels();
        if (in.geometry() instanceof Geometry.Spatial s) {
            int[][] rowOv = overlap(s.rows(), tq.tileH(), tq.rowTiles(), tp.tileH(), tp.rowTiles());
            int[][] colOv = overlap(s.cols(), tq.tileW(), tq.colTiles(), tp.tileW(), tp.colTiles());
            for (int rb = 0; rb < tq.rowTiles(); rb++) {
                for (int kb = 0; kb < tq.colTiles(); kb++) {
                    for (int gb = 0; gb < tq.channelGroups(); gb++) {
                        for (int j = 0; j < tq.join(); j++) {
                            int b = fq + index(tq, rb, kb, gb, tq.sliceOf(j));
                            long s0 = Tiling.sliceStart(s.inChannels(), tq.join(), j);
                            long s1 = Tiling.sliceStart(s.inChannels(), tq.join(), j + 1);
                            if (s1 <= s0) continue;
                            for (int ra = 0; ra < tp.rowTiles(); ra++) {
                                if (rowOv[rb][ra] == 0) continue;
                                for (int ka = 0; ka < tp.colTiles(); ka++) {
                                    if (colOv[kb][ka] == 0) continue;
                                    for (int ga = (int) (s0 / tp.tileC()); ga <= (s1 - 1) / tp.tileC(); ga++) {
                                        int g0 = Tiling.tileStart(ss.channels(), tp.tileC(), ga);
                                        int g1 = Tiling.tileEnd(ss.channels(), tp.tileC(), ga);
                                        // The source group's channels, cut over its soma cores when relayed.
                                        for (int k = 0; k < (tp.relay() ? tp.somas() : 1); k++) {
                                            long k0 = tp.relay() ? g0 + tp.somaStart(g1 - g0, k) : g0;
                                            long k1 = tp.relay() ? g0 + tp.somaStart(g1 - g0, k + 1) : g1;
                                            long c0 = Math.max(s0, k0);
                                            long c1 = Math.min(s1, k1);
                                            if (c1 <= c0) continue;
                                            edges.add(fp + index(tp, ra, ka, ga, k), b, (c1 - c0) * rowOv[rb][ra] * colOv[kb][ka]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } else if (in.geometry() instanceof Geometry.Full f) {
            for (int i = 0; i < tq.cores(); i++) {
                CoreTile b = cores.get(fq + i);
                int share = tq.share(b.slice());
                if (share < 0) continue;
                long s0 = Tiling.sliceStart(f.inputs(), tq.join(), share);
                long s1 = Tiling.sliceStart(f.inputs(), tq.join(), share + 1);
                for (int a = fp; a < fp + tp.cores(); a++) {
                    CoreTile ca = cores.get(a);
                    if (ca.role() != Role.NEURONS) continue;
                    long w = boxBelow(ca, ss, s1) - boxBelow(ca, ss, s0);
                    if (w > 0) edges.add(a, b.id(), w);
                }
            }
        } else {
            // Exact: the consumer cores' draws, each source neuron counted once per consumer core.
            Geometry.Random r = (Geometry.Random) in.geometry();
            Shape qs = part.graph().populations().get(q).shape();
            int[] e = sparse.of(r, qs, tq, ss, tp);
            int join = tq.join();
            if (join == 1 && tq.perTile() == 1) {
                // One core per tile (the usual case): the consumer core is the tile, no division per edge.
                for (int i = 0; i < e.length; i += 3) edges.add(fp + e[i], fq + e[i + 1], e[i + 2]);
            } else {
                for (int i = 0; i < e.length; i += 3) {
                    int tile = e[i + 1] / join;
                    int share = e[i + 1] % join;
                    edges.add(fp + e[i], fq + tile * tq.perTile() + tq.sliceOf(share), e[i + 2]);
                }
            }
        }
    }

    /** Core index within a population for (row tile, column tile, channel group, slice). */
    static int index(Tiling t, int r, int k, int g, int slice) {
        return ((r * t.colTiles() + k) * t.channelGroups() + g) * t.perTile() + slice;
    }

    /**
     * {@code ov[b][a]}: source positions of source tile {@code a} read by consumer tile {@code b},
     * along one axis.
     */
    static int[][] overlap(org.snnc.compiler.mapping.AxisMap m, int qTile, int qTiles, int pTile, int pTiles) {
        int[][] ov = new int[qTiles][pTiles];
        boolean[] mark = new boolean[m.inLength()];
        for (int b = 0; b < qTiles; b++) {
            Arrays.fill(mark, false);
            m.mark(Tiling.tileStart(m.outLength(), qTile, b), Tiling.tileEnd(m.outLength(), qTile, b), mark);
            for (int y = 0; y < mark.length; y++) if (mark[y]) ov[b][Math.min(pTiles - 1, y / pTile)]++;
        }
        return ov;
    }

    /** Neurons of the core's box whose flat index {@code c*H*W + y*W + x} is below {@code n}. */
    static long boxBelow(CoreTile t, Shape s, long n) {
        long hw = (long) s.height() * s.width();
        long c = n / hw;
        long rem = n % hw;
        long y = rem / s.width();
        long x = rem % s.width();
        long rows = t.y1() - t.y0();
        long cols = t.x1() - t.x0();
        long fullCh = clamp(c, t.c0(), t.c1()) - t.c0();
        long count = fullCh * rows * cols;
        if (c >= t.c0() && c < t.c1()) {
            count += (clamp(y, t.y0(), t.y1()) - t.y0()) * cols;
            if (y >= t.y0() && y < t.y1()) count += clamp(x, t.x0(), t.x1()) - t.x0();
        }
        return count;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Adds splitter cores after each population's cores and reroutes multi-destination cores through them. */
    private static Wired split(Partitioned part, CoreGraph direct) {
        CoreLimits lim = part.target().core();
        long k = Math.min(lim.maxNeurons().value(), lim.maxOutputAxons().value());
        long axonsMax = lim.maxInputAxons().value();
        int bps = Partitioned.bitsPerSynapse(part.target());
        long bitsMax = lim.synapseMemoryBits().value();
        List<Population> pops = part.graph().populations();
        List<CoreTile> cores = part.cores();
        // Destination models per producer population, rebuilt from the consumers' tilings.
        List<List<Partition.Dest>> dests = new ArrayList<>();
        for (int p = 0; p < pops.size(); p++) dests.add(new ArrayList<>());
        for (int q = 0; q < pops.size(); q++) {
            for (SynapticInput in : pops.get(q).inputs()) {
                if (in.fromHost()) continue;
                int src = part.graph().indexOfNode(in.source());
                dests.get(src).add(Partition.dest(pops.get(q), in, part.tilings().get(q), pops.get(src).shape()));
            }
        }
        int[] outStart = new int[cores.size() + 1];
        for (int e = 0; e < direct.edges(); e++) outStart[direct.from()[e] + 1]++;
        for (int i = 0; i < cores.size(); i++) outStart[i + 1] += outStart[i];
        List<CoreTile> all = new ArrayList<>();
        int[] newId = new int[cores.size()];
        List<MappingError> errors = new ArrayList<>();
        // Splitter cores are numbered after their population's cores, so placement keeps them near.
        List<long[]> pending = new ArrayList<>();
        for (int p = 0; p < pops.size(); p++) {
            int first = part.firstCore()[p];
            int count = (int) part.tilings().get(p).cores();
            for (int i = first; i < first + count; i++) {
                newId[i] = all.size();
                all.add(cores.get(i));
            }
            for (int i = first; i < first + count; i++) {
                CoreTile a = cores.get(i);
                int degree = outStart[i + 1] - outStart[i];
                if (degree <= 1 || a.role() != Role.NEURONS) continue;
                long total = 0;
                for (int e = outStart[i]; e < outStart[i + 1]; e++) total += direct.weight()[e];
                // Pack neurons one by one, position by position; a neuron with d destinations
                // takes one splitter axon and d splitter neurons.
                long sNeurons = 0;
                long sAxons = 0;
                List<long[]> mine = new ArrayList<>();
                for (int y = a.y0(); y < a.y1(); y++) {
                    for (int x = a.x0(); x < a.x1(); x++) {
                        long atPosition = 0;
                        for (Partition.Dest dm : dests.get(p)) if (dm.perNeuron == null) atPosition += dm.at(0, y, x);
                        for (int ch = a.c0(); ch < a.c1(); ch++) {
                            long d = atPosition;
                            for (Partition.Dest dm : dests.get(p)) if (dm.perNeuron != null) d += dm.at(ch, y, x);
                            if (d == 0) continue;
                            if (d > k || d * bps > bitsMax) {
                                errors.add(new MappingError(MapCode.FAN_OUT, pops.get(p).origin(), pops.get(p).name(),
                                        "a neuron of " + pops.get(p).name() + " sends spikes to " + Partition.fmt(d)
                                                + " cores, but a neuron may target one axon only and a splitter core holds "
                                                + Partition.fmt(k) + " splitter neurons",
                                        List.of("use a target without fan_out_one, or larger tiles in the layers reading "
                                                + pops.get(p).name())));
                                throw new MappingException(errors);
                            }
                            if (sNeurons + d > k || sAxons + 1 > axonsMax || (sNeurons + d) * bps > bitsMax) {
                                mine.add(new long[] {sNeurons, sAxons});
                                sNeurons = 0;
                                sAxons = 0;
                            }
                            sNeurons += d;
                            sAxons++;
                        }
                    }
                }
                if (sNeurons > 0) mine.add(new long[] {sNeurons, sAxons});
                for (long[] s : mine) {
                    int id = all.size();
                    all.add(new CoreTile(id, p, Role.SPLITTER, a.c0(), a.c1(), a.y0(), a.y1(), a.x0(), a.x1(), 0,
                            s[0], s[1], 0, s[0] * bps));
                    pending.add(new long[] {i, id, s[0], s[1], total});
                }
            }
        }
        if (!errors.isEmpty()) throw new MappingException(errors);
        boolean[] relayed = new boolean[cores.size()];
        for (long[] s : pending) relayed[(int) s[0]] = true;
        List<CoreTile> renumbered = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            CoreTile c = all.get(i);
            renumbered.add(new CoreTile(i, c.population(), c.role(), c.c0(), c.c1(), c.y0(), c.y1(), c.x0(), c.x1(),
                    c.slice(), c.neurons(), c.inputAxons(), c.synapses(), c.synapseBits()));
        }
        long[] neurons = new long[renumbered.size()];
        for (CoreTile c : renumbered) neurons[c.id()] = c.neurons();
        CoreGraph g = build(renumbered.size(), neurons, edges -> {
            for (int e = 0; e < direct.edges(); e++) {
                int a = direct.from()[e];
                if (!relayed[a]) edges.add(newId[a], newId[direct.to()[e]], direct.weight()[e]);
            }
            for (long[] s : pending) {
                int a = (int) s[0];
                int sid = (int) s[1];
                edges.add(newId[a], sid, s[3]);
                for (int e = outStart[a]; e < outStart[a + 1]; e++) {
                    long w = Math.max(1, Math.round((double) direct.weight()[e] * s[2] / s[4]));
                    edges.add(sid, newId[direct.to()[e]], Math.min(w, s[2]));
                }
            }
        });
        long[] entries = new long[renumbered.size()];
        int[] fanout = new int[renumbered.size()];
        for (int e = 0; e < g.edges(); e++) {
            fanout[g.from()[e]]++;
            entries[g.from()[e]] += g.weight()[e];
        }
        // With one target per neuron, a relayed core sends each neuron to exactly one splitter, and
        // a splitter neuron to one destination: a core's entries are its sending neurons.
        for (long[] s : pending) entries[newId[(int) s[0]]] = 0;
        for (long[] s : pending) entries[newId[(int) s[0]]] += s[3];
        for (CoreTile c : renumbered) if (c.role() == Role.SPLITTER) entries[c.id()] = c.neurons();
        return new Wired(part, renumbered, g, entries, fanout);
    }

    /** Receives edges; a weight of 0 or less is no edge. */
    interface EdgeSink {
        void add(int from, int to, long weight);
    }

    /** Emits every edge of a graph, the same ones each time it is called. */
    interface Emitter {
        void emit(EdgeSink sink);
    }

    /**
     * The core graph of the edges {@code edges} emits, sorted by source then destination, duplicate
     * pairs merged, each weight capped at its source's neurons. The edges are emitted twice, to
     * count each source's edges and then to store them in place (compressed rows): no list of
     * (source, destination, weight) triples is kept, whose size was half again the graph's. A
     * source's destinations usually come in order, so they are sorted only when they do not.
     */
    static CoreGraph build(int cores, long[] neurons, Emitter edges) {
        int[] start = new int[cores + 1];
        edges.emit((f, t, w) -> {
            if (w > 0) start[f + 1]++;
        });
        long total = 0;
        for (int c = 0; c < cores; c++) {
            total += start[c + 1];
            start[c + 1] = (int) Math.min(Integer.MAX_VALUE, total);
        }
        int count = Math.toIntExact(total);
        int[] t = new int[count];
        int[] w = new int[count];
        int[] fill = Arrays.copyOf(start, cores);
        edges.emit((f, to, wt) -> {
            if (wt <= 0) return;
            int k = fill[f]++;
            t[k] = to;
            w[k] = (int) Math.min(Integer.MAX_VALUE, wt);
        });
        // Per source: merge equal destinations (sorting the source's pairs first when they are out of
        // order), compacting in place.
        long[] pairs = new long[16];
        int m = 0;
        for (int c = 0; c < cores; c++) {
            int s0 = start[c];
            int len = start[c + 1] - s0;
            boolean ascending = true;
            for (int k = 1; k < len && ascending; k++) ascending = t[s0 + k - 1] <= t[s0 + k];
            if (!ascending) {
                if (pairs.length < len) pairs = new long[Math.max(len, pairs.length * 2)];
                for (int k = 0; k < len; k++) pairs[k] = ((long) t[s0 + k] << 32) | w[s0 + k];
                Arrays.sort(pairs, 0, len);
                for (int k = 0; k < len; k++) {
                    t[s0 + k] = (int) (pairs[k] >>> 32);
                    w[s0 + k] = (int) pairs[k];
                }
            }
            start[c] = m;
            for (int k = s0; k < s0 + len; k++) {
                int dest = t[k];
                int weight = w[k];
                if (m > start[c] && t[m - 1] == dest) {
                    // Two inputs reading one source: a neuron counts once per destination core.
                    w[m - 1] = (int) Math.min(neurons[c], (long) w[m - 1] + weight);
                } else {
                    t[m] = dest;
                    w[m++] = (int) Math.min(neurons[c], weight);
                }
            }
        }
        start[cores] = m;
        int[] f = new int[m];
        for (int c = 0; c < cores; c++) Arrays.fill(f, start[c], start[c + 1], c);
        if (m == count) return new CoreGraph(cores, f, t, w);
        return new CoreGraph(cores, f, Arrays.copyOf(t, m), Arrays.copyOf(w, m));
    }
}
