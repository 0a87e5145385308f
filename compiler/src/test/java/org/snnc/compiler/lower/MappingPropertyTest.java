package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.mapping.Board;
import org.snnc.compiler.mapping.CoreTile;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.mapping.Partitioned;
import org.snnc.compiler.mapping.Placed;
import org.snnc.compiler.mapping.Population;
import org.snnc.compiler.mapping.PopulationGraph;
import org.snnc.compiler.mapping.Role;
import org.snnc.compiler.mapping.Routed;
import org.snnc.compiler.mapping.SynapticInput;
import org.snnc.compiler.mapping.Tiling;
import org.snnc.compiler.mapping.Wired;
import org.snnc.compiler.mapping.Geometry;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.program.SparseDraw;
import org.snnc.compiler.target.CoreLimits;
import org.snnc.compiler.target.Target;

/**
 * Random small networks (conv, tconv, avgpool, dense, sparse chains, written as .snn text and
 * compiled by the front end) on random targets: every mapping keeps every core within every
 * limit, stores every synapse once and routes every edge to its destination; a network that
 * does not fit fails with MappingErrors only.
 */
class MappingPropertyTest {

    @Test
    void randomNetworksOnRandomTargets() {
        SplittableRandom rnd = new SplittableRandom(20240611L);
        int mapped = 0;
        int refused = 0;
        int relayedMaps = 0;
        for (int round = 0; round < 160; round++) {
            String input = "[" + (1 + rnd.nextInt(3)) + ", " + (4 + rnd.nextInt(9)) + ", " + (4 + rnd.nextInt(9)) + "]";
            StringBuilder body = new StringBuilder();
            int layers = 1 + rnd.nextInt(3);
            for (int l = 0; l < layers; l++) {
                int c = 1 + rnd.nextInt(12);
                switch (rnd.nextInt(5)) {
                    case 0 -> body.append("conv(").append(c).append(", kernel: 3, dilation: ").append(1 + rnd.nextInt(2)).append(")");
                    case 1 -> body.append("conv(").append(c).append(", kernel: ").append(1 + rnd.nextInt(3))
                            .append(", stride: 2, padding: 0)");
                    case 2 -> body.append("avgpool(3, stride: 2, padding: 1) -> conv(").append(c).append(", kernel: 3)");
                    case 3 -> body.append("tconv(").append(c).append(", kernel: 2, stride: 2)");
                    default -> body.append("conv(").append(c).append(", kernel: 1)");
                }
                body.append(" -> lif -> ");
            }
            body.append("flatten -> ");
            if (rnd.nextBoolean()) body.append("sparse(").append(4 + rnd.nextInt(40)).append(", fan_in: 3, seed: 1) -> lif -> ");
            body.append("dense(").append(2 + rnd.nextInt(20)).append(") -> accumulate");
            SpikingIr ir;
            try {
                ir = Nets.of(input, body.toString());
            } catch (AssertionError e) {
                continue; // a map shrank below a kernel: the front end refuses it, not our concern here
            }
            boolean fanOutOne = rnd.nextInt(4) == 0;
            int neurons = 4 + rnd.nextInt(200);
            boolean join = !fanOutOne && rnd.nextBoolean();
            // Relays where there is no join, about every other time: TrueNorth-like targets relay.
            boolean relay = !join && rnd.nextBoolean();
            Target t = Targets.of(1 + rnd.nextInt(4), 1 + rnd.nextInt(4), 1 + rnd.nextInt(3), 1 + rnd.nextInt(2),
                    1 + rnd.nextInt(2), neurons, 8 + rnd.nextInt(400), fanOutOne ? neurons : 8 + rnd.nextInt(2000),
                    64 + rnd.nextInt(60000), fanOutOne ? 4 : 0, join, join ? 1 + rnd.nextInt(neurons) : 1, fanOutOne,
                    1 + rnd.nextInt(8), relay ? "relay" : null);
            try {
                PopulationGraph g = Populations.run(ir);
                Partitioned p = Partition.run(g, t);
                Wired w = Connect.run(p);
                Placed pl = Place.run(w, 7, 10);
                Routed r = Route.run(pl);
                check(ir, g, t, w, pl, r);
                mapped++;
                if (w.cores().stream().anyMatch(c -> c.role() == Role.RELAY)) relayedMaps++;
            } catch (MappingException e) {
                assertTrue(!e.errors().isEmpty());
                assertTrue(e.errors().get(0).render().contains("error[MAP"), e.getMessage());
                refused++;
            } catch (RuntimeException e) {
                fail("round " + round + ": " + body + " on " + t.core() + " threw " + e, e);
            }
        }
        assertTrue(mapped > 20, "mapped " + mapped);
        assertTrue(refused > 5, "refused " + refused);
        assertTrue(relayedMaps > 5, "mappings with relays " + relayedMaps);
    }

