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
 * ({@code fan_out_one}), splitter cores. Edge weights are exact for conv, tconv and dense inputs
 * (overlaps of tile boxes with receptive fields, per axis); for sparse inputs they are the upper
 * bound {@code min(source neurons, destination neurons x fan_in share)}.
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
        List<Population> pops = part.graph().populations();
        List<CoreTile> cores = part.cores();
        EdgeList edges = new EdgeList();
        for (int q = 0; q < pops.size(); q++) {
            Population pop = pops.get(q);
            Tiling tq = part.tilings().get(q);
            for (SynapticInput in : pop.inputs()) {
                if (in.fromHost()) continue;
                int p = part.graph().indexOfNode(in.source());
                connect(part, p, q, in, tq, edges);
            }
            // Extra compartments send their partial sums to the soma of the same tile.
            if (tq.join() > 1) {
                for (int i = part.firstCore()[q]; i < part.firstCore()[q] + tq.cores(); i++) {
                    CoreTile c = cores.get(i);
                    if (c.slice() > 0) edges.add(c.id(), c.id() - c.slice(), c.neurons());
                }
            }
        }
        long[] neurons = new long[cores.size()];
        for (CoreTile c : cores) neurons[c.id()] = c.neurons();
        CoreGraph direct = edges.build(cores.size(), neurons);
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

    private static void connect(Partitioned part, int p, int q, SynapticInput in, Tiling tq, EdgeList edges) {
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
                            int b = fq + index(tq, rb, kb, gb, j);
                            long s0 = Tiling.sliceStart(s.inChannels(), tq.join(), j);
                            long s1 = Tiling.sliceStart(s.inChannels(), tq.join(), j + 1);
                            if (s1 <= s0) continue;
                            for (int ra = 0; ra < tp.rowTiles(); ra++) {
                                if (rowOv[rb][ra] == 0) continue;
                                for (int ka = 0; ka < tp.colTiles(); ka++) {
                                    if (colOv[kb][ka] == 0) continue;
                                    for (int ga = (int) (s0 / tp.tileC()); ga <= (s1 - 1) / tp.tileC(); ga++) {
                                        long c0 = Math.max(s0, (long) ga * tp.tileC());
                                        long c1 = Math.min(s1, Math.min(ss.channels(), (long) (ga + 1) * tp.tileC()));
                                        edges.add(fp + index(tp, ra, ka, ga, 0), b, (c1 - c0) * rowOv[rb][ra] * colOv[kb][ka]);
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
                long s0 = Tiling.sliceStart(f.inputs(), tq.join(), b.slice());
                long s1 = Tiling.sliceStart(f.inputs(), tq.join(), b.slice() + 1);
                for (int a = fp; a < fp + tp.cores(); a++) {
                    CoreTile ca = cores.get(a);
                    if (ca.slice() != 0) continue;
                    long w = boxBelow(ca, ss, s1) - boxBelow(ca, ss, s0);
                    if (w > 0) edges.add(a, b.id(), w);
                }
            }
        } else {
            Geometry.Random r = (Geometry.Random) in.geometry();
            for (int i = 0; i < tq.cores(); i++) {
                CoreTile b = cores.get(fq + i);
                long cap = b.neurons() * Partition.slice(r.fanIn(), tq.join(), b.slice());
                for (int a = fp; a < fp + tp.cores(); a++) {
                    CoreTile ca = cores.get(a);
                    if (ca.slice() == 0) edges.add(a, b.id(), Math.min(ca.neurons(), cap));
                }
            }
        }
    }

    /** Core index within a population for (row tile, column tile, channel group, slice). */
    static int index(Tiling t, int r, int k, int g, int j) {
        return ((r * t.colTiles() + k) * t.channelGroups() + g) * t.join() + j;
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
                dests.get(part.graph().indexOfNode(in.source()))
                        .add(Partition.dest(pops.get(q), in, part.tilings().get(q), cores, part.firstCore()[q]));
            }
        }
        int[] outStart = new int[cores.size() + 1];
        for (int e = 0; e < direct.edges(); e++) outStart[direct.from()[e] + 1]++;
        for (int i = 0; i < cores.size(); i++) outStart[i + 1] += outStart[i];
        List<CoreTile> all = new ArrayList<>();
        int[] newId = new int[cores.size()];
        EdgeList edges = new EdgeList();
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
                // Pack neurons position by position: all channels at one position share d.
                long sNeurons = 0;
                long sAxons = 0;
                List<long[]> mine = new ArrayList<>();
                for (int y = a.y0(); y < a.y1(); y++) {
                    for (int x = a.x0(); x < a.x1(); x++) {
                        long d = 0;
                        for (Partition.Dest dm : dests.get(p)) d += dm.at(y, x);
                        if (d == 0) continue;
                        if (d > k || d * bps > bitsMax) {
                            errors.add(new MappingError(MapCode.FAN_OUT, pops.get(p).origin(), pops.get(p).name(),
                                    "a neuron of " + pops.get(p).name() + " sends spikes to " + Partition.fmt(d)
                                            + " cores, but a neuron may target one axon only and a splitter core holds "
                                            + Partition.fmt(k) + " splitter neurons",
                                    List.of("use a target without fan_out_one, or larger tiles in the layers reading "
                                            + pops.get(p).name())));
                            return null;
                        }
                        long left = a.c1() - a.c0();
                        while (left > 0) {
                            long room = Math.min(Math.min((k - sNeurons) / d, axonsMax - sAxons), (bitsMax / bps - sNeurons) / d);
                            if (room <= 0) {
                                mine.add(new long[] {sNeurons, sAxons});
                                sNeurons = 0;
                                sAxons = 0;
                                continue;
                            }
                            long take = Math.min(room, left);
                            sNeurons += take * d;
                            sAxons += take;
                            left -= take;
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
        List<CoreTile> renumbered = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            CoreTile c = all.get(i);
            renumbered.add(new CoreTile(i, c.population(), c.role(), c.c0(), c.c1(), c.y0(), c.y1(), c.x0(), c.x1(),
                    c.slice(), c.neurons(), c.inputAxons(), c.synapses(), c.synapseBits()));
        }
        long[] neurons = new long[renumbered.size()];
        for (CoreTile c : renumbered) neurons[c.id()] = c.neurons();
        CoreGraph g = edges.build(renumbered.size(), neurons);
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

    /** Growable edge list; {@link #build} sorts, merges duplicate pairs and caps at the source's neurons. */
    static final class EdgeList {
        long[] keys = new long[1024];
        long[] weights = new long[1024];
        int n;

        void add(int from, int to, long w) {
            if (w <= 0) return;
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                weights = Arrays.copyOf(weights, n * 2);
            }
            keys[n] = ((long) from << 32) | to;
            weights[n++] = w;
        }

        CoreGraph build(int cores, long[] neurons) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            long[] k = keys;
            Arrays.sort(order, (x, y) -> Long.compare(k[x], k[y]));
            int[] from = new int[n];
            int[] to = new int[n];
            long[] w = new long[n];
            int m = 0;
            for (int idx = 0; idx < n; idx++) {
                int i = order[idx];
                int f = (int) (keys[i] >>> 32);
                int t = (int) keys[i];
                if (m > 0 && from[m - 1] == f && to[m - 1] == t) {
                    // Two inputs reading one source: a neuron counts once per destination core.
                    w[m - 1] = Math.min(neurons[f], w[m - 1] + weights[i]);
                } else {
                    from[m] = f;
                    to[m] = t;
                    w[m++] = Math.min(neurons[f], weights[i]);
                }
            }
            return new CoreGraph(cores, Arrays.copyOf(from, m), Arrays.copyOf(to, m), Arrays.copyOf(w, m));
        }
    }
}
