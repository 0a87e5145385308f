package org.snnc.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.snnc.compiler.program.IntList;
import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.TargetCores;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/**
 * The event-driven, cycle-level engine. A time step has two parallel phases over the cores,
 * separated by a barrier, then a short serial part:
 * <ol>
 *   <li>{@link Run#scatter scatter} (per core): the core adds the synapses of the segments in its
 *       inboxes into its own neurons' sums. A segment is a run of one source's explicit row onto
 *       one core and population, read in place from a packed copy of the rows.</li>
 *   <li>{@link Run#update update} (per core): the core updates all its neurons in the target's
 *       integer arithmetic, lists its spikes, puts their segments in the inboxes of the cores they
 *       reach (in its thread's own inbox set, so no two threads write one inbox) and loads its
 *       packet routes.</li>
 *   <li>serial (the caller's thread, the other threads waiting): the network (the busiest link of
 *       the step's routes), the step's length, recording and progress; then the next step's input
 *       spikes are put in the inboxes and kernel synapses, generated from the kernels' geometry,
 *       are added straight into the sums.</li>
 * </ol>
 * No core updates before every core has scattered, so a phase that reads the sums of other cores
 * fits between the two. Work is proportional to spikes: a spike scatters contiguous runs of its
 * row. Each core owns its sums, its neurons and its counters, and integer sums do not depend on
 * order, so the result is the same bit for bit with any number of threads and any schedule.
 */
public final class EventEngine implements Engine {

    /** Neurons a core may have for the packed synapse table: a core-local index in 16 bits. */
    private static final int PACKED_CORE_LIMIT = 1 << 16;

    /** Segments whose first cache lines are read ahead of scattering them (a few kB of table). */
    private static final int TOUCH_AHEAD = 64;

    private final int threads;
    private final boolean general;

    /** @param threads host threads for the cores' work; 1 runs everything on the caller's thread */
    public EventEngine(int threads) {
        this(threads, false);
    }

