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
import org.snnc.compiler.mapping.Wired;
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
        for (int round = 0; round < 120; round++) {
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
            Target t = Targets.of(1 + rnd.nextInt(4), 1 + rnd.nextInt(4), 1 + rnd.nextInt(3), 1 + rnd.nextInt(2),
                    1 + rnd.nextInt(2), neurons, 8 + rnd.nextInt(400), fanOutOne ? neurons : 8 + rnd.nextInt(2000),
                    64 + rnd.nextInt(60000), fanOutOne ? 4 : 0, join, join ? 1 + rnd.nextInt(neurons) : 1, fanOutOne,
                    1 + rnd.nextInt(8));
            try {
                PopulationGraph g = Populations.run(ir);
                Partitioned p = Partition.run(g, t);
                Wired w = Connect.run(p);
                Placed pl = Place.run(w, 7, 10);
                Routed r = Route.run(pl);
                check(ir, g, t, w, pl, r);
                mapped++;
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
