package org.snnc.compiler.lower;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.mapping.AxisMap;
import org.snnc.compiler.mapping.CoreTile;
import org.snnc.compiler.mapping.Geometry;
import org.snnc.compiler.mapping.MapCode;
import org.snnc.compiler.mapping.MappingError;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.mapping.Partitioned;
import org.snnc.compiler.mapping.Population;
import org.snnc.compiler.mapping.PopulationGraph;
import org.snnc.compiler.mapping.Role;
import org.snnc.compiler.mapping.SynapticInput;
import org.snnc.compiler.mapping.Tiling;
import org.snnc.compiler.target.CoreLimits;
import org.snnc.compiler.target.FanInSplit;
import org.snnc.compiler.target.Target;

/**
 * Pass {@code partition}: cut every population into cores within every per-core limit of the target.
 *
 * <p>Before: a {@link PopulationGraph}. After: a {@link Tiling} per population and its cores, each
 * holding at most {@code max_neurons} compartments, {@code max_input_axons} distinct input axons,
 * {@code synapse_memory_bits} of synapses and {@code max_output_axons} fan-out entries.
 *
 * <ul>
 * <li>A tile is a spatial rectangle x a group of output channels. Its input axons are the distinct
 *     source neurons under the union of its outputs' receptive fields, halo included; rows and
 *     columns are independent, so they are products of two axis counts ({@link AxisMap}), exact.</li>
 * <li>Synapses are stored per connection: synapses x weight bits ({@code axon_types} 0), or one
 *     crossbar bit per synapse where the weights live in the neurons (TrueNorth). Conv weights are
 *     not shared between positions, as on Loihi.</li>
 * <li>A neuron with more inputs than a core takes is split into {@code J} shares of its inputs
 *     (balanced slices of every input's channels, inputs or random draws), as
 *     {@code core.fan_in_split} says. {@code join}: {@code J} compartments on {@code J} cores, whose
 *     partial sums reach the soma's core through one input axon and one synapse each.
 *     {@code relay}: {@code J} relay cores, each holding a positive and a negative relay neuron per
 *     neuron of the tile for its share, and soma cores holding the neurons (the tile's channels cut
 *     so that each soma core takes two axons per share and neuron). {@code none}: an error.</li>
 * <li>Fan-out entries are one per (neuron, destination core) pair. Consumers are tiled before
 *     their sources (reverse topological order), so a source's tile can be sized for its real
 *     fan-out. Where a neuron may target one axon only ({@code fan_out_one}) each neuron takes one
 *     entry, the splitters are added by {@link Connect}, and a consumer's tiling is refused when
 *     one source neuron would reach more of its cores than one splitter core holds.</li>
 * <li>Sparse (random) layers are counted on their draws ({@link SparseCounts}): a core's input
 *     axons are the distinct inputs of its neurons' draws, a source neuron's destinations the
 *     consumer cores whose draws hold it. Each tile size tried costs a pass over the draws, so the
 *     search for them gallops from the size the expected counts predict, and tries no join and the
 *     one join the expected counts favour.</li>
 * </ul>
 * The tile search tries every spatial tile size that changes the number of tiles, every join up to
 * where it cannot beat the best found, and the largest channel group that fits (binary search):
 * the fewest cores win, then the smallest join, then the fewest input axons in total (less halo traffic).
 */
public final class Partition {

    private Partition() {
    }

    /** Per-axis counts of one synaptic input for one tile length. */
    static final class AxisStats {
        final int[] distinct;
        final long[] pairs;
        final int maxDistinct;
        final long maxPairs;

        AxisStats(AxisMap m, int tile) {
            int out = m.outLength();
            int n = ceilDiv(out, tile);
            distinct = new int[n];
            pairs = new long[n];
            int md = 0;
            long mp = 0;
            for (int i = 0; i < n; i++) {
                int s = Tiling.tileStart(out, tile, i);
                int e = Tiling.tileEnd(out, tile, i);
                distinct[i] = m.distinct(s, e);
                pairs[i] = m.pairs(s, e);
                md = Math.max(md, distinct[i]);
                mp = Math.max(mp, pairs[i]);
            }
            maxDistinct = md;
            maxPairs = mp;
        }
    }

    /**
     * How many cores of one consumer each source neuron of a population reaches, once the consumer
     * is tiled: spatial consumers per source row and column (times the consumer's channel groups:
     * a source channel lies in one share), dense consumers the same for every neuron, sparse ones
     * counted exactly per neuron from the draws.
     */
    static final class Dest {
        final Geometry geometry;
        int[] rowDest;
        int[] colDest;
        long factor;
        int[] perNeuron;
        int srcH;
        int srcW;

        Dest(Geometry geometry) {
            this.geometry = geometry;
        }