    /**
     * @param general use the general tables (64-bit sums, the program's own target and mantissa
     *                arrays) even where the packed ones fit: the path of programs with cores
     *                over 65,536 neurons or sums that may exceed 32 bits, kept testable on small ones
     */
    EventEngine(int threads, boolean general) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive, got " + threads);
        this.threads = threads;
        this.general = general;
    }

    @Override
    public SimResult run(Program program, Costs costs, int steps, InputSpikes input, Options options) {
        return new Run(program, costs, threads, general).execute(steps, input, options);
    }

    /** One run's tables and state. */
    private static final class Run {
        final Program p;
        final Costs costs;
        final int inputs, neurons, cores, pops, threads;
        final int[] popOf;
        final int[] groupOfChannel;
        final int[] coreOf;
        // A neuron's place among its core's neurons (ascending): the index of its sum and of its
        // step in the core's update loop.
        final int[] localOf;

        // Segments of the program's explicit rows (rows are grouped by core): source s owns segments
        // segStart[s] .. segStart[s+1]-1; segment g covers synapses segSpan[3g] .. segSpan[3g+1]-1,
        // all onto core segCore[g] and population segSpan[3g+2].
        int[] segStart, segCore, segSpan;
        // Packed (every core at most 2^16 neurons and 32-bit sums): synapse e as
        // localOf[target] << 16 | mantissa & 0xffff, one load per synapse, and int sums per core.
        // General: the program's arrays and long sums. Exactly one of accInt, accLong is non-null.
        final boolean packed;
        final int[] synPacked;
        final int[] synTarget;
        final short[] synMantissa;
        final int[][] accInt;
        final long[][] accLong;
        // Kernels, their target population's first neuron and the range of sources they read.
        final Program.Kernel[] kernels;
        final int[] kernelOffset, kernelFrom, kernelTo;

        // Packets of neuron n: pktStart[n] .. pktStart[n+1]-1, each a route id (index into routes.dest()).
        // Core k's routes are routeBase[k] .. routeBase[k+1]-1.
        int[] pktStart, pktRoute;
        int[] routeSrc, routeBase;
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
        boolean[] pCurWrap, pVolWrap, pHasCurrent, pIntegrator, pResetZero, pFloor;
        LeakForm[] pLeak;

        // Joined compartments: compartment population i covers neurons joinFrom[i] .. joinTo[i]-1 and
        // joins soma population joinPop[i], whose first neuron is joinSoma[i]; pCompartments marks them.
        // joinOut[k] lists core k's compartments whose sums joined this step (joinCount[k] of them):
        // their packets leave with core k's spikes.
        final int[] joinFrom, joinTo, joinSoma, joinPop;
        final boolean[] pCompartments;
        final int[][] joinOut;
        final int[] joinCount;

        // State.
        final long[] u, v;
        // Inboxes: box[slot][core] holds segment ids (~g for a -1 spike), boxCount[slot][core] of them.
        // Slot w < threads is filled by worker w's updates, slot `threads` by the serial part (inputs).
        final int[][][] box;
        final int[][] boxCount;
        // Per core, this step: spikes (neuron ids), synaptic operations, busy ticks, longest route.
        final int[][] spikeBuf;
        final int[] spikeCount;
        final long[] stepSynOps, coreBusy, corePath;
        // Per core, the routes its spikes loaded this step: touchedRoutes[routeBase[k] + i], i < touchedCount[k].
        int[] touchedRoutes, touchedCount;
        long[] routeLoad;
        long[] linkLoad;
        int[] touchedLinks;
        // Per core and population (k * pops + q), over the run.
        final long[] corePopSpikes, corePopOps;
        // Per core: a sink for the loads that bring segments into cache ahead of the scatter.
        final int[] touched;
        final long[] kernelPopOps;

        // The run in progress: written by the serial part only, read by all threads after a barrier.
        int steps, step, done;
        boolean stop;
        InputSpikes input;
        Options options;
        long[] inputSpikes, stepTicks;
        List<int[]> train;
        SimResult.CoreCounters cc;
        StepBarrier barrier;
        final AtomicInteger nextScatter = new AtomicInteger(), nextUpdate = new AtomicInteger();

        Run(Program p, Costs costs, int threads, boolean general) {
            this.p = p;
            this.costs = costs;
            this.threads = threads;
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
            localOf = new int[neurons];
            synTarget = p.synapses().target();
            synMantissa = p.synapses().mantissa();
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
            pCompartments = new boolean[pops];
            for (Program.Population pop : p.populations()) if (pop.compartments()) joined++;
            joinFrom = new int[joined];
            joinTo = new int[joined];
            joinSoma = new int[joined];
            joinPop = new int[joined];
            int j = 0;
            for (Program.Population pop : p.populations()) {
                if (!pop.compartments()) continue;
                pCompartments[pop.id()] = true;
                joinFrom[j] = pop.offset();
                joinTo[j] = pop.offset() + pop.size();
                joinPop[j] = pop.soma();
                joinSoma[j++] = p.populations().get(pop.soma()).offset();
            }
            buildRuns();
            buildSegments();
            buildRoutes();
            unpackParams();
            joinOut = new int[cores][];
            joinCount = new int[cores];
            if (joined > 0) {
                int[] perCore = new int[cores];
                for (int i = 0; i < joined; i++) for (int c = joinFrom[i]; c < joinTo[i]; c++) perCore[coreOf[c]]++;
                for (int k = 0; k < cores; k++) joinOut[k] = new int[perCore[k]];
            }

            long largestCore = 0;
            for (long c : coreNeurons) largestCore = Math.max(largestCore, c);
            packed = !general && largestCore <= PACKED_CORE_LIMIT && largestInput(p) <= Integer.MAX_VALUE;
            if (packed) {
                synPacked = packCoreMajor();
                accInt = new int[cores][];
                accLong = null;
                for (int k = 0; k < cores; k++) accInt[k] = new int[(int) coreNeurons[k]];
            } else {
                synPacked = null;
                accInt = null;
                accLong = new long[cores][];
                for (int k = 0; k < cores; k++) accLong[k] = new long[(int) coreNeurons[k]];
            }

            box = new int[threads + 1][cores][];
            boxCount = new int[threads + 1][cores];
            spikeBuf = new int[cores][];
            for (int c = 0; c < cores; c++) spikeBuf[c] = new int[(int) coreNeurons[c]];
            spikeCount = new int[cores];
            stepSynOps = new long[cores];
            coreBusy = new long[cores];
            corePath = new long[cores];
            touchedRoutes = new int[routeSrc.length];
            touchedCount = new int[cores];
            routeLoad = new long[routeSrc.length];
            linkLoad = new long[linkTicks.length];
            touchedLinks = new int[linkTicks.length];
            corePopSpikes = new long[cores * pops];
            corePopOps = new long[cores * pops];
            kernelPopOps = new long[pops];
            touched = new int[cores];
        }

        /**
         * The explicit synapses packed, core by core: core k's segments lie together in source
         * order, so a step's spikes, listed in source order, read each core's table forwards
         * rather than across all rows. Rewrites segSpan to the new positions.
         */
        private int[] packCoreMajor() {
            int segments = segCore.length;
            long[] coreStart = new long[cores + 1];
            for (int g = 0; g < segments; g++) coreStart[segCore[g] + 1] += segSpan[3 * g + 1] - segSpan[3 * g];
            for (int k = 0; k < cores; k++) coreStart[k + 1] += coreStart[k];
            int[] packedSyn = new int[synTarget.length];
            int[] cursor = new int[cores];
            for (int k = 0; k < cores; k++) cursor[k] = (int) coreStart[k];
            for (int g = 0; g < segments; g++) {
                int k = segCore[g], from = segSpan[3 * g], to = segSpan[3 * g + 1], at = cursor[k];
                for (int e = from; e < to; e++) packedSyn[at + e - from] = localOf[synTarget[e]] << 16 | synMantissa[e] & 0xffff;
                segSpan[3 * g] = at;
                segSpan[3 * g + 1] = at + to - from;
                cursor[k] = at + to - from;
            }
            return packedSyn;
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
            IntList core = new IntList(), span = new IntList();
            for (int src = 0; src < sources; src++) {
                int previousCore = -1, previousPop = -1;
                for (int k = rs[src]; k < rs[src + 1]; k++) {
                    int t = synTarget[k];
                    if (coreOf[t] != previousCore || popOf[t] != previousPop) {
                        if (previousCore >= 0) span.data[span.size - 2] = k;
                        previousCore = coreOf[t];
                        previousPop = popOf[t];
                        core.add(previousCore);
                        span.add(k);
                        span.add(k);
                        span.add(previousPop);
                    }
                }
                if (previousCore >= 0) span.data[span.size - 2] = rs[src + 1];
                segStart[src + 1] = core.size;
            }
            segCore = core.toArray();
            segSpan = span.toArray();
        }

        private void buildRoutes() {
            Program.Routes r = p.routes();
            Program.Cores c = p.cores();
            Network net = new Network(p.mesh());
            int routes = r.dest().length;
            routeSrc = new int[routes];
            for (int k = 0; k < cores; k++) Arrays.fill(routeSrc, r.start()[k], r.start()[k + 1], k);
            routeBase = r.start();
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
            IntList links = new IntList();
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
            IntList pkt = new IntList();
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
            coreNeurons = new long[cores];
            int[] start = new int[cores + 1];
            for (int n = 0; n < neurons; n++) start[coreOf[n] + 1]++;
            for (int k = 0; k < cores; k++) {
                coreNeurons[k] = start[k + 1];
                start[k + 1] += start[k];
            }
            int[] fill = Arrays.copyOf(start, cores);
            int[] byCore = new int[neurons];
            for (int n = 0; n < neurons; n++) {
                int k = coreOf[n];
                localOf[n] = fill[k] - start[k];
                byCore[fill[k]++] = n;
            }
            runStart = new int[cores + 1];
            IntList from = new IntList(), to = new IntList(), pop = new IntList(), leak = new IntList();
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

        SimResult execute(int steps, InputSpikes input, Options options) {
            this.steps = steps;
            this.input = input;
            this.options = options;
            inputSpikes = new long[p.inputs().size()];
            stepTicks = new long[steps];
            train = options.recordSpikes() ? new ArrayList<>() : null;
            cc = SimResult.CoreCounters.of(cores);
            long loopStart = System.nanoTime();
            if (steps > 0) {
                deliverInputs(0);
                Thread[] team = new Thread[threads];
                team[0] = Thread.currentThread();
                for (int w = 1; w < threads; w++) {
                    int worker = w;
                    team[w] = new Thread(() -> work(worker), "snnc-core-" + w);
                    team[w].setDaemon(true);
                }
                barrier = new StepBarrier(team);
                for (int w = 1; w < threads; w++) team[w].start();
                try {
                    work(0);
                } finally {
                    joinAll(team);
                }
                Throwable failure = barrier.failure();
                if (failure != null) throw new IllegalStateException("a simulation thread failed: " + failure, failure);
            }
            long[] popSpikes = new long[pops], popSynOps = kernelPopOps.clone(), popUpdates = new long[pops];
            for (int k = 0; k < cores; k++) {
                for (int q = 0; q < pops; q++) {
                    popSpikes[q] += corePopSpikes[k * pops + q];
                    popSynOps[q] += corePopOps[k * pops + q];
                }
            }
            for (Program.Population pop : p.populations()) popUpdates[pop.id()] = (long) pop.size() * done;
            return new SimResult(done, done < steps, popSpikes, popSynOps, popUpdates, inputSpikes, cc,
                    done < steps ? Arrays.copyOf(stepTicks, done) : stepTicks, train, u.clone(), v.clone(),
                    (System.nanoTime() - loopStart) / 1e9);
        }

        /** Waits for the other threads of the team, which leave at the barrier the run stopped or failed at. */
        private static void joinAll(Thread[] team) {
            for (int w = 1; w < team.length; w++) {
                try {
                    team[w].join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /**
         * One thread's part of every step: cores are claimed one at a time in each phase, so a
         * busy core does not hold up the others' threads.
         */
        private void work(int worker) {
            try {
                while (true) {
                    for (int k = nextScatter.getAndIncrement(); k < cores; k = nextScatter.getAndIncrement()) scatter(k);
                    // Every core's sums are complete here, before any core updates; joined compartments
                    // add theirs to their somas' in between.
                    barrier.await(worker, joinFrom.length > 0 ? this::joinCompartments : null);
                    for (int k = nextUpdate.getAndIncrement(); k < cores; k = nextUpdate.getAndIncrement()) update(k, worker);
                    barrier.await(worker, this::endStep);
                    if (stop) return;
                }
            } catch (StepBarrier.Broken e) {
                // Another thread failed; the caller reports its failure.
            } catch (RuntimeException | Error e) {
                barrier.fail(e);
                if (worker == 0) throw e;
            }
        }

        /**
         * Core k's inboxes into its sums: each segment's synapses in place, a -1 spike's
         * subtracted. Touches only core k's sums and counters, and empties its inboxes.
         */
        void scatter(int k) {
            if (packed) scatterPacked(k); else scatterGeneral(k);
        }

        private void scatterPacked(int k) {
            int[] span = segSpan, syn = synPacked, acc = accInt[k];
            long ops = 0;
            int popBase = k * pops, touch = 0;
            for (int slot = 0; slot <= threads; slot++) {
                int m = boxCount[slot][k];
                if (m == 0) continue;
                boxCount[slot][k] = 0;
                int[] b = box[slot][k];
                for (int c = 0; c < m; c += TOUCH_AHEAD) {
                    int chunkEnd = Math.min(m, c + TOUCH_AHEAD);
                    // A segment is a few cache lines somewhere in the table: reading the first of
                    // each of the next segments in one tight loop overlaps their misses, where the
                    // scatter loop would wait for each in turn after its mispredicted exit.
                    for (int i = c; i < chunkEnd; i++) {
                        int g = b[i] ^ b[i] >> 31;
                        touch += syn[span[3 * g]];
                    }
                    for (int i = c; i < chunkEnd; i++) {
                        int g = b[i];
                        boolean minus = g < 0;
                        if (minus) g = ~g;
                        int from = span[3 * g], to = span[3 * g + 1];
                        ops += to - from;
                        corePopOps[popBase + span[3 * g + 2]] += to - from;
                        // The low half is the mantissa, sign-extended by the cast to short.
                        if (minus) {
                            for (int e = from; e < to; e++) acc[syn[e] >>> 16] -= (short) syn[e];
                        } else {
                            for (int e = from; e < to; e++) acc[syn[e] >>> 16] += (short) syn[e];
                        }
                    }
                }
            }
            stepSynOps[k] += ops;
            // Kept so that the touching loads are not optimised away.
            touched[k] = touch;
        }

        private void scatterGeneral(int k) {
            int[] span = segSpan, target = synTarget, local = localOf;
            short[] mantissa = synMantissa;
            long[] acc = accLong[k];
            long ops = 0;
            int popBase = k * pops;
            for (int slot = 0; slot <= threads; slot++) {
                int m = boxCount[slot][k];
                if (m == 0) continue;
                boxCount[slot][k] = 0;
                int[] b = box[slot][k];
                for (int i = 0; i < m; i++) {
                    int g = b[i];
                    boolean minus = g < 0;
                    if (minus) g = ~g;
                    int from = span[3 * g], to = span[3 * g + 1];
                    ops += to - from;
                    corePopOps[popBase + span[3 * g + 2]] += to - from;
                    if (minus) {
                        for (int e = from; e < to; e++) acc[local[target[e]]] -= mantissa[e];
                    } else {
                        for (int e = from; e < to; e++) acc[local[target[e]]] += mantissa[e];
                    }
                }
            }
            stepSynOps[k] += ops;
        }

        /**
         * Between scatter and update, on one thread: every joined compartment's non-zero sum is
         * added to its soma's (one synaptic op at the soma's core) and listed for its core's packets.
         */
        private void joinCompartments() {
            for (int i = 0; i < joinFrom.length; i++) {
                int soma = joinSoma[i] - joinFrom[i];
                for (int c = joinFrom[i]; c < joinTo[i]; c++) {
                    int k = coreOf[c], at = localOf[c];
                    long sum = packed ? accInt[k][at] : accLong[k][at];
                    if (sum == 0) continue;
                    int n = soma + c, ks = coreOf[n], to = localOf[n];
                    if (packed) {
                        accInt[ks][to] += (int) sum;
                        accInt[k][at] = 0;
                    } else {
                        accLong[ks][to] += sum;
                        accLong[k][at] = 0;
                    }
                    stepSynOps[ks]++;
                    corePopOps[ks * pops + joinPop[i]]++;
                    joinOut[k][joinCount[k]++] = c;
                }
            }
        }

        /**
         * Core k's step: updates its neurons, lists its spikes, puts their segments in worker's
         * inboxes and loads its routes with their packets. Writes only core k's state and
         * counters and worker's inboxes.
         */
        void update(int k, int worker) {
            int count = 0;
            int[] out = spikeBuf[k];
            int[] ai = packed ? accInt[k] : null;
            long[] al = packed ? null : accLong[k];
            int i = 0;
            for (int r = runStart[k]; r < runStart[k + 1]; r++) {
                int q = runPop[r];
                if (pCompartments[q]) {
                    // Joined compartments keep no state; their sums went to their somas.
                    i += runTo[r] - runFrom[r];
                    continue;
                }
                // The accumulator sums mantissas: every synapse into a population shares its exponent.
                int shiftIn = pShiftIn[q] + pWeightExp[q], decayBits = pDecayBits[q], mulU = pMulU[q], mulV = pMulV[q];
                int curBits = pCurBits[q], volBits = pVolBits[q], linLeak = runLinLeak[r];
                boolean hasCurrent = pHasCurrent[q], curWrap = pCurWrap[q], volWrap = pVolWrap[q];
                boolean integrator = pIntegrator[q], resetZero = pResetZero[q], floor = pFloor[q];
                LeakForm leak = pLeak[q];
                long firing = runFiring[r];
                int[] bias = step >= pBiasFrom[q] && step < pBiasTo[q] ? pBias[q] : null;
                int biasBase = pOffset[q];
                int before = count;
                for (int n = runFrom[r], end = runTo[r]; n < end; n++, i++) {
                    long drive;
                    if (ai != null) {
                        drive = (long) ai[i] << shiftIn;
                        ai[i] = 0;
                    } else {
                        drive = al[i] << shiftIn;
                        al[i] = 0;
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
                    // About one neuron in ten fires, at random: listing it unconditionally and
                    // counting it by the comparison avoids a mispredicted branch per spike.
                    boolean fire = !integrator & x > firing;
                    long reset = resetZero ? 0 : x - firing;
                    v[n] = fire ? reset : x;
                    out[count] = n;
                    count += fire ? 1 : 0;
                }
                corePopSpikes[k * pops + q] += count - before;
            }
            spikeCount[k] = count;

            long ops = stepSynOps[k];
            stepSynOps[k] = 0;
            long busy = ops * costs.synapticOp() + coreNeurons[k] * costs.neuronUpdate() + count * costs.spikeOut();
            coreBusy[k] = busy;
            cc.busyTicks()[k] += busy;
            cc.synOps()[k] += ops;
            cc.updates()[k] += coreNeurons[k];
            cc.spikes()[k] += count;

            // The spikes leave: their segments for the next step, one packet per destination core.
            int base = routeBase[k], touched = 0;
            long packets = 0;
            for (int j = 0; j < count; j++) {
                int n = out[j];
                deliverExplicit(inputs + n, false, worker);
                for (int e = pktStart[n]; e < pktStart[n + 1]; e++) {
                    int r = pktRoute[e];
                    if (routeLoad[r]++ == 0) touchedRoutes[base + touched++] = r;
                }
                packets += pktStart[n + 1] - pktStart[n];
            }
            // Each joined compartment that sent its sum: one packet to its soma's core.
            for (int j = 0; j < joinCount[k]; j++) {
                int c = joinOut[k][j];
                for (int e = pktStart[c]; e < pktStart[c + 1]; e++) {
                    int r = pktRoute[e];
                    if (routeLoad[r]++ == 0) touchedRoutes[base + touched++] = r;
                }
                packets += pktStart[c + 1] - pktStart[c];
            }
            joinCount[k] = 0;
            cc.packets()[k] += packets;
            long path = 0;
            for (int j = base; j < base + touched; j++) {
                int r = touchedRoutes[j];
                long load = routeLoad[r];
                cc.hopsWithinTile()[k] += load * routeTile[r];
                cc.hopsEastWest()[k] += load * routeEw[r];
                cc.hopsNorthSouth()[k] += load * routeNs[r];
                cc.hopsInterChip()[k] += load * routeChip[r];
                path = Math.max(path, routePathTicks[r]);
            }
            touchedCount[k] = touched;
            corePath[k] = path;
        }

        /**
         * The serial end of a step (caller's thread, all cores updated): the routes' loads onto
         * the links, the step's length, recording, progress; then, unless the run stops, the next
         * step's inputs and every kernel synapse of the step's spikes.
         */
        private void endStep() {
            int t = step;
            long slowestCore = 0, longestPath = 0;
            int linksTouched = 0;
            for (int k = 0; k < cores; k++) {
                slowestCore = Math.max(slowestCore, coreBusy[k]);
                longestPath = Math.max(longestPath, corePath[k]);
                for (int j = routeBase[k], end = routeBase[k] + touchedCount[k]; j < end; j++) {
                    int r = touchedRoutes[j];
                    long load = routeLoad[r];
                    routeLoad[r] = 0;
                    for (int l = routeLinkStart[r]; l < routeLinkStart[r + 1]; l++) {
                        int link = routeLink[l];
                        if (linkLoad[link] == 0) touchedLinks[linksTouched++] = link;
                        linkLoad[link] += load;
                    }
                }
                touchedCount[k] = 0;
            }
            long busiestLink = 0;
            for (int i = 0; i < linksTouched; i++) {
                int link = touchedLinks[i];
                busiestLink = Math.max(busiestLink, linkLoad[link] * linkTicks[link]);
                linkLoad[link] = 0;
            }
            stepTicks[t] = Math.max(costs.minStep(), slowestCore + Math.max(busiestLink, longestPath) + costs.barrier());
            if (train != null) {
                int total = 0;
                for (int k = 0; k < cores; k++) total += spikeCount[k];
                int[] spikes = new int[total];
                for (int k = 0, at = 0; k < cores; at += spikeCount[k], k++) System.arraycopy(spikeBuf[k], 0, spikes, at, spikeCount[k]);
                Arrays.sort(spikes);
                train.add(spikes);
            }
            done = t + 1;
            options.progress().stepDone(done);
            if (done == steps || options.cancelled().getAsBoolean()) {
                stop = true;
                return;
            }
            step = t + 1;
            nextScatter.set(0);
            nextUpdate.set(0);
            if (kernels.length > 0) {
                for (int k = 0; k < cores; k++) {
                    for (int j = 0; j < spikeCount[k]; j++) deliverKernels(inputs + spikeBuf[k][j], false);
                }
            }
            deliverInputs(step);
        }

        /** Step t's input spikes: explicit segments into the serial inboxes, kernel synapses into the sums. */
        private void deliverInputs(int t) {
            int[] negative = input.negativeAt(t);
            int neg = 0;
            for (int ch : input.at(t)) {
                inputSpikes[groupOfChannel[ch]]++;
                // A -1 spike of a signed encoding (the negatives are a subset of the spikes, both ascending).
                boolean minus = neg < negative.length && negative[neg] == ch;
                if (minus) neg++;
                deliverExplicit(ch, minus, threads);
                if (kernels.length > 0) deliverKernels(ch, minus);
            }
        }

        /** Puts a spike's explicit segments into the inboxes of slot {@code slot} (a -1 spike as the complement of the segment). */
        private void deliverExplicit(int src, boolean minus, int slot) {
            int[][] boxes = box[slot];
            int[] counts = boxCount[slot];
            for (int g = segStart[src], end = segStart[src + 1]; g < end; g++) {
                int k = segCore[g];
                int[] b = boxes[k];
                int c = counts[k];
                if (b == null || c == b.length) boxes[k] = b = b == null ? new int[16] : Arrays.copyOf(b, 2 * c);
                b[c] = minus ? ~g : g;
                counts[k] = c + 1;
            }
        }

        /** A spike's kernel synapses, straight into the sums (serial part only). */
        private void deliverKernels(int src, boolean minus) {
            for (int i = 0; i < kernels.length; i++) {
                if (src >= kernelFrom[i] && src < kernelTo[i]) {
                    kernelPopOps[kernels[i].population()] += deliverKernel(kernels[i], kernelOffset[i], src - kernelFrom[i], minus);
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
            int[][] ai = accInt;
            long[][] al = accLong;
            long[] ops = stepSynOps;
            int[] core = coreOf, place = localOf;
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
                        int c = core[t];
                        if (ai != null) ai[c][place[t]] += m; else al[c][place[t]] += m;
                        ops[c]++;
                        count++;
                    }
                }
            }
            return count;
        }

        /** Multiply by {@code mul / 2^bits}, truncating the magnitude (Lava's sign-magnitude shift). */
        private static long shiftDecay(long x, long mul, int bits) {
            // Without a branch on the sign, which is as likely one way as the other: s is 0 or -1,
            // (x ^ s) - s is |x|, and (r ^ s) - s gives r its sign back.
            long s = x >> 63;
            long r = (((x ^ s) - s) * mul) >> bits;
            return (r ^ s) - s;
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
}
