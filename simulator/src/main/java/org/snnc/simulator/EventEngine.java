package org.snnc.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.TargetCores;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/**
 * The event-driven, cycle-level engine. A time step:
 * <ol>
 *   <li>delivery (one thread, fixed order): the input spikes of this step and the neurons' spikes
 *       of the previous step are put in the inboxes of the cores holding their targets, as
 *       segments of the program's explicit rows (one per source, core and population), and their
 *       kernel synapses, generated from the kernels' geometry, are added into the targets' sums;</li>
 *   <li>cores (in parallel): each core adds the mantissas of its inbox into its neurons' sums
 *       ({@code scatter}); then every joined compartment's sum joins its soma's (one thread, one
 *       synaptic op at the soma's core and one packet from the compartment's core per non-zero
 *       sum); then each core updates its neurons in the target's integer arithmetic and lists its
 *       spikes ({@code update});</li>
 *   <li>network (one thread, core order): each spike is one packet per destination core; packets
 *       load the links of their dimension-order routes; the step lasts the slowest core, then the
 *       busiest link or longest path, then the barrier.</li>
 * </ol>
 * Synaptic work is proportional to spikes: a spike scatters contiguous runs of (target, mantissa)
 * pairs, read in place from the program, and the taps of its kernels. Each core owns its neurons and integer sums do not depend on order, so the result is
 * the same with any number of threads.
 */
public final class EventEngine implements Engine {

    private final int threads;

    /** @param threads host threads for the cores' work; 1 runs everything on the caller's thread */
    public EventEngine(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive, got " + threads);
        this.threads = threads;
    }