        /** Destination cores of the source neuron at (c, y, x). */
        long at(int c, int y, int x) {
            if (geometry instanceof Geometry.Spatial) return (long) rowDest[y] * colDest[x] * factor;
            if (geometry instanceof Geometry.Full) return factor;
            return perNeuron[(c * srcH + y) * srcW + x];
        }
    }

    static Dest dest(Population q, SynapticInput in, Tiling t, org.snnc.compiler.ir.Shape source) {
        Dest d = new Dest(in.geometry());
        if (in.geometry() instanceof Geometry.Spatial s) {
            d.rowDest = axisDest(s.rows(), t.tileH());
            d.colDest = axisDest(s.cols(), t.tileW());
            d.factor = t.channelGroups();
        } else if (in.geometry() instanceof Geometry.Full) {
            d.factor = (long) t.rowTiles() * t.colTiles() * t.channelGroups();
        } else {
            d.perNeuron = SparseCounts.dests((Geometry.Random) in.geometry(), q.shape(), t);
            d.srcH = source.height();
            d.srcW = source.width();
        }
        return d;
    }

    /** For each source position, the number of tiles of length {@code tile} that read it. */
    static int[] axisDest(AxisMap m, int tile) {
        int out = m.outLength();
        int[] dest = new int[m.inLength()];
        boolean[] mark = new boolean[m.inLength()];
        for (int i = 0; i < ceilDiv(out, tile); i++) {
            java.util.Arrays.fill(mark, false);
            m.mark(Tiling.tileStart(out, tile, i), Tiling.tileEnd(out, tile, i), mark);
            for (int y = 0; y < mark.length; y++) if (mark[y]) dest[y]++;
        }
        return dest;
    }

    public static Partitioned run(PopulationGraph g, Target target) {
        return run(g, target, true);
    }

    /**
     * @param allowJoin false to tile as if the target had no {@code compartment_join}: for a
     *                  compiled program, which holds one compartment per neuron
     */
    public static Partitioned run(PopulationGraph g, Target target, boolean allowJoin) {
        List<Population> pops = g.populations();
        int np = pops.size();
        CoreLimits lim = target.core();
        Tiling[] tilings = new Tiling[np];
        List<MappingError> errors = new ArrayList<>();
        // Dest models of each population's consumers, filled as the consumers are tiled.
        List<List<Dest>> dests = new ArrayList<>();
        for (int p = 0; p < np; p++) dests.add(new ArrayList<>());
        List<List<CoreTile>> coresOf = new ArrayList<>();
        for (int p = 0; p < np; p++) coresOf.add(List.of());
        for (int p = np - 1; p >= 0; p--) {
            Population pop = pops.get(p);
            Search s = new Search(pop, target, pop.spiking() ? dests.get(p) : List.of(), allowJoin);
            Tiling t = s.best();
            if (t == null) {
                errors.add(s.diagnose());
                continue;
            }
            tilings[p] = t;
            List<CoreTile> cores = s.emit(t, p);
            coresOf.set(p, cores);
            for (SynapticInput in : pop.inputs()) {
                if (in.fromHost()) continue;
                int src = g.indexOfNode(in.source());
                dests.get(src).add(dest(pop, in, t, pops.get(src).shape()));
            }
        }
        if (!errors.isEmpty()) {
            java.util.Collections.reverse(errors);
            throw new MappingException(errors);
        }
        List<CoreTile> all = new ArrayList<>();
        int[] first = new int[np];
        for (int p = 0; p < np; p++) {
            first[p] = all.size();
            for (CoreTile c : coresOf.get(p)) {
                all.add(new CoreTile(all.size(), p, c.role(), c.c0(), c.c1(), c.y0(), c.y1(), c.x0(), c.x1(), c.slice(),
                        c.neurons(), c.inputAxons(), c.synapses(), c.synapseBits()));
            }
        }
        return new Partitioned(g, target, List.of(tilings), all, first);
    }

    /** The tile search for one population. */
    private static final class Search {
        final Population pop;
        final CoreLimits lim;
        final FanInSplit split;
        final List<Dest> consumers;
        final int bps;
        final int c;
        final int h;
        final int w;
        final int maxJoin;
        final boolean relay;
        final int[] rowCand;
        final int[] colCand;
        final AxisStats[][] rowStats;
        final AxisStats[][] colStats;
        final double[][] rowDestMean;
        final double[][] colDestMean;
        final int[][] rowDestMax;
        final int[][] colDestMax;
        /** Per sparse consumer, prefix sums over channels of its destinations per neuron, per position. */
        final long[][] randomPrefix;
        final double fanoutCapacity;

