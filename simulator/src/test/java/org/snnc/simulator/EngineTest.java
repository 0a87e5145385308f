package org.snnc.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/** The event engine against hand-computed counts and against the dense reference. */
class EngineTest {

    /** Ticks: synop 1, update 2, spike out 3, within tile 1, east-west 4, north-south 5, chip 10, barrier 100; 10 ns each. */
    static final Costs COSTS = new Costs(10.0, 1, 2, 3, 1, 4, 5, 10, 100, 0);

    static final InputSpikes ALWAYS = step -> new int[] {0};

    /**
     * One input channel onto neuron A (core 0, chip 0, tile (0,0)); A onto B (core 1, chip 0,
     * tile (1,0)) and C (core 2, chip 1, tile (0,0)). Two 2x2 chips side by side, so C's router
     * is (2,0) on the global grid. Every neuron fires when v > 0.
     */
    static Program chain() {
        return Programs.of(new Program.Mesh(2, 1, 2, 2, 1),
                List.of(new Program.InputGroup("x", "poisson", 0, 1)),
                List.of(new Program.Population(0, "a", 1, 0, Programs.eager(), Programs.unit()),
                        new Program.Population(1, "bc", 2, 1, Programs.eager(), Programs.unit())),
                new int[][] {{0, 0, 1}, {1, 1, 1}, {1, 2, 1}},
                new int[] {0, 0, 1}, new int[] {0, 1, 0}, new int[] {0, 0, 0}, new int[] {0, 1, 2},
                List.of(new Program.SynapticLayer("fc1", "dense", 1, 0, -1, 0), new Program.SynapticLayer("fc2", "dense", 2, -1, 0, 1)));
    }

    @Test
    void handCountedChain() {
        for (Engine engine : new Engine[] {new EventEngine(1), new EventEngine(3), new DenseEngine()}) {
            SimResult r = engine.run(chain(), COSTS, 3, ALWAYS, Engine.Options.recording());
            // Step 0: the input reaches A (1 AC), A fires. Steps 1, 2: the input reaches A and A's
            // spike of the step before reaches B and C (3 ACs); all three fire.
            assertEquals(List.of(List.of(0), List.of(0, 1, 2), List.of(0, 1, 2)),
                    r.spikeTrain().stream().map(a -> java.util.Arrays.stream(a).boxed().toList()).toList());
            assertArrayEquals(new long[] {3, 4}, r.popSpikes());
            assertArrayEquals(new long[] {3, 4}, r.popSynOps());
            assertArrayEquals(new long[] {3, 6}, r.popUpdates());
            assertArrayEquals(new long[] {3}, r.inputSpikes());
            // A's 3 spikes, 2 packets each: to core 1 one east-west hop; to core 2 one east-west
            // hop, then the chip edge between global x 1 and 2.
            assertArrayEquals(new long[] {6, 0, 0}, r.core().packets());
            assertArrayEquals(new long[] {6, 0, 0}, r.core().hopsEastWest());
            assertArrayEquals(new long[] {3, 0, 0}, r.core().hopsInterChip());
            assertEquals(0, r.hopsNorthSouth() + r.hopsWithinTile());
            assertEquals(9, r.totalHops());
            // Busy ticks per step: step 0 core 0 = 1 AC + 1 update x 2 + 1 spike x 3 = 6, cores 1, 2 = 2;
            // steps 1, 2: every core 1 + 2 + 3 = 6.
            assertArrayEquals(new long[] {18, 14, 14}, r.core().busyTicks());
            // Network each step: link (0,0)E carries 2 packets x 4 = 8, link (1,0)E 1 x 10 = 10; the
            // longest path 4 + 10 = 14 bounds it. Step = 6 + 14 + 100.
            assertArrayEquals(new long[] {120, 120, 120}, r.stepTicks());
            assertEquals(360, r.totalTicks());
        }
    }

