package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.mapping.CoreTile;
import org.snnc.compiler.mapping.MapCode;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.mapping.Partitioned;
import org.snnc.compiler.mapping.PopulationGraph;
import org.snnc.compiler.mapping.Role;
import org.snnc.compiler.mapping.Tiling;
import org.snnc.compiler.mapping.Wired;
import org.snnc.compiler.target.Target;

class PartitionTest {

    @Test
    void oneChannelConvTiledFourByFour() {
        SpikingIr ir = Nets.of("[1, 8, 8]", "conv(1, kernel: 3) -> lif");
        Target t = Targets.of(4, 4, 1, 1, 1, 16, 64, 64, 1 << 20, 0, false, 1, false, 8);
        Partitioned p = Partition.run(Populations.run(ir), t);
        assertEquals(new Tiling(1, 4, 4, 1, 1, 2, 2), p.tilings().get(0), "16 neurons per core: four 4x4 tiles");
        for (CoreTile c : p.cores()) {
            assertEquals(16, c.neurons());
            assertEquals(25, c.inputAxons(), "a 4x4 tile at a border reads 5x5 inputs");
        }
        assertEquals(ir.node(1).synapses(), p.cores().stream().mapToLong(CoreTile::synapses).sum());
        assertEquals(ir.node(1).synapses() * 8, p.cores().stream().mapToLong(CoreTile::synapseBits).sum());
    }

    @Test
    void interiorTileReadsSixBySix() {
        SpikingIr ir = Nets.of("[1, 12, 12]", "conv(1, kernel: 3) -> lif");
        Target t = Targets.of(4, 4, 1, 1, 1, 16, 64, 64, 1 << 20, 0, false, 1, false, 8);
        Partitioned p = Partition.run(Populations.run(ir), t);
        assertEquals(9, p.cores().size());
        CoreTile middle = p.cores().stream().filter(c -> c.y0() == 4 && c.x0() == 4).findFirst().orElseThrow();
        assertEquals(36, middle.inputAxons());
        CoreTile corner = p.cores().stream().filter(c -> c.y0() == 0 && c.x0() == 0).findFirst().orElseThrow();
        assertEquals(25, corner.inputAxons());
    }

    @Test
    void fanInOverTheAxonLimitJoinsCompartments() {
        // 100 inputs per neuron, 64 axons per core: two compartments of 50 inputs each; the soma's
        // core also takes one axon per neuron for the other compartment's partial sum.
        SpikingIr ir = Nets.of("[100]", "dense(4) -> lif");
        Target t = Targets.of(2, 2, 1, 1, 1, 64, 64, 64, 1 << 20, 0, true, 4, false, 8);
        Partitioned p = Partition.run(Populations.run(ir), t);
        assertEquals(2, p.tilings().get(0).join());
        List<CoreTile> cores = p.cores();
        assertEquals(2, cores.size());
        assertEquals(Role.NEURONS, cores.get(0).role());
        assertEquals(50 + 4, cores.get(0).inputAxons());
        assertEquals(Role.COMPARTMENTS, cores.get(1).role());
        assertEquals(50, cores.get(1).inputAxons());
        assertEquals(400, cores.get(0).synapses() + cores.get(1).synapses());
        Wired w = Connect.run(p);
        assertEquals(1, w.fanout()[1], "the compartment sends its partial sums to the soma's core");
        assertEquals(4, w.fanoutEntries()[1]);
    }

    @Test
    void fanInOverTheAxonLimitIsRelayedWhereTheTargetRelays() {
        // 100 inputs per neuron, 64 axons per core, no join: two shares of 50 inputs on two relay
        // cores of 2 x 4 relays each; the soma core reads 2 shares x 2 signs x 4 neurons = 16 axons.
        SpikingIr ir = Nets.of("[100]", "dense(4) -> lif");
        Target t = Targets.of(2, 2, 1, 1, 1, 64, 64, 64, 1 << 20, 0, false, 1, false, 8, "relay");
        Partitioned p = Partition.run(Populations.run(ir), t);
        Tiling tiling = p.tilings().get(0);
        assertEquals(2, tiling.join());
        assertTrue(tiling.relay());
        List<CoreTile> cores = p.cores();
        assertEquals(3, cores.size());
        assertEquals(Role.NEURONS, cores.get(0).role());
        assertEquals(4, cores.get(0).neurons());
        assertEquals(16, cores.get(0).inputAxons());
        assertEquals(0, cores.get(0).synapses());
        for (CoreTile c : cores.subList(1, 3)) {
            assertEquals(Role.RELAY, c.role());
            assertEquals(8, c.neurons());
            assertEquals(50, c.inputAxons());
            assertEquals(200, c.synapses(), "each connection counted once");
            assertEquals(2 * 200 * 8, c.synapseBits(), "the positive and the negative relay both store it");
        }
        Wired w = Connect.run(p);
        assertEquals(1, w.fanout()[1], "a relay core sends to its soma's core only");
        assertEquals(8, w.fanoutEntries()[1]);
        var m = MapNetwork.report(Route.run(Place.run(w)));
        assertEquals("relay", m.layers().get(0).split());
        assertEquals(2, m.layers().get(0).relayCores());
        assertTrue(m.approximations().stream().anyMatch(a -> a.startsWith("dense1 -> lif1: 100 inputs per neuron > 64")),
                m.approximations().toString());
        // Without the relay key the same target refuses the layer.
        Target none = Targets.of(2, 2, 1, 1, 1, 64, 64, 64, 1 << 20, 0, false, 1, false, 8, "none");
        MappingException e = assertThrows(MappingException.class, () -> Partition.run(Populations.run(ir), none));
        assertEquals(MapCode.INPUT_AXONS, e.errors().get(0).code());
    }