        Search(Population pop, Target target, List<Dest> consumers, boolean allowJoin) {
            this.pop = pop;
            this.lim = target.core();
            this.split = allowJoin ? lim.fanInSplit().value() : FanInSplit.NONE;
            this.consumers = consumers;
            this.bps = Partitioned.bitsPerSynapse(target);
            c = pop.shape().channels();
            h = pop.shape().height();
            w = pop.shape().width();
            long units = 1;
            for (SynapticInput in : pop.inputs()) units = Math.max(units, units(in.geometry()));
            relay = split == FanInSplit.RELAY;
            // A relayed soma takes two input axons (a positive and a negative relay) per share.
            maxJoin = switch (split) {
                case JOIN -> (int) Math.min(lim.maxJoinedCompartments().value(), units);
                case RELAY -> (int) Math.max(1, Math.min(lim.maxInputAxons().value() / 2, units));
                case NONE -> 1;
            };
            rowCand = candidates(h);
            colCand = candidates(w);
            int ni = pop.inputs().size();
            rowStats = new AxisStats[rowCand.length][ni];
            colStats = new AxisStats[colCand.length][ni];
            rowDestMean = new double[rowCand.length][ni];
            colDestMean = new double[colCand.length][ni];
            rowDestMax = new int[rowCand.length][ni];
            colDestMax = new int[colCand.length][ni];
            for (int i = 0; i < ni; i++) {
                if (pop.inputs().get(i).geometry() instanceof Geometry.Spatial sp) {
                    for (int a = 0; a < rowCand.length; a++) {
                        rowStats[a][i] = new AxisStats(sp.rows(), rowCand[a]);
                        int[] d = axisDest(sp.rows(), rowCand[a]);
                        rowDestMean[a][i] = mean(d);
                        rowDestMax[a][i] = max(d);
                    }
                    for (int a = 0; a < colCand.length; a++) {
                        colStats[a][i] = new AxisStats(sp.cols(), colCand[a]);
                        int[] d = axisDest(sp.cols(), colCand[a]);
                        colDestMean[a][i] = mean(d);
                        colDestMax[a][i] = max(d);
                    }
                }
            }
            randomPrefix = new long[consumers.size()][];
            for (int k = 0; k < consumers.size(); k++) {
                Dest d = consumers.get(k);
                if (d.perNeuron == null) continue;
                long[] pre = new long[h * w * (c + 1)];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int base = (y * w + x) * (c + 1);
                        for (int ch = 0; ch < c; ch++) pre[base + ch + 1] = pre[base + ch] + d.at(ch, y, x);
                    }
                }
                randomPrefix[k] = pre;
            }
            fanoutKnown = new long[rowCand.length * colCand.length][];
            fanoutCapacity = lim.fanOutOne().value() ? Math.min(lim.maxNeurons().value(), lim.maxOutputAxons().value())
                    : lim.maxOutputAxons().value();
        }

        /**
         * Cores the sources of this population will need for their fan-out into a tiling: every
         * source neuron takes one fan-out entry (or splitter neuron) per core of ours it reaches.
         * Counting it keeps a layer from cutting its channels into many groups that each source
         * neuron must reach, which would cost its sources more cores than it saves.
         */
        double sourcePenalty(int ri, int ci, int groups, int join) {
            double cores = 0;
            for (int i = 0; i < pop.inputs().size(); i++) {
                SynapticInput in = pop.inputs().get(i);
                if (in.fromHost()) continue;
                double perNeuron;
                long sources;
                if (in.geometry() instanceof Geometry.Spatial sp) {
                    perNeuron = rowDestMean[ri][i] * colDestMean[ci][i] * groups;
                    sources = (long) sp.inChannels() * sp.rows().inLength() * sp.cols().inLength();
                } else if (in.geometry() instanceof Geometry.Full f) {
                    perNeuron = (double) ceilDiv(h, rowCand[ri]) * ceilDiv(w, colCand[ci]) * groups;
                    sources = f.inputs();
                } else {
                    // Expected distinct cores among a source neuron's readers, each share-core equally likely.
                    Geometry.Random r = (Geometry.Random) in.geometry();
                    double k = (double) ceilDiv(h, rowCand[ri]) * ceilDiv(w, colCand[ci]) * groups * join;
                    double readers = (double) pop.neurons() * r.fanIn() / r.inputs();
                    perNeuron = k * (1 - Math.pow(1 - 1 / k, readers));
                    sources = r.inputs();
                }
                cores += sources * perNeuron / fanoutCapacity;
            }
            return cores;
        }

        /**
         * The most cores of this tiling one source neuron reaches, where a neuron may target one
         * axon only: its splitter neurons, which must fit one splitter core (sparse inputs are
         * checked when their splitters are made).
         */
        long sourceDestinations(int ri, int ci, int tc) {
            if (!lim.fanOutOne().value()) return 0;
            int groups = ceilDiv(c, tc);
            long worst = 0;
            for (int i = 0; i < pop.inputs().size(); i++) {
                SynapticInput in = pop.inputs().get(i);
                if (in.fromHost()) continue;
                if (in.geometry() instanceof Geometry.Spatial) {
                    worst = Math.max(worst, (long) rowDestMax[ri][i] * colDestMax[ci][i] * groups);
                } else if (in.geometry() instanceof Geometry.Full) {
                    worst = Math.max(worst, (long) ceilDiv(h, rowCand[ri]) * ceilDiv(w, colCand[ci]) * groups);
                }
            }
            return worst;
        }

        /**
         * What the worst core of a tiling needs, over every kind of core it has (soma, compartment,
         * relay): [input axons, synapse bits, fan-out entries, neurons, destinations of one source
         * neuron where a neuron may target one axon only].
         */
        long[] need(int ri, int ci, int join, int tc) {
            return need(ri, ci, join, tc, true);
        }

        /**
         * @param exact false to take a sparse input's expected distinct inputs per tile,
         *              {@code N (1 - (1 - s/N)^n)} for a share of {@code s} draws out of {@code N} and
         *              {@code n} neurons, instead of counting them on the draws: a cheap guide for
         *              where to start counting
         */
        long[] need(int ri, int ci, int join, int tc, boolean exact) {
            int th = rowCand[ri];
            int tw = colCand[ci];
            long n = (long) tc * th * tw;
            long axons = 0;
            long syn = 0;
            for (int i = 0; i < pop.inputs().size(); i++) {
                Geometry geo = pop.inputs().get(i).geometry();
                if (geo instanceof Geometry.Spatial sp) {
                    long share = ceilDiv(sp.inChannels(), join);
                    axons += share * rowStats[ri][i].maxDistinct * colStats[ci][i].maxDistinct;
                    syn += tc * share * rowStats[ri][i].maxPairs * colStats[ci][i].maxPairs;
                } else if (geo instanceof Geometry.Full f) {
                    long share = ceilDiv(f.inputs(), join);
                    axons += share;
                    syn += n * share;
                } else {
                    Geometry.Random r = (Geometry.Random) geo;
                    long share = ceilDiv(r.fanIn(), join);
                    axons += exact ? SparseCounts.maxDistinct(r, pop.shape(), tc, th, tw, join)
                            : (long) Math.ceil(r.inputs() * (1 - Math.pow(1 - (double) share / r.inputs(), n)));
                    syn += n * share;
                }
            }
            long somaEntries = 0;
            if (lim.fanOutOne().value()) {
                if (!consumers.isEmpty()) somaEntries = n;
            } else {
                somaEntries = fanoutEntries(ri, ci, tc);
            }
            if (join > 1 && relay) {
                // Relay cores: a positive and a negative relay per neuron, both reading the share
                // (two crossbar bits per connection), each sending to its neuron's soma core. The
                // soma cores are sized apart ({@link #channelsPerSoma}).
                return new long[] {axons, 2 * syn * bps, 2 * n, 2 * n, sourceDestinations(ri, ci, tc)};
            }
            if (join > 1) {
                // The soma's core also receives one partial sum per extra compartment.
                axons += (join - 1) * n;
                syn += (join - 1) * n;
                somaEntries = Math.max(somaEntries, n);
            }
            return new long[] {axons, syn * bps, somaEntries, n, sourceDestinations(ri, ci, tc)};
        }

        /**
         * The most channels of a relayed tile's spatial box one soma core holds: each neuron reads
         * two axons (a positive and a negative relay) per share, with one crossbar bit each, and
         * sends its own fan-out; 0 when not even one channel fits.
         */
        int channelsPerSoma(int ri, int ci, int join) {
            long area = (long) rowCand[ri] * colCand[ci];
            long perNeuron = 2L * join;
            long cps = Math.min(lim.maxNeurons().value() / area, lim.maxInputAxons().value() / (perNeuron * area));
            cps = Math.min(cps, lim.synapseMemoryBits().value() / (perNeuron * area * bps));
            cps = Math.min(cps, c);
            if (lim.fanOutOne().value()) {
                if (!consumers.isEmpty()) cps = Math.min(cps, lim.maxOutputAxons().value() / area);
            } else {
                if (cps > 0 && fanoutEntries(ri, ci, (int) cps) > lim.maxOutputAxons().value()) {
                    cps = largestFitting(ri, ci, (int) cps);
                }
            }
            return (int) Math.max(0, cps);
        }

        /** The largest channel count below {@code above} whose fan-out entries fit (binary search), or 0. */
        private long largestFitting(int ri, int ci, int above) {
            int lo = 0;
            int hi = above - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (fanoutEntries(ri, ci, mid) <= lim.maxOutputAxons().value()) lo = mid;
                else hi = mid - 1;
            }
            return lo;
        }

        /** Worst-case fan-out entries of a {@code tc x th x tw} tile over all tiles. */
        long fanoutEntriesOf(int th, int tw, int tc) {
            long n = (long) tc * th * tw;
            long total = 0;
            for (int k = 0; k < consumers.size(); k++) {
                Dest d = consumers.get(k);
                if (d.geometry instanceof Geometry.Spatial) {
                    total += tc * maxWindowSum(d.rowDest, th) * maxWindowSum(d.colDest, tw) * d.factor;
                } else if (d.geometry instanceof Geometry.Full) {
                    total += n * d.factor;
                } else {
                    total += maxBoxSum(k, th, tw, tc);
                }
            }
            return total;
        }

        /**
         * {@link #fanoutEntriesOf} by row and column candidate, then channels (-1: not
         * counted yet): the searches ask for the same tiles often, every join the same ones.
         */
        private final long[][] fanoutKnown;

        /** {@link #fanoutEntriesOf} of a {@code rowCand[ri] x colCand[ci]} tile, remembered. */
        long fanoutEntries(int ri, int ci, int tc) {
            int th = rowCand[ri];
            int tw = colCand[ci];
            // Channel groups never exceed the neurons a core holds.
            long most = Math.min(c, lim.maxNeurons().value() / ((long) th * tw));
            if (tc > most) return fanoutEntriesOf(th, tw, tc);
            long[] known = fanoutKnown[ri * colCand.length + ci];
            if (known == null) {
                known = new long[(int) most + 1];
                java.util.Arrays.fill(known, -1);
                fanoutKnown[ri * colCand.length + ci] = known;
            }
            if (known[tc] < 0) known[tc] = fanoutEntriesOf(th, tw, tc);
            return known[tc];
        }

        /** Largest sum over the tiles' boxes of per-neuron counts held as channel prefix sums per position. */
        long maxBoxSum(int consumer, int th, int tw, int tc) {
            return boxSum(randomPrefix[consumer], th, tw, tc);
        }

        private long boxSum(long[] pre, int th, int tw, int tc) {
            long best = 0;
            for (int y0 = 0; y0 < h; y0 += th) {
                for (int x0 = 0; x0 < w; x0 += tw) {
                    for (int c0 = 0; c0 < c; c0 += tc) {
                        int c1 = Math.min(c, c0 + tc);
                        long sum = 0;
                        for (int y = y0; y < Math.min(h, y0 + th); y++) {
                            for (int x = x0; x < Math.min(w, x0 + tw); x++) {
                                int base = (y * w + x) * (c + 1);
                                sum += pre[base + c1] - pre[base + c0];
                            }
                        }
                        best = Math.max(best, sum);
                    }
                }
            }
            return best;
        }

        boolean fits(long[] need) {
            return need[3] <= lim.maxNeurons().value() && need[0] <= lim.maxInputAxons().value()
                    && need[1] <= lim.synapseMemoryBits().value() && need[2] <= lim.maxOutputAxons().value();
        }

        /** Whether some input is sparse: its axons are counted on the draws, one pass per tile size. */
        boolean sparse() {
            for (SynapticInput in : pop.inputs()) if (in.geometry() instanceof Geometry.Random) return true;
            return false;
        }

        /**
         * The joins to try. Every one, but for sparse layers, whose every probe is a pass over the
         * draws: no join, and the join the expected counts say needs the fewest cores.
         */
        int[] joins() {
            if (!sparse() || maxJoin == 1) {
                int[] all = new int[maxJoin];
                for (int j = 0; j < maxJoin; j++) all[j] = j + 1;
                return all;
            }
            int bestJoin = 2;
            double bestCores = Double.MAX_VALUE;
            for (int join = 2; join <= maxJoin; join++) {
                for (int ri = 0; ri < rowCand.length; ri++) {
                    for (int ci = 0; ci < colCand.length; ci++) {
                        int tc = largestTc(ri, ci, join, false, 0);
                        if (tc == 0) continue;
                        int groups = ceilDiv(c, tc);
                        double cores = (double) ceilDiv(h, rowCand[ri]) * ceilDiv(w, colCand[ci]) * groups * (join + 1);
                        if (cores < bestCores) {
                            bestCores = cores;
                            bestJoin = join;
                        }
                    }
                }
            }
            return new int[] {1, bestJoin};
        }

        /**
         * The largest channel group of a {@code rowCand[ri] x colCand[ci]} tile that fits every
         * per-core limit, or 0. Limits grow with the group, so this is a search: binary where counts
         * are cheap; for sparse inputs galloping from {@code hint} (from the expected counts), since
         * each probe counts the draws.
         */
        int largestTc(int ri, int ci, int join, boolean exact, int hint) {
            long area = (long) rowCand[ri] * colCand[ci];
            int hi = (int) Math.min(c, lim.maxNeurons().value() / area);
            if (hi < 1) return 0;
            java.util.function.IntPredicate ok = x -> fits(need(ri, ci, join, x, exact));
            if (hint < 1 || hint > hi) {
                if (!ok.test(1)) return 0;
                int lo = 1;
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (ok.test(mid)) lo = mid;
                    else hi = mid - 1;
                }
                return lo;
            }
            int lo;
            int top;
            if (ok.test(hint)) {
                lo = hint;
                top = hi;
                for (int step = 1; lo < top; step <<= 1) {
                    int x = (int) Math.min(top, (long) lo + step);
                    if (ok.test(x)) {
                        lo = x;
                    } else {
                        top = x - 1;
                        break;
                    }
                }
            } else {
                lo = 0;
                top = hint - 1;
                for (int step = 1; top >= 1; step <<= 1) {
                    int x = Math.max(1, top - step + 1);
                    if (ok.test(x)) {
                        lo = x;
                        break;
                    }
                    top = x - 1;
                }
                if (lo == 0) return 0;
            }
            while (lo < top) {
                int mid = (lo + top + 1) >>> 1;
                if (ok.test(mid)) lo = mid;
                else top = mid - 1;
            }
            return lo;
        }

        Tiling best() {
            Tiling best = null;
            double bestCores = Double.MAX_VALUE;
            long bestAxons = Long.MAX_VALUE;
            long perJoin = ceilDiv(pop.neurons(), lim.maxNeurons().value());
            boolean sparse = sparse();
            for (int join : joins()) {
                if (best != null && join * perJoin > bestCores) break;
                for (int ri = 0; ri < rowCand.length; ri++) {
                    for (int ci = 0; ci < colCand.length; ci++) {
                        long area = (long) rowCand[ri] * colCand[ci];
                        if (area > lim.maxNeurons().value()) continue;
                        boolean relayed = relay && join > 1;
                        int cps = relayed ? channelsPerSoma(ri, ci, join) : 0;
                        if (relayed && cps == 0) continue;
                        int lo = largestTc(ri, ci, join, true, sparse ? largestTc(ri, ci, join, false, 0) : 0);
                        if (lo == 0) continue;
                        // Fewer channel groups only lower a source neuron's destinations: the
                        // largest group that fits the cores decides whether its splitters fit.
                        if (sourceDestinations(ri, ci, lo) > fanoutCapacity) continue;
                        int groups = ceilDiv(c, lo);
                        int tc = ceilDiv(c, groups);
                        int somas = 1;
                        if (relayed) {
                            // Soma slices cut every tile's channels, the last (smallest) group's too.
                            while (true) {
                                somas = ceilDiv(tc, cps);
                                if (somas <= c - (groups - 1) * tc) break;
                                groups = ceilDiv(c, tc - 1);
                                tc = ceilDiv(c, groups);
                            }
                            if (sourceDestinations(ri, ci, tc) > fanoutCapacity) continue;
                        }
                        int rows = ceilDiv(h, rowCand[ri]);
                        int cols = ceilDiv(w, colCand[ci]);
                        int perTile = relayed ? join + somas : join;
                        double cores = (double) rows * cols * groups * perTile + sourcePenalty(ri, ci, groups, join);
                        long axons = (long) rows * cols * groups * perTile * need(ri, ci, join, tc)[0];
                        // At equal cores a smaller join wins before fewer axons: every extra
                        // compartment sends each neuron's partial sum to the soma's core every step,
                        // and a compiled program cannot hold joined neurons yet. Joins are tried in
                        // ascending order, so a larger join must strictly save cores.
                        if (cores < bestCores || (cores == bestCores && join == best.join() && axons < bestAxons)) {
                            bestCores = cores;
                            bestAxons = axons;
                            best = new Tiling(tc, rowCand[ri], colCand[ci], join, relayed, somas, groups, rows, cols);
                        }
                    }
                }
            }
            return best;
        }

        /** The cores of a tiling, with exact counts per core (the search used worst cases). */
        List<CoreTile> emit(Tiling t, int p) {
            int ri = indexOf(rowCand, t.tileH());
            int ci = indexOf(colCand, t.tileW());
            int[][] randomDistinct = new int[pop.inputs().size()][];
            for (int i = 0; i < pop.inputs().size(); i++) {
                if (pop.inputs().get(i).geometry() instanceof Geometry.Random r) {
                    randomDistinct[i] = SparseCounts.distinct(r, pop.shape(), t.tileC(), t.tileH(), t.tileW(), t.join());
                }
            }
            List<CoreTile> out = new ArrayList<>();
            int tile = 0;
            for (int r = 0; r < t.rowTiles(); r++) {
                int y0 = Tiling.tileStart(h, t.tileH(), r);
                int y1 = Tiling.tileEnd(h, t.tileH(), r);
                for (int k = 0; k < t.colTiles(); k++) {
                    int x0 = Tiling.tileStart(w, t.tileW(), k);
                    int x1 = Tiling.tileEnd(w, t.tileW(), k);
                    for (int gi = 0; gi < t.channelGroups(); gi++, tile++) {
                        int c0 = Tiling.tileStart(c, t.tileC(), gi);
                        int c1 = Tiling.tileEnd(c, t.tileC(), gi);
                        long n = (long) (c1 - c0) * (y1 - y0) * (x1 - x0);
                        for (int soma = 0; t.relay() && soma < t.somas(); soma++) {
                            int s0 = c0 + t.somaStart(c1 - c0, soma);
                            int s1 = c0 + t.somaStart(c1 - c0, soma + 1);
                            long ns = (long) (s1 - s0) * (y1 - y0) * (x1 - x0);
                            long axons = 2L * t.join() * ns;
                            out.add(new CoreTile(-1, p, Role.NEURONS, s0, s1, y0, y1, x0, x1, soma, ns, axons, 0, axons * bps));
                        }
                        for (int j = 0; j < t.join(); j++) {
                            long axons = 0;
                            long syn = 0;
                            for (int i = 0; i < pop.inputs().size(); i++) {
                                Geometry geo = pop.inputs().get(i).geometry();
                                if (geo instanceof Geometry.Spatial sp) {
                                    long share = slice(sp.inChannels(), t.join(), j);
                                    axons += share * rowStats[ri][i].distinct[r] * colStats[ci][i].distinct[k];
                                    syn += (c1 - c0) * share * rowStats[ri][i].pairs[r] * colStats[ci][i].pairs[k];
                                } else if (geo instanceof Geometry.Full f) {
                                    long share = slice(f.inputs(), t.join(), j);
                                    axons += share;
                                    syn += n * share;
                                } else {
                                    Geometry.Random rg = (Geometry.Random) geo;
                                    axons += randomDistinct[i][tile * t.join() + j];
                                    syn += n * slice(rg.fanIn(), t.join(), j);
                                }
                            }
                            if (t.relay()) {
                                out.add(new CoreTile(-1, p, Role.RELAY, c0, c1, y0, y1, x0, x1, t.sliceOf(j), 2 * n,
                                        axons, syn, 2 * syn * bps));
                            } else {
                                long extra = j == 0 ? (t.join() - 1) * n : 0;
                                out.add(new CoreTile(-1, p, j == 0 ? Role.NEURONS : Role.COMPARTMENTS, c0, c1, y0, y1, x0,
                                        x1, j, n, axons + extra, syn, (syn + extra) * bps));
                            }
                        }
                    }
                }
            }
            return out;
        }

        /** How a neuron's inputs may be split, for messages. */
        private String splitWords() {
            return relay ? "relay cores" : "joined compartments";
        }

        MappingError diagnose() {
            CoreLimits l = lim;
            long axLimit = l.maxInputAxons().value();
            long[] one = need(indexOf(rowCand, 1), indexOf(colCand, 1), 1, 1);
            String layer = layerName();
            boolean axonsOk = false;
            boolean bothOk = false;
            for (int j = 1; j <= maxJoin; j++) {
                long[] nj = need(indexOf(rowCand, 1), indexOf(colCand, 1), j, 1);
                if (nj[0] <= axLimit) {
                    axonsOk = true;
                    if (nj[1] <= l.synapseMemoryBits().value()) bothOk = true;
                }
            }
            boolean splits = split != FanInSplit.NONE;
            List<String> help = new ArrayList<>();
            if (!axonsOk) {
                String msg = "layer " + layer + " needs " + fmt(one[0]) + " input axons per core for a 1x1 tile"
                        + " (one neuron); the target allows " + fmt(axLimit)
                        + (splits && maxJoin > 1 ? ", and no split over at most " + fmt(maxJoin) + " " + splitWords()
                                + " fits" : "");
                long perChannel = perChannelAxons();
                if (perChannel > 0 && !relay) {
                    long fit = 0;
                    for (int j = 1; j <= l.maxJoinedCompartments().value() && (split == FanInSplit.JOIN || j == 1); j++) {
                        long room = axLimit - (j - 1);
                        if (room < perChannel) break;
                        fit = Math.max(fit, j * (room / perChannel));
                        if (j > 4096) break;
                    }
                    SynapticInput in = pop.inputs().get(0);
                    if (fit > 0) {
                        help.add("reduce the channels of " + in.sourceName() + " (the input of " + in.layer() + ") to "
                                + fmt(fit) + " (from " + fmt(((Geometry.Spatial) in.geometry()).inChannels())
                                + "), or use a target with larger cores");
                    }
                }
                help.add("use a target with at least " + fmt(one[0]) + " input axons per core");
                if (split == FanInSplit.NONE) {
                    help.add("or a target that splits a neuron's inputs over several cores (core.fan_in_split: join"
                            + " with compartment_join, or relay)");
                } else if (split == FanInSplit.JOIN) {
                    help.add("or raise core.max_joined_compartments above " + fmt(l.maxJoinedCompartments().value()));
                } else {
                    help.add("a relayed neuron reads two axons per share, so at most " + fmt(axLimit / 2)
                            + " shares fit one neuron; one share must fit one core");
                }
                return new MappingError(MapCode.INPUT_AXONS, origin(), layer, msg, help);
            }
            if (!bothOk) {
                String msg = "layer " + layer + " needs " + fmt(one[1]) + " bits of synapse memory per core for one neuron ("
                        + fmt(one[1] / bps) + " synapses x " + bps + " bits); the target has " + fmt(l.synapseMemoryBits().value())
                        + (splits && maxJoin > 1 ? ", and no split over at most " + fmt(maxJoin) + " " + splitWords()
                                + " fits" : "");
                help.add("use a target with at least " + fmt(one[1]) + " synapse memory bits per core");
                if (!splits) {
                    help.add("or a target that splits a neuron's synapses over several cores (core.fan_in_split: join"
                            + " with compartment_join, or relay)");
                }
                return new MappingError(MapCode.SYNAPSE_MEMORY, origin(), layer, msg, help);
            }
            if (l.fanOutOne().value()) {
                // Tiles fit, but each source neuron would reach more of them than its splitters can.
                long fewest = Long.MAX_VALUE;
                for (int j = 1; j <= maxJoin; j++) {
                    for (int ri = 0; ri < rowCand.length; ri++) {
                        for (int ci = 0; ci < colCand.length; ci++) {
                            int tc = largestTc(ri, ci, j, true, 0);
                            if (tc > 0) fewest = Math.min(fewest, sourceDestinations(ri, ci, tc));
                        }
                    }
                }
                if (fewest != Long.MAX_VALUE && fewest > fanoutCapacity) {
                    String msg = "every tiling of layer " + layer + " that fits a core makes a neuron of its input reach "
                            + fmt(fewest) + " or more of its cores; a neuron may target one axon only, and one splitter"
                            + " core holds " + fmt((long) fanoutCapacity) + " splitter neurons";
                    help.add("use a target without fan_out_one, or with larger cores");
                    return new MappingError(MapCode.FAN_OUT, origin(), layer, msg, help);
                }
            }
            String msg = "neurons of " + pop.name() + " send spikes to " + fmt(fanoutEntriesOf(1, 1, 1))
                    + " cores each; a core allows " + fmt(l.maxOutputAxons().value()) + " fan-out entries";
            help.add("use a target with more output axons per core");
            return new MappingError(MapCode.FAN_OUT, pop.origin(), pop.name(), msg, help);
        }

        /** Input axons per input channel of a single spatial input for one output, or 0. */
        private long perChannelAxons() {
            if (pop.inputs().size() != 1 || !(pop.inputs().get(0).geometry() instanceof Geometry.Spatial)) return 0;
            int ri = indexOf(rowCand, 1);
            int ci = indexOf(colCand, 1);
            return (long) rowStats[ri][0].maxDistinct * colStats[ci][0].maxDistinct;
        }

        private String layerName() {
            if (pop.inputs().size() == 1) return pop.inputs().get(0).layer() + " (feeding " + pop.name() + ")";
            StringBuilder b = new StringBuilder(pop.name()).append(" (inputs ");
            for (int i = 0; i < pop.inputs().size(); i++) b.append(i == 0 ? "" : " + ").append(pop.inputs().get(i).layer());
            return b.append(')').toString();
        }

        private org.snnc.compiler.ir.Origin origin() {
            return pop.inputs().isEmpty() ? pop.origin() : pop.inputs().get(0).origin();
        }
    }

    /** Units a neuron's inputs can be split by: input channels, inputs or random draws. */
    static long units(Geometry g) {
        if (g instanceof Geometry.Spatial s) return s.inChannels();
        if (g instanceof Geometry.Full f) return f.inputs();
        return ((Geometry.Random) g).fanIn();
    }

    /** Size of balanced slice {@code j} of {@code parts} over {@code units}. */
    static long slice(long units, int parts, int j) {
        return Tiling.sliceStart(units, parts, j + 1) - Tiling.sliceStart(units, parts, j);
    }

    /** Tile lengths that give distinct tile counts: {@code ceil(len / n)} for n = 1..len. */
    static int[] candidates(int len) {
        List<Integer> out = new ArrayList<>();
        int last = -1;
        for (int n = 1; n <= len; n++) {
            int t = ceilDiv(len, n);
            if (t != last && ceilDiv(len, t) == n) out.add(t);
            last = t;
        }
        if (!out.contains(1)) out.add(1);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int max(int[] v) {
        int m = 0;
        for (int x : v) m = Math.max(m, x);
        return m;
    }

    private static double mean(int[] v) {
        long s = 0;
        for (int x : v) s += x;
        return v.length == 0 ? 0 : (double) s / v.length;
    }

    /** Largest sum of {@code v} over tiles of length {@code tile}. */
    static long maxWindowSum(int[] v, int tile) {
        long best = 0;
        for (int s = 0; s < v.length; s += tile) {
            long sum = 0;
            for (int i = s; i < Math.min(v.length, s + tile); i++) sum += v[i];
            best = Math.max(best, sum);
        }
        return best;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        throw new IllegalStateException("tile length " + v + " is not a candidate");
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static String fmt(long n) {
        return String.format("%,d", n);
    }
}