    @Override
    public SimResult run(Program program, Costs costs, int steps, InputSpikes input, Options options) {
        Run run = new Run(program, costs);
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "snnc-core");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            return run.execute(steps, input, options, pool, threads);
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }

    /** One run's tables and state. */
    private static final class Run {
        final Program p;
        final Costs costs;
        final int inputs, neurons, cores, pops;
        final int[] popOf;
        final int[] groupOfChannel;

        // Segments of the program's explicit rows, read in place (rows are grouped by core): source s
        // owns segments segStart[s] .. segStart[s+1]-1; segment g covers synapses segBegin[g] ..
        // segEnd[g]-1, all onto core segCore[g] and population segPop[g].
        int[] segStart, segCore, segPop, segBegin, segEnd;
        final int[] synTarget;
        final short[] synMantissa;
        final int[] coreOf;
        // Kernels, their target population's first neuron and the range of sources they read.
        final Program.Kernel[] kernels;
        final int[] kernelOffset, kernelFrom, kernelTo;

        // Packets of neuron n: pktStart[n] .. pktStart[n+1]-1, each a route id (index into routes.dest()).
        int[] pktStart, pktRoute;
        int[] routeSrc;
        int[] routeLinkStart, routeLink;
        long[] routeTile, routeEw, routeNs, routeChip, routePathTicks;
        long[] linkTicks;

        // Each core's neurons as runs of consecutive neurons of one population (and one channel, where
        // the population has per-channel scales), with the run's firing level and linear leak.
        int[] runStart, runFrom, runTo, runPop, runLinLeak;
        long[] runFiring;
        long[] coreNeurons;

        // Per-population arithmetic, unpacked for the update loop.
        int[] pShiftIn, pWeightExp, pCurBits, pVolBits, pDecayBits, pMulU, pMulV, pOffset;
        // Per population, its neurons' biases (null: none).
        int[][] pBias;
        // Per population, the steps its bias is on (Pipeline): from, to (exclusive).
        int[] pBiasFrom, pBiasTo;
        // The step being computed.
        int step;
        boolean[] pCurWrap, pVolWrap, pHasCurrent, pIntegrator, pResetZero, pFloor;
        LeakForm[] pLeak;

        // Joined compartments: compartment population i covers neurons joinFrom[i] .. joinTo[i]-1 and
        // joins soma population joinPop[i], whose first neuron is joinSoma[i]; pCompartments marks them.
        int[] joinFrom, joinTo, joinSoma, joinPop;
        boolean[] pCompartments;

        // State.
        final long[] u, v;
        // Each neuron's sum of mantissas this step: ints when no neuron's synapses can reach 2^31
        // in magnitude (a smaller table stays in cache), longs otherwise; exactly one is non-null.
        final int[] accInt;
        final long[] accLong;
        int[][] inbox;
        int[] inboxCount;
        int[][] spikeBuf;
        int[] spikeCount;
        long[] stepSynOps;

        Run(Program p, Costs costs) {
            this.p = p;
            this.costs = costs;
            inputs = p.inputChannels();
            neurons = p.neurons();
            cores = p.cores().count();
            pops = p.populations().size();
            popOf = new int[neurons];
            for (Program.Population pop : p.populations()) Arrays.fill(popOf, pop.offset(), pop.offset() + pop.size(), pop.id());
            groupOfChannel = new int[inputs];
            for (int g = 0; g < p.inputs().size(); g++) {
                Program.InputGroup ig = p.inputs().get(g);
                Arrays.fill(groupOfChannel, ig.offset(), ig.offset() + ig.count(), g);
            }
            u = new long[neurons];
            v = new long[neurons];
            coreOf = p.cores().coreOfNeuron();
            synTarget = p.synapses().target();
            synMantissa = p.synapses().mantissa();
            boolean narrow = largestInput(p) <= Integer.MAX_VALUE;
            accInt = narrow ? new int[neurons] : null;
            accLong = narrow ? null : new long[neurons];
            kernels = p.synapses().kernels().toArray(new Program.Kernel[0]);
            kernelOffset = new int[kernels.length];
            kernelFrom = new int[kernels.length];
            kernelTo = new int[kernels.length];
            for (int i = 0; i < kernels.length; i++) {
                kernelOffset[i] = p.populations().get(kernels[i].population()).offset();
                kernelFrom[i] = kernels[i].sourceBase();
                kernelTo[i] = kernels[i].sourceBase() + kernels[i].sources();
            }
            int joined = 0;
            for (Program.Population pop : p.populations()) if (pop.compartments()) joined++;
            joinFrom = new int[joined];
            joinTo = new int[joined];
            joinSoma = new int[joined];
            joinPop = new int[joined];
            pCompartments = new boolean[pops];
            int j = 0;
            for (Program.Population pop : p.populations()) {
                if (!pop.compartments()) continue;
                pCompartments[pop.id()] = true;
                joinFrom[j] = pop.offset();
                joinTo[j] = pop.offset() + pop.size();
                joinPop[j] = pop.soma();
                joinSoma[j++] = p.populations().get(pop.soma()).offset();
            }
            buildSegments();
            buildRoutes();
            buildRuns();
            unpackParams();
            inbox = new int[cores][16];
            inboxCount = new int[cores];
            spikeBuf = new int[cores][];
            for (int c = 0; c < cores; c++) spikeBuf[c] = new int[(int) coreNeurons[c]];
            spikeCount = new int[cores];
            stepSynOps = new long[cores];
        }

        /** The largest sum of |mantissa| over any neuron's synapses: what its accumulator may reach in one step. */
        private static long largestInput(Program p) {
            long[] bound = new long[p.neurons()];
            Program.Synapses s = p.synapses();
            for (int e = 0; e < s.explicit(); e++) bound[s.target()[e]] += Math.abs(s.mantissa()[e]);
            for (Program.Kernel k : s.kernels()) {
                long max = 0;
                for (short m : k.mantissa()) max = Math.max(max, Math.abs(m));
                Program.Population pop = p.populations().get(k.population());
                for (int n = pop.offset(); n < pop.offset() + pop.size(); n++) bound[n] += max * k.maxFanIn();
            }
            // A soma's sum takes its compartments' sums too.
            for (Program.Population pop : p.populations()) {
                if (!pop.compartments()) continue;
                int soma = p.populations().get(pop.soma()).offset();
                for (int i = 0; i < pop.size(); i++) bound[soma + i] += bound[pop.offset() + i];
            }
            long largest = 0;
            for (long b : bound) largest = Math.max(largest, b);
            return largest;
        }

        private void buildSegments() {
            Program.Synapses s = p.synapses();
            int sources = s.sources();
            int[] rs = s.rowStart();
            segStart = new int[sources + 1];
            ArrayInts core = new ArrayInts(), pop = new ArrayInts(), begin = new ArrayInts(), end = new ArrayInts();
            for (int src = 0; src < sources; src++) {
                int previousCore = -1, previousPop = -1;
                for (int k = rs[src]; k < rs[src + 1]; k++) {
                    int t = synTarget[k];
                    if (coreOf[t] != previousCore || popOf[t] != previousPop) {
                        if (previousCore >= 0) end.add(k);
                        previousCore = coreOf[t];
                        previousPop = popOf[t];
                        core.add(previousCore);
                        pop.add(previousPop);
                        begin.add(k);
                    }
                }
                if (previousCore >= 0) end.add(rs[src + 1]);
                segStart[src + 1] = core.size;
            }
            segCore = core.toArray();
            segPop = pop.toArray();
            segBegin = begin.toArray();
            segEnd = end.toArray();
        }

        private void buildRoutes() {
            Program.Routes r = p.routes();
            Program.Cores c = p.cores();
            Network net = new Network(p.mesh());
            int routes = r.dest().length;
            routeSrc = new int[routes];
            for (int k = 0; k < cores; k++) Arrays.fill(routeSrc, r.start()[k], r.start()[k + 1], k);
            linkTicks = new long[net.links()];
            for (int gy = 0; gy < net.height; gy++) {
                for (int gx = 0; gx < net.width; gx++) {
                    linkTicks[net.link(gx, gy, Network.LOCAL)] = costs.hopWithinTile();
                    for (int port = 0; port < Network.LOCAL; port++) {
                        linkTicks[net.link(gx, gy, port)] = net.crossesChip(gx, gy, port) ? costs.hopInterChip()
                                : port <= Network.WEST ? costs.hopEastWest() : costs.hopNorthSouth();
                    }
                }
            }
            routeTile = new long[routes];
            routeEw = new long[routes];
            routeNs = new long[routes];
            routeChip = new long[routes];
            routePathTicks = new long[routes];
            routeLinkStart = new int[routes + 1];
            ArrayInts links = new ArrayInts();
            for (int id = 0; id < routes; id++) {
                int from = routeSrc[id], to = r.dest()[id];
                int x = net.globalX(c, from), y = net.globalY(c, from);
                int tx = net.globalX(c, to), ty = net.globalY(c, to);
                if (from != to && x == tx && y == ty) {
                    links.add(net.link(x, y, Network.LOCAL));
                    routeTile[id] = 1;
                }
                while (x != tx) {
                    int port = tx > x ? Network.EAST : Network.WEST;
                    if (net.crossesChip(x, y, port)) routeChip[id]++; else routeEw[id]++;
                    links.add(net.link(x, y, port));
                    x += tx > x ? 1 : -1;
                }
                while (y != ty) {
                    int port = ty > y ? Network.SOUTH : Network.NORTH;
                    if (net.crossesChip(x, y, port)) routeChip[id]++; else routeNs[id]++;
                    links.add(net.link(x, y, port));
                    y += ty > y ? 1 : -1;
                }
                routeLinkStart[id + 1] = links.size;
                long ticks = 0;
                for (int i = routeLinkStart[id]; i < links.size; i++) ticks += linkTicks[links.data[i]];
                routePathTicks[id] = ticks;
            }
            routeLink = links.toArray();

            // A neuron's packets: one per distinct destination core of its synapses, explicit or kernel.
            pktStart = new int[neurons + 1];
            ArrayInts pkt = new ArrayInts();
            TargetCores reach = new TargetCores(p.populations(), p.synapses(), coreOf, cores);
            int[] dests = new int[cores];
            for (int n = 0; n < neurons; n++) {
                int count = reach.of(inputs + n, dests);
                Arrays.sort(dests, 0, count);
                int own = c.coreOfNeuron()[n];
                for (int i = 0; i < count; i++) pkt.add(Arrays.binarySearch(r.dest(), r.start()[own], r.start()[own + 1], dests[i]));
                pktStart[n + 1] = pkt.size;
            }
            pktRoute = pkt.toArray();
        }

        private void buildRuns() {
            int[] coreOf = p.cores().coreOfNeuron();
            coreNeurons = new long[cores];
            int[] start = new int[cores + 1];
            for (int n = 0; n < neurons; n++) start[coreOf[n] + 1]++;
            for (int k = 0; k < cores; k++) {
                coreNeurons[k] = start[k + 1];
                start[k + 1] += start[k];
            }
            int[] fill = Arrays.copyOf(start, cores);
            int[] byCore = new int[neurons];
            for (int n = 0; n < neurons; n++) byCore[fill[coreOf[n]]++] = n;
            runStart = new int[cores + 1];
            ArrayInts from = new ArrayInts(), to = new ArrayInts(), pop = new ArrayInts(), leak = new ArrayInts();
            List<Program.Population> populations = p.populations();
            long[] firing = new long[Math.max(16, neurons)];
            for (int k = 0; k < cores; k++) {
                for (int i = start[k]; i < start[k + 1]; i++) {
                    int n = byCore[i];
                    Program.Population q = populations.get(popOf[n]);
                    int local = n - q.offset();
                    if (from.size > runStart[k] && to.data[to.size - 1] == n && pop.data[pop.size - 1] == popOf[n]
                            && (q.channels() == null || q.channelOf(local) == q.channelOf(local - 1))) {
                        to.data[to.size - 1] = n + 1;
                    } else {
                        firing[from.size] = q.firingLevel(local);
                        from.add(n);
                        to.add(n + 1);
                        pop.add(popOf[n]);
                        leak.add(q.linearLeak(local));
                    }
                }
                runStart[k + 1] = from.size;
            }
            runFrom = from.toArray();
            runTo = to.toArray();
            runPop = pop.toArray();
            runLinLeak = leak.toArray();
            runFiring = Arrays.copyOf(firing, from.size);
        }

        private void unpackParams() {
            pShiftIn = new int[pops];
            pWeightExp = new int[pops];
            pCurBits = new int[pops];
            pVolBits = new int[pops];
            pDecayBits = new int[pops];
            pMulU = new int[pops];
            pMulV = new int[pops];
            pOffset = new int[pops];
            pBias = new int[pops][];
            pBiasFrom = new int[pops];
            pBiasTo = new int[pops];
            int[] delays = Pipeline.delays(p);
            pCurWrap = new boolean[pops];
            pVolWrap = new boolean[pops];
            pHasCurrent = new boolean[pops];
            pIntegrator = new boolean[pops];
            pResetZero = new boolean[pops];
            pFloor = new boolean[pops];
            pLeak = new LeakForm[pops];
            for (Program.Population pop : p.populations()) {
                NeuronParams n = pop.params();
                int i = pop.id();
                pShiftIn[i] = n.synapticShift();
                pWeightExp[i] = pop.quant().weightExponent();
                pCurBits[i] = n.currentBits();
                pVolBits[i] = n.voltageBits();
                pDecayBits[i] = n.decayBits();
                pMulU[i] = (1 << n.decayBits()) - n.decayU();
                pMulV[i] = (1 << n.decayBits()) - n.decayV();
                pOffset[i] = pop.offset();
                pBias[i] = pop.bias();
                pBiasFrom[i] = delays[i];
                pBiasTo[i] = delays[i] + p.header().timesteps();
                pCurWrap[i] = n.currentOverflow() == Overflow.WRAP;
                pVolWrap[i] = n.voltageOverflow() == Overflow.WRAP;
                pHasCurrent[i] = n.currentBits() > 0;
                pIntegrator[i] = n.integrator();
                pResetZero[i] = n.reset() == ResetMode.ZERO;
                pFloor[i] = n.floor();
                pLeak[i] = n.leak();
            }
        }

        SimResult execute(int steps, InputSpikes input, Options options, ExecutorService pool, int threads) {
            long[] popSpikes = new long[pops], popSynOps = new long[pops], popUpdates = new long[pops];
            long[] inputSpikes = new long[p.inputs().size()];
            SimResult.CoreCounters cc = SimResult.CoreCounters.of(cores);
            long[] stepTicks = new long[steps];
            List<int[]> train = options.recordSpikes() ? new ArrayList<>() : null;
            long[] routeLoad = new long[routeSrc.length];
            int[] touchedRoutes = new int[routeSrc.length];
            long[] linkLoad = new long[linkTicks.length];
            int[] touchedLinks = new int[linkTicks.length];
            int[] previous = new int[0];
            int previousCount = 0;
            int[] next = new int[Math.max(1, neurons)];
            long[] popSize = new long[pops];
            for (Program.Population pop : p.populations()) popSize[pop.id()] = pop.size();

            boolean joins = joinFrom.length > 0;
            AtomicInteger nextCore = new AtomicInteger();
            // Without joined compartments a core scatters and updates in one go; with them, every core
            // scatters before the compartments join and any core updates.
            List<Callable<Void>> whole = workers(threads, nextCore, k -> {
                scatter(k);
                update(k);
            });
            List<Callable<Void>> scatters = workers(threads, nextCore, this::scatter);
            List<Callable<Void>> updates = workers(threads, nextCore, this::update);

            int done = 0;
            long loopStart = System.nanoTime();
            for (int t = 0; t < steps; t++) {
                step = t;
                // 1. Delivery: this step's input spikes, then the neurons' spikes of the last step.
                Arrays.fill(inboxCount, 0);
                Arrays.fill(stepSynOps, 0);
                int[] negative = input.negativeAt(t);
                int neg = 0;
                for (int ch : input.at(t)) {
                    inputSpikes[groupOfChannel[ch]]++;
                    // A -1 spike of a signed encoding (the negatives are a subset of the spikes, both ascending).
                    boolean minus = neg < negative.length && negative[neg] == ch;
                    if (minus) neg++;
                    deliver(ch, minus, popSynOps);
                }
                for (int i = 0; i < previousCount; i++) deliver(inputs + previous[i], false, popSynOps);

                // 2. Cores.
                int routesTouched = 0;
                if (!joins) {
                    runCores(pool, whole, nextCore, k -> {
                        scatter(k);
                        update(k);
                    });
                } else {
                    runCores(pool, scatters, nextCore, this::scatter);
                    for (int i = 0; i < joinFrom.length; i++) {
                        int soma = joinSoma[i] - joinFrom[i];
                        for (int c = joinFrom[i]; c < joinTo[i]; c++) {
                            long sum = accInt != null ? accInt[c] : accLong[c];
                            if (sum == 0) continue;
                            if (accInt != null) {
                                accInt[soma + c] += (int) sum;
                                accInt[c] = 0;
                            } else {
                                accLong[soma + c] += sum;
                                accLong[c] = 0;
                            }
                            stepSynOps[coreOf[soma + c]]++;
                            popSynOps[joinPop[i]]++;
                            cc.packets()[coreOf[c]]++;
                            int r = pktRoute[pktStart[c]];
                            if (routeLoad[r]++ == 0) touchedRoutes[routesTouched++] = r;
                        }
                    }
                    runCores(pool, updates, nextCore, this::update);
                }

                // 3. Spikes leave their cores; the network carries them.
                long slowestCore = 0;
                int nextCount = 0;
                for (int k = 0; k < cores; k++) {
                    long busy = stepSynOps[k] * costs.synapticOp() + coreNeurons[k] * costs.neuronUpdate()
                            + spikeCount[k] * costs.spikeOut();
                    cc.busyTicks()[k] += busy;
                    cc.synOps()[k] += stepSynOps[k];
                    cc.updates()[k] += coreNeurons[k];
                    cc.spikes()[k] += spikeCount[k];
                    slowestCore = Math.max(slowestCore, busy);
                    int[] buf = spikeBuf[k];
                    for (int i = 0; i < spikeCount[k]; i++) {
                        int n = buf[i];
                        popSpikes[popOf[n]]++;
                        next[nextCount++] = n;
                        for (int q = pktStart[n]; q < pktStart[n + 1]; q++) {
                            int r = pktRoute[q];
                            if (routeLoad[r]++ == 0) touchedRoutes[routesTouched++] = r;
                        }
                        cc.packets()[k] += pktStart[n + 1] - pktStart[n];
                    }
                }
                for (int i = 0; i < pops; i++) popUpdates[i] += popSize[i];
                long longestPath = 0;
                int linksTouched = 0;
                for (int i = 0; i < routesTouched; i++) {
                    int r = touchedRoutes[i];
                    long load = routeLoad[r];
                    routeLoad[r] = 0;
                    int src = routeSrc[r];
                    cc.hopsWithinTile()[src] += load * routeTile[r];
                    cc.hopsEastWest()[src] += load * routeEw[r];
                    cc.hopsNorthSouth()[src] += load * routeNs[r];
                    cc.hopsInterChip()[src] += load * routeChip[r];
                    longestPath = Math.max(longestPath, routePathTicks[r]);
                    for (int l = routeLinkStart[r]; l < routeLinkStart[r + 1]; l++) {
                        int link = routeLink[l];
                        if (linkLoad[link] == 0) touchedLinks[linksTouched++] = link;
                        linkLoad[link] += load;
                    }
                }
                long busiestLink = 0;
                for (int i = 0; i < linksTouched; i++) {
                    int link = touchedLinks[i];
                    busiestLink = Math.max(busiestLink, linkLoad[link] * linkTicks[link]);
                    linkLoad[link] = 0;
                }
                stepTicks[t] = Math.max(costs.minStep(), slowestCore + Math.max(busiestLink, longestPath) + costs.barrier());
                if (train != null) {
                    int[] spikes = Arrays.copyOf(next, nextCount);
                    Arrays.sort(spikes);
                    train.add(spikes);
                }
                int[] swap = previous.length >= next.length ? previous : new int[next.length];
                previous = next;
                previousCount = nextCount;
                next = swap;
                done = t + 1;
                options.progress().stepDone(done);
                if (options.cancelled().getAsBoolean()) break;
            }
            return new SimResult(done, done < steps, popSpikes, popSynOps, popUpdates, inputSpikes, cc,
                    done < steps ? Arrays.copyOf(stepTicks, done) : stepTicks, train, u.clone(), v.clone(), (System.nanoTime() - loopStart) / 1e9);
        }

        /**
         * Puts a spike's explicit segments into the inboxes of their cores (a -1 spike as the
         * complement of the segment, so the core subtracts) and adds its kernel synapses straight
         * into the accumulators: delivery is one thread, and a core reads them only after.
         */
        private void deliver(int src, boolean minus, long[] popSynOps) {
            for (int g = segStart[src]; g < segStart[src + 1]; g++) {
                int k = segCore[g];
                int len = segEnd[g] - segBegin[g];
                popSynOps[segPop[g]] += len;
                stepSynOps[k] += len;
                int[] box = inbox[k];
                if (inboxCount[k] == box.length) inbox[k] = box = Arrays.copyOf(box, box.length * 2);
                box[inboxCount[k]++] = minus ? ~g : g;
            }
            for (int i = 0; i < kernels.length; i++) {
                if (src >= kernelFrom[i] && src < kernelTo[i]) {
                    popSynOps[kernels[i].population()] += deliverKernel(kernels[i], kernelOffset[i], src - kernelFrom[i], minus);
                }
            }
        }

        /** The synapses of one source of a kernel's block, generated from its geometry; returns how many. */
        private long deliverKernel(Program.Kernel k, int offset, int local, boolean minus) {
            int inW = k.inWidth(), plane = k.inHeight() * inW;
            int ci = local / plane, iy = (local % plane) / inW, ix = local % inW;
            int outW = k.outWidth(), outPlane = k.outHeight() * outW, outC = k.outChannels();
            int padH = k.padH(), padW = k.padW(), sH = k.strideH(), sW = k.strideW();
            int[] rowClass = k.rowClass(), colClass = k.colClass();
            short[] w = k.mantissa();
            int[] ai = accInt;
            long[] al = accLong;
            long[] ops = stepSynOps;
            int[] core = coreOf;
            long count = 0;
            int dH = k.dilationH(), dW = k.dilationW(), kH = k.kernelH(), kW = k.kernelW(), outH = k.outHeight();
            for (int ky = 0; ky < kH; ky++) {
                int oy = Program.Kernel.outOf(iy, ky, padH, dH, sH, outH);
                if (oy < 0) continue;
                for (int kx = 0; kx < kW; kx++) {
                    int ox = Program.Kernel.outOf(ix, kx, padW, dW, sW, outW);
                    if (ox < 0) continue;
                    int at = k.at(rowClass[oy], colClass[ox], ci, ky, kx);
                    int t = offset + oy * outW + ox;
                    for (int co = 0; co < outC; co++, t += outPlane) {
                        int m = w[at + co];
                        if (m == 0) continue;
                        if (minus) m = -m;
                        if (ai != null) ai[t] += m; else al[t] += m;
                        ops[core[t]]++;
                        count++;
                    }
                }
            }
            return count;
        }

        private List<Callable<Void>> workers(int threads, AtomicInteger nextCore, java.util.function.IntConsumer work) {
            List<Callable<Void>> list = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                list.add(() -> {
                    for (int k = nextCore.getAndIncrement(); k < cores; k = nextCore.getAndIncrement()) work.accept(k);
                    return null;
                });
            }
            return list;
        }

        /** Every core's {@code work}: on this thread without a pool, else spread over the pool's threads. */
        private void runCores(ExecutorService pool, List<Callable<Void>> workers, AtomicInteger nextCore,
                java.util.function.IntConsumer work) {
            if (pool == null) {
                for (int k = 0; k < cores; k++) work.accept(k);
                return;
            }
            nextCore.set(0);
            try {
                for (Future<Void> f : pool.invokeAll(workers)) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("simulation interrupted while cores were running", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a core's update failed", e.getCause());
            }
        }

        /** One core's inbox into its neurons' sums. Touches only its own neurons. */
        void scatter(int k) {
            int[] box = inbox[k];
            int[] ai = accInt;
            long[] al = accLong;
            int[] target = synTarget;
            short[] mantissa = synMantissa;
            int[] begin = segBegin, finish = segEnd;
            for (int i = 0, m = inboxCount[k]; i < m; i++) {
                int g = box[i];
                if (ai != null) {
                    if (g >= 0) {
                        for (int e = begin[g], end = finish[g]; e < end; e++) ai[target[e]] += mantissa[e];
                    } else {
                        for (int e = begin[~g], end = finish[~g]; e < end; e++) ai[target[e]] -= mantissa[e];
                    }
                } else if (g >= 0) {
                    for (int e = begin[g], end = finish[g]; e < end; e++) al[target[e]] += mantissa[e];
                } else {
                    for (int e = begin[~g], end = finish[~g]; e < end; e++) al[target[e]] -= mantissa[e];
                }
            }
        }

        /** One core's neurons updated from their sums, its spikes listed. Joined compartments hold no state. */
        void update(int k) {
            int[] ai = accInt;
            long[] al = accLong;
            int count = 0;
            int[] out = spikeBuf[k];
            for (int r = runStart[k]; r < runStart[k + 1]; r++) {
                int q = runPop[r];
                if (pCompartments[q]) continue;
                // The accumulator sums mantissas: every synapse into a population shares its exponent.
                int shiftIn = pShiftIn[q] + pWeightExp[q], decayBits = pDecayBits[q], mulU = pMulU[q], mulV = pMulV[q];
                int curBits = pCurBits[q], volBits = pVolBits[q], linLeak = runLinLeak[r];
                boolean hasCurrent = pHasCurrent[q], curWrap = pCurWrap[q], volWrap = pVolWrap[q];
                boolean integrator = pIntegrator[q], resetZero = pResetZero[q], floor = pFloor[q];
                LeakForm leak = pLeak[q];
                long firing = runFiring[r];
                int[] bias = step >= pBiasFrom[q] && step < pBiasTo[q] ? pBias[q] : null;
                int biasBase = pOffset[q];
                for (int n = runFrom[r], end = runTo[r]; n < end; n++) {
                    long drive;
                    if (ai != null) {
                        drive = (long) ai[n] << shiftIn;
                        ai[n] = 0;
                    } else {
                        drive = al[n] << shiftIn;
                        al[n] = 0;
                    }
                    if (hasCurrent) {
                        long cu = shiftDecay(u[n], mulU, decayBits) + drive;
                        cu = curWrap ? wrap(cu, curBits) : saturate(cu, curBits);
                        u[n] = cu;
                        drive = cu;
                    }
                    long x = v[n];
                    if (leak == LeakForm.MULTIPLICATIVE) {
                        x = shiftDecay(x, mulV, decayBits);
                    } else if (leak == LeakForm.LINEAR) {
                        x = x > linLeak ? x - linLeak : x < -linLeak ? x + linLeak : 0;
                    }
                    x += drive;
                    if (bias != null) x += bias[n - biasBase];
                    x = volWrap ? wrap(x, volBits) : saturate(x, volBits);
                    if (floor && x < 0) x = 0;
                    if (!integrator && x > firing) {
                        x = resetZero ? 0 : x - firing;
                        out[count++] = n;
                    }
                    v[n] = x;
                }
            }
            spikeCount[k] = count;
        }

        /** Multiply by {@code mul / 2^bits}, truncating the magnitude (Lava's sign-magnitude shift). */
        private static long shiftDecay(long x, long mul, int bits) {
            return x >= 0 ? (x * mul) >> bits : -((-x * mul) >> bits);
        }

        /**
         * Into {@code (-2^(bits-1), 2^(bits-1)]}, as Lava wraps u. The modulus is a power of two, so
         * the floor modulo is a mask (bits <= 32 leaves the sum far from long overflow).
         */
        private static long wrap(long x, int bits) {
            long half = 1L << (bits - 1);
            return ((x + half - 1) & ((half << 1) - 1)) - half + 1;
        }

        private static long saturate(long x, int bits) {
            long max = (1L << (bits - 1)) - 1;
            return x > max ? max : x < -max ? -max : x;
        }
    }

    /** A growable int array for building tables. */
    static final class ArrayInts {
        int[] data = new int[16];
        int size;

        void add(int x) {
            if (size == data.length) data = Arrays.copyOf(data, size * 2);
            data[size++] = x;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