    @Test
    void aBiasDrivesANeuronWithoutInput() {
        // No leak, threshold 10, hard reset, bias 4 and no synapse: v = 4, 8, 12 -> fires, 4, 8, 12 -> fires...
        // A second neuron with bias -4 never fires and saturates at the 16-bit voltage's floor.
        NeuronParams p = new NeuronParams(0, Overflow.WRAP, 16, Overflow.SATURATE, LeakForm.NONE, 0, 0, 0, 0, 10, 0, 0,
                ResetMode.ZERO, false);
        Program one = Programs.of(new Program.Mesh(1, 1, 1, 1, 1), List.of(new Program.InputGroup("x", "poisson", 0, 1)),
                List.of(new Program.Population(0, "a", 2, 0, p, Programs.unit(), new int[] {4, -4})), new int[0][],
                new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0, 0}, List.of());
        // A 9-step program: the bias of a population reading the input is on for all 9 steps.
        Program prog = new Program(new Program.Header(Program.FORMAT_VERSION, "test", List.of(), "test", 0, 9), one.mesh(),
                one.inputs(), one.populations(), one.synapses(), one.layers(), one.cores(), one.routes(), one.host());
        for (Engine engine : new Engine[] {new EventEngine(1), new DenseEngine()}) {
            SimResult r = engine.run(prog, COSTS, 9, step -> new int[0], Engine.Options.recording());
            List<List<Integer>> train = r.spikeTrain().stream().map(a -> java.util.Arrays.stream(a).boxed().toList()).toList();
            for (int t = 0; t < 9; t++) assertEquals(t % 3 == 2 ? List.of(0) : List.of(), train.get(t), "step " + t);
            assertArrayEquals(new long[] {3}, r.popSpikes());
            assertArrayEquals(new long[] {0}, r.popSynOps());
        }
        NeuronReference.State s = new NeuronReference.State(0, -32766);
        NeuronReference.step(p, s, 0, -4);
        assertEquals(-32767, s.v);
    }

    @Test
    void aBiasIsOnForItsPopulationsWindowOfTimesteps() {
        // Input -> A -> B, a 2-step program; B (delay 1) has bias 5 and threshold 10, no leak, and A never fires
        // (its threshold is out of reach). B's bias is on at steps 1 and 2 only: v = 0, 5, 10, 10, 10.
        NeuronParams quiet = new NeuronParams(0, Overflow.WRAP, 16, Overflow.SATURATE, LeakForm.NONE, 0, 0, 0, 0, 10000, 0, 0,
                ResetMode.ZERO, false);
        NeuronParams b = new NeuronParams(0, Overflow.WRAP, 16, Overflow.SATURATE, LeakForm.NONE, 0, 0, 0, 0, 10, 0, 0,
                ResetMode.ZERO, false);
        Program one = Programs.of(new Program.Mesh(1, 1, 1, 1, 1), List.of(new Program.InputGroup("x", "poisson", 0, 1)),
                List.of(new Program.Population(0, "a", 1, 0, quiet, Programs.unit()),
                        new Program.Population(1, "b", 1, 1, b, Programs.unit(), new int[] {5})),
                new int[][] {{0, 0, 1}, {1, 1, 1}}, new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0, 0},
                List.of(new Program.SynapticLayer("fc1", "dense", 1, 0, -1, 0), new Program.SynapticLayer("fc2", "dense", 1, -1, 0, 1)));
        Program prog = new Program(new Program.Header(Program.FORMAT_VERSION, "test", List.of(), "test", 0, 2), one.mesh(),
                one.inputs(), one.populations(), one.synapses(), one.layers(), one.cores(), one.routes(), one.host());
        assertArrayEquals(new int[] {0, 1}, Pipeline.delays(prog));
        for (Engine engine : new Engine[] {new EventEngine(1), new DenseEngine()}) {
            SimResult r = engine.run(prog, COSTS, 5, step -> new int[0], Engine.Options.quiet());
            assertEquals(10, r.finalV()[1], engine.getClass().getSimpleName());
            assertArrayEquals(new long[] {0, 0}, r.popSpikes());
        }
    }

    /**
     * Three neurons A0..A2 on core 0 feed B on core 1 (same tile) and C on core 2 (the tile below):
     * one within-tile hop and one north-south hop per spike, and the south link, carrying three
     * packets, is busier than any single path is long.
     */
    @Test
    void handCountedSerialisationOnABusyLink() {
        Program p = Programs.of(new Program.Mesh(1, 1, 1, 2, 2),
                List.of(new Program.InputGroup("x", "poisson", 0, 1)),
                List.of(new Program.Population(0, "a", 3, 0, Programs.eager(), Programs.unit()),
                        new Program.Population(1, "bc", 2, 3, Programs.eager(), Programs.unit())),
                new int[][] {{0, 0, 1}, {0, 1, 1}, {0, 2, 1}, {1, 3, 1}, {1, 4, 1}, {2, 3, 1}, {2, 4, 1}, {3, 3, 1}, {3, 4, 1}},
                new int[] {0, 0, 0}, new int[] {0, 0, 0}, new int[] {0, 0, 1}, new int[] {0, 0, 0, 1, 2}, List.of());
        for (Engine engine : new Engine[] {new EventEngine(2), new DenseEngine()}) {
            SimResult r = engine.run(p, COSTS, 2, ALWAYS, Engine.Options.recording());
            assertArrayEquals(new long[] {6, 2}, r.popSpikes());
            // Step 0: 3 input ACs; step 1: 3 input ACs + 3 onto B + 3 onto C.
            assertArrayEquals(new long[] {6, 6}, r.popSynOps());
            assertArrayEquals(new long[] {6, 3, 3}, r.core().synOps());
            assertArrayEquals(new long[] {6, 0, 0}, r.core().hopsWithinTile());
            assertArrayEquals(new long[] {6, 0, 0}, r.core().hopsNorthSouth());
            assertEquals(12, r.totalHops());
            // Core 0 each step: 3 ACs + 3 updates x 2 + 3 spikes x 3 = 18 (slowest). Links: local
            // 3 x 1 = 3, south 3 x 5 = 15 > the longest path 5. Step = 18 + 15 + 100 = 133.
            assertArrayEquals(new long[] {133, 133}, r.stepTicks());
            // Cores 1, 2: step 0 one update (2); step 1 3 ACs + 2 + 1 spike x 3 = 8.
            assertArrayEquals(new long[] {36, 10, 10}, r.core().busyTicks());
        }
    }

    @Test
    void handCountedEnergy() {
        SimResult r = new EventEngine(1).run(chain(), COSTS, 3, ALWAYS, Engine.Options.quiet());
        Energy.Paper paper = Energy.paper(chain(), r, false);
        // R(fc1) = 3 input spikes / 1 channel; R(fc2) = 3 spikes of A / 1 neuron.
        // E_SNN = (1 x 3 + 2 x 3) x 0.9 = 8.1; E_ANN = (1 + 2) x 4.6 = 13.8
        assertEquals(8.1, paper.snnPj(), 1e-12);
        assertEquals(13.8, paper.annPj(), 1e-12);
        assertEquals(3.0, paper.layers().get(1).rate());
        // First layer as MACs: 1 x 4.6 + 2 x 3 x 0.9 = 10.0
        assertEquals(10.0, Energy.paper(chain(), r, true).snnPj(), 1e-12);
    }

    @Test
    void enginesAgreeOnRandomPrograms() {
        SplittableRandom random = new SplittableRandom(20261127);
        long spikes = 0;
        for (int trial = 0; trial < 400; trial++) {
            Program p = Programs.random(random);
            Costs costs = new Costs(1.0, random.nextInt(4), random.nextInt(4), random.nextInt(4), random.nextInt(4), random.nextInt(6),
                    random.nextInt(6), random.nextInt(20), random.nextInt(50), random.nextInt(200));
            int steps = 1 + random.nextInt(20);
            InputSpikes in = InputSpikes.poisson(p.inputChannels(), random.nextDouble(), random.nextLong());
            SimResult dense = new DenseEngine().run(p, costs, steps, in, Engine.Options.recording());
            // Half the trials on the general tables (64-bit sums), which small programs do not otherwise reach.
            boolean general = random.nextBoolean();
            SimResult event = new EventEngine(1 + random.nextInt(3), general).run(p, costs, steps, in, Engine.Options.recording());
            assertNull(event.differenceFrom(dense), "trial " + trial + (general ? " (general tables)" : ""));
            spikes += dense.totalSpikes();
        }
        // The property is only worth something if the programs are active.
        assertTrue(spikes > 10_000, "random programs too quiet: " + spikes + " spikes");
    }

    @Test
    void busyCoresAgreeWithTheReference() {
        // 300 inputs and 8 recurrent neurons on two cores: each core's inbox holds hundreds of
        // segments a step, many times the scatter's read-ahead chunk.
        SplittableRandom random = new SplittableRandom(5);
        int inputs = 300, size = 8;
        List<int[]> synapses = new ArrayList<>();
        for (int s = 0; s < inputs + size; s++) {
            for (int t = 0; t < size; t++) {
                if (random.nextInt(4) != 0) synapses.add(new int[] {s, t, random.nextInt(-40, 41)});
            }
        }
        Program p = Programs.of(new Program.Mesh(1, 1, 2, 1, 1), List.of(new Program.InputGroup("x", "poisson", 0, inputs)),
                List.of(new Program.Population(0, "a", size, 0, Programs.eager(), Programs.unit())),
                synapses.toArray(new int[0][]), new int[] {0, 0}, new int[] {0, 1}, new int[] {0, 0},
                new int[] {0, 0, 0, 0, 1, 1, 1, 1},
                List.of(new Program.SynapticLayer("fc", "dense", inputs * size, 0, -1, 0),
                        new Program.SynapticLayer("rec", "dense", size * size, -1, 0, 0)));
        InputSpikes in = InputSpikes.poisson(inputs, 0.6, 3);
        SimResult dense = new DenseEngine().run(p, COSTS, 30, in, Engine.Options.recording());
        assertTrue(dense.totalSpikes() > 30, "too quiet: " + dense.totalSpikes());
        for (EventEngine engine : new EventEngine[] {new EventEngine(1), new EventEngine(2), new EventEngine(3, true)}) {
            assertNull(engine.run(p, COSTS, 30, in, Engine.Options.recording()).differenceFrom(dense));
        }
    }

    @Test
    void threadsDoNotChangeTheResult() {
        SplittableRandom random = new SplittableRandom(99);
        for (int trial = 0; trial < 20; trial++) {
            Program p = Programs.random(random);
            InputSpikes in = InputSpikes.poisson(p.inputChannels(), 0.5, trial);
            SimResult one = new EventEngine(1).run(p, COSTS, 15, in, Engine.Options.recording());
            SimResult four = new EventEngine(4).run(p, COSTS, 15, in, Engine.Options.recording());
            assertNull(one.differenceFrom(four), "trial " + trial);
        }
    }

    @Test
    void aCancelledRunStopsAndSaysSo() {
        AtomicInteger seen = new AtomicInteger();
        Engine.Options options = new Engine.Options(false, seen::set, () -> seen.get() >= 2);
        SimResult r = new EventEngine(2).run(chain(), COSTS, 10, ALWAYS, options);
        assertEquals(2, r.steps());
        assertTrue(r.interrupted());
        assertArrayEquals(new long[] {120, 120}, r.stepTicks());
        assertArrayEquals(new long[] {2, 2}, r.popSpikes());
    }

    @Test
    void poissonInputIsSeededPerStepAndNearItsRate() {
        InputSpikes a = InputSpikes.poisson(10_000, 0.2, 5);
        assertArrayEquals(a.at(3), InputSpikes.poisson(10_000, 0.2, 5).at(3));
        int n = a.at(0).length;
        assertTrue(Math.abs(n - 2000) < 200, "spikes " + n);
        assertTrue(!java.util.Arrays.equals(a.at(0), a.at(1)));
    }
}