    @Test
    void withoutJoinTheErrorNamesLayerLimitAndFix() {
        SpikingIr ir = Nets.of("[2, 8, 8]", "conv(4, kernel: 3) -> lif -> conv(4, kernel: 3) -> lif");
        Target t = Targets.of(2, 2, 1, 1, 1, 64, 16, 64, 1 << 20, 0, false, 1, false, 8);
        MappingException e = assertThrows(MappingException.class, () -> Partition.run(Populations.run(ir), t));
        assertEquals(2, e.errors().size(), "both convs need 18 or 36 axons for one neuron");
        assertEquals(MapCode.INPUT_AXONS, e.errors().get(0).code());
        assertEquals("test.snn:5:19: error[MAP001]: layer conv1 (feeding lif1) needs 18 input axons per core for a 1x1"
                + " tile (one neuron); the target allows 16\n"
                + "  help: reduce the channels of x (the input of conv1) to 1 (from 2), or use a target with larger cores\n"
                + "  help: use a target with at least 18 input axons per core\n"
                + "  help: or a target that splits a neuron's inputs over several cores (core.fan_in_split: join with"
                + " compartment_join, or relay)",
                e.errors().get(0).render());
    }

    @Test
    void synapseMemoryIsPerConnection() {
        // 9 synapses per neuron at 8 bits: 72 bits; 100 bits per core hold one neuron.
        SpikingIr ir = Nets.of("[1, 4, 4]", "conv(2, kernel: 3) -> lif");
        Target t = Targets.of(8, 8, 1, 1, 1, 64, 64, 64, 100, 0, false, 1, false, 8);
        Partitioned p = Partition.run(Populations.run(ir), t);
        assertEquals(32, p.cores().size());
        assertTrue(p.cores().stream().allMatch(c -> c.synapseBits() <= 100));
    }

    @Test
    void avgpoolFoldsIntoTheConvAndUpsampleIsHostSide() {
        SpikingIr ir = Nets.of("[1, 8, 8]", "conv(2, kernel: 3) -> lif -> avgpool(2) -> conv(3, kernel: 1) -> accumulate"
                + " -> upsample(8, mode: nearest)");
        PopulationGraph g = Populations.run(ir);
        assertEquals(2, g.populations().size());
        var in = g.populations().get(1).inputs().get(0);
        assertEquals(List.of("avgpool1"), in.folded());
        assertEquals("lif1", in.sourceName());
        // Each 1x1 output reads the 2x2 window under it, all 2 channels: 8 axons, 3 x 16 x 8 synapses.
        assertEquals(3L * 16 * 8, in.synapses());
        assertTrue(g.hostOps().stream().anyMatch(h -> h.node().equals("upsample1")));
    }

    @Test
    void upsampleBetweenPopulationsIsAnError() {
        SpikingIr ir = Nets.of("[1, 4, 4]", "conv(2, kernel: 3) -> lif -> upsample(8, mode: nearest) -> conv(2, kernel: 3) -> lif");
        MappingException e = assertThrows(MappingException.class, () -> Populations.run(ir));
        assertEquals(MapCode.NOT_ON_CHIP, e.errors().get(0).code());
        assertTrue(e.errors().get(0).message().startsWith("layer upsample1 (upsample) feeds lif2"));
    }

    @Test
    void tooManyDestinationsForOneSplitterCoreIsALocatedError() {
        // Cores of 4 neurons: dense(32) takes 8 cores, each lif1 neuron reaches all 8, and a
        // splitter core holds 4 splitter neurons.
        SpikingIr ir = Nets.of("[4]", "dense(4) -> lif -> dense(32) -> lif");
        Target t = Targets.of(4, 4, 1, 1, 1, 4, 16, 4, 1 << 20, 4, false, 1, true, 8);
        MappingException e = assertThrows(MappingException.class, () -> Partition.run(Populations.run(ir), t));
        assertEquals(MapCode.FAN_OUT, e.errors().get(0).code());
        assertEquals("every tiling of layer dense2 (feeding lif2) that fits a core makes a neuron of its input reach 8 or"
                + " more of its cores; a neuron may target one axon only, and one splitter core holds 4 splitter neurons",
                e.errors().get(0).message());
    }

    @Test
    void fanOutOneAddsSplitters() {
        // Every lif1 neuron reaches both channel groups of the dense layer: two destination
        // cores, so each of the 16 neurons needs two splitter neurons.
        SpikingIr ir = Nets.of("[16]", "dense(16) -> lif -> dense(32) -> lif");
        Target t = Targets.of(4, 4, 1, 1, 1, 16, 16, 16, 1 << 20, 4, false, 1, true, 8);
        Wired w = Connect.run(Partition.run(Populations.run(ir), t));
        long splitters = w.cores().stream().filter(c -> c.role() == Role.SPLITTER).mapToLong(CoreTile::neurons).sum();
        assertEquals(32, splitters);
        assertEquals(2, w.cores().stream().filter(c -> c.role() == Role.SPLITTER).count());
        for (CoreTile c : w.cores()) assertTrue(w.fanoutEntries()[c.id()] <= 16);
    }
}