    /**
     * Every neuron in exactly one soma core; a relay core holds two relays per neuron of its tile and
     * sends them to its tile's soma cores only, each of which reads two axons per share and neuron;
     * a sparse input's axons per core equal the distinct inputs of SparseDraw's draws.
     */
    private static void checkRelaysAndSparse(PopulationGraph g, Wired w) {
        Partitioned part = w.partitioned();
        long[] somaNeurons = new long[g.populations().size()];
        int[] start = new int[w.cores().size() + 1];
        for (int e = 0; e < w.graph().edges(); e++) start[w.graph().from()[e] + 1]++;
        for (int i = 0; i < w.cores().size(); i++) start[i + 1] += start[i];
        for (CoreTile c : w.cores()) {
            Population pop = g.populations().get(c.population());
            Tiling t = part.tilings().get(c.population());
            if (c.role() == Role.NEURONS) {
                somaNeurons[c.population()] += c.neurons();
                if (t.relay()) assertEquals(2L * t.join() * c.neurons(), c.inputAxons(), "relayed soma " + c);
            }
            if (c.role() == Role.RELAY) {
                long box = (long) (c.c1() - c.c0()) * (c.y1() - c.y0()) * (c.x1() - c.x0());
                assertEquals(2 * box, c.neurons(), "two relays per neuron " + c);
                long sent = 0;
                for (int e = start[c.id()]; e < start[c.id() + 1]; e++) {
                    CoreTile d = w.cores().get(w.graph().to()[e]);
                    assertEquals(Role.NEURONS, d.role(), "a relay core sends to somas only");
                    assertEquals(c.population(), d.population());
                    assertTrue(d.c0() >= c.c0() && d.c1() <= c.c1() && d.y0() == c.y0() && d.x0() == c.x0(), "its tile's soma");
                    sent += w.graph().weight()[e];
                }
                assertEquals(c.neurons(), sent, "every relay neuron reaches its neuron");
                assertTrue(w.fanoutEntries()[c.id()] <= c.neurons());
            }
            int share = t.share(c.slice());
            if (c.role() == Role.SPLITTER || share < 0 || pop.inputs().size() != 1
                    || !(pop.inputs().get(0).geometry() instanceof Geometry.Random r)) {
                continue;
            }
            java.util.BitSet seen = new java.util.BitSet();
            Shape s = pop.shape();
            for (int ch = c.c0(); ch < c.c1(); ch++) {
                for (int y = c.y0(); y < c.y1(); y++) {
                    for (int x = c.x0(); x < c.x1(); x++) {
                        int o = (ch * s.height() + y) * s.width() + x;
                        int[] in = SparseDraw.inputs(r.seed(), o, r.fanIn(), r.inputs());
                        for (int i = (int) Tiling.sliceStart(r.fanIn(), t.join(), share);
                                i < Tiling.sliceStart(r.fanIn(), t.join(), share + 1); i++) {
                            seen.set(in[i]);
                        }
                    }
                }
            }
            long partialSums = !t.relay() && c.slice() == 0 ? (t.join() - 1) * c.neurons() : 0;
            assertEquals(seen.cardinality() + partialSums, c.inputAxons(), "sparse axons counted on the draws " + c);
        }
        for (int p = 0; p < somaNeurons.length; p++) {
            assertEquals(g.populations().get(p).neurons(), somaNeurons[p], "every neuron in one soma core");
        }
    }

    private static void check(SpikingIr ir, PopulationGraph g, Target t, Wired w, Placed pl, Routed r) {
        CoreLimits lim = t.core();
        int bps = Partitioned.bitsPerSynapse(t);
        long stored = 0;
        for (CoreTile c : w.cores()) {
            assertTrue(c.neurons() >= 1 && c.neurons() <= lim.maxNeurons().value(), "neurons " + c);
            assertTrue(c.inputAxons() <= lim.maxInputAxons().value(), "axons " + c);
            assertTrue(c.synapseBits() <= lim.synapseMemoryBits().value(), "bits " + c);
            assertTrue(c.synapseBits() >= c.synapses() * bps);
            assertTrue(w.fanoutEntries()[c.id()] <= lim.maxOutputAxons().value(), "fan-out " + c);
            if (lim.fanOutOne().value() && c.role() != Role.SPLITTER) {
                assertTrue(w.fanoutEntries()[c.id()] <= c.neurons(), "one target per neuron " + c);
            }
            stored += c.synapses();
        }
        checkRelaysAndSparse(g, w);
        long expected = 0;
        for (Population p : g.populations()) {
            for (SynapticInput in : p.inputs()) {
                expected += in.synapses();
                Node layer = ir.node(in.layerNode());
                boolean pooled = in.folded().stream().anyMatch(f -> f.startsWith("avgpool"));
                if (!pooled) assertEquals(layer.synapses(), in.synapses(), layer.name());
            }
            assertTrue(ir.node(p.node()).op() instanceof Op.Spiking || ir.node(p.node()).op() instanceof Op.Accumulate);
        }
        assertEquals(expected, stored, "every synapse stored exactly once");
        // Placement: one core per slot, all on the board.
        Board b = pl.board();
        boolean[] used = new boolean[b.slots()];
        for (int s : pl.slot()) {
            assertTrue(s >= 0 && s < b.slots());
            assertTrue(!used[s], "two cores in one slot");
            used[s] = true;
        }
        assertTrue(pl.cost() <= pl.initialCost(), "improvement never worsens the placement");
        assertEquals(Place.cost(w.graph(), b, pl.slot()), pl.cost(), "the placement's running cost is its traffic x hops");
        for (int e = 1; e < w.graph().edges(); e++) {
            long prev = ((long) w.graph().from()[e - 1] << 32) | w.graph().to()[e - 1];
            long here = ((long) w.graph().from()[e] << 32) | w.graph().to()[e];
            assertTrue(prev < here, "edges sorted by source then destination, each pair once");
        }
        // Route totals: traffic x hops and chip crossings, edge by edge.
        long hops = 0;
        long crossings = 0;
        long packets = 0;
        for (int e = 0; e < w.graph().edges(); e++) {
            int sa = pl.slot()[w.graph().from()[e]];
            int sd = pl.slot()[w.graph().to()[e]];
            hops += (long) w.graph().weight()[e] * b.hops(sa, sd);
            crossings += (long) w.graph().weight()[e] * b.chipCrossings(sa, sd);
            packets += w.graph().weight()[e];
        }
        assertEquals(hops, r.weightedHops());
        assertEquals(crossings, r.weightedChipCrossings());
        assertEquals(packets, r.packets());
        // Routes: every edge in its source's table, every route ends at its destination.
        for (int e = 0; e < w.graph().edges(); e++) {
            int a = w.graph().from()[e];
            int d = w.graph().to()[e];
            boolean found = false;
            for (int i = r.start()[a]; i < r.start()[a + 1]; i++) found |= r.dest()[i] == d;
            assertTrue(found);
            assertEquals(b.hops(pl.slot()[a], pl.slot()[d]), Route.walk(b, pl.slot()[a], pl.slot()[d]));
        }
    }
}
