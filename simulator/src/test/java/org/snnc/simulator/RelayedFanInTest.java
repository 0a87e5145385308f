package org.snnc.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.program.MappedPlacement;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.ProgramReader;
import org.snnc.compiler.program.ProgramWriter;
import org.snnc.compiler.program.SeededWeights;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/**
 * TrueNorth's relayed fan-in in a program: a neuron with more inputs than a core's 256 axons reads
 * them through positive and negative relay neurons, one pair per share.
 */
class RelayedFanInTest {

    // 3x3 over 32 channels: 288 inputs per neuron, more than 256 axons.
    static final String NET = """
            network Relayed(T: int = 10) {
              timesteps T
              neuron lif = LIF(leak: 0.95, threshold: 1.0, reset: subtract)
              input x: [2, 6, 6] encode poisson
              a = x -> conv(32, kernel: 3, padding: 1) -> lif
              output y = a -> conv(4, kernel: 3, padding: 1) -> lif -> flatten -> dense(3) -> accumulate
            }
            """;

    static Program build() {
        Diagnostics d = new Diagnostics();
        SpikingIr ir = Frontend.compileText("relayed.snn", NET, Map.of(), d).orElseThrow(() -> new AssertionError(d.sorted()));
        Target t = TargetLoader.preset("truenorth");
        MappedPlacement m = MappedPlacement.of(ir, t);
        assertTrue(m.unsupported().isEmpty(), m.unsupported().toString());
        return ProgramBuilder.build(ir, t, new SeededWeights(3, 3.0, 0.1), m).program();
    }

    @Test
    void relaysCarryEveryShareOnceWithBothSigns() {
        Program p = build();
        Program.Population lif2 = p.populations().stream().filter(q -> q.layer().equals("lif2")).findFirst().orElseThrow();
        List<Program.Population> relays = new ArrayList<>();
        for (Program.Population q : p.populations()) if (q.relays() && q.soma() == lif2.id()) relays.add(q);
        assertTrue(relays.size() >= 4 && relays.size() % 2 == 0, "relay populations " + relays.size());
        int shares = relays.size() / 2;
        int inputs = p.inputChannels();
        // Per lif2 neuron: its synapses are 2 per share, from its own relays, with plus or minus one weight.
        List<List<String>> somaIn = incoming(p);
        int widest = 0;
        for (int i = 0; i < lif2.size(); i++) {
            List<String> in = somaIn.get(lif2.offset() + i);
            assertEquals(2 * shares, in.size(), "neuron " + i + ": " + in);
            for (String e : in) {
                int src = Integer.parseInt(e.split(":")[0]) - inputs;
                Program.Population from = popOf(p, src);
                assertTrue(from.relays() && from.soma() == lif2.id() && src - from.offset() == i, e);
                int m = Integer.parseInt(e.split(":")[1]);
                assertEquals(from.layer().endsWith("+") ? 255 : -255, m, e);
            }
            // The shares partition the layer's inputs; a negative relay mirrors its positive twin.
            List<String> all = new ArrayList<>();
            for (int j = 0; j < shares; j++) {
                List<String> plus = somaIn.get(relays.get(2 * j).offset() + i);
                List<String> minus = somaIn.get(relays.get(2 * j + 1).offset() + i);
                assertEquals(plus.size(), minus.size());
                for (int k = 0; k < plus.size(); k++) {
                    String[] a = plus.get(k).split(":"), b = minus.get(k).split(":");
                    assertEquals(a[0], b[0]);
                    assertEquals(-Integer.parseInt(a[1]), Integer.parseInt(b[1]));
                }
                all.addAll(plus);
            }
            long distinct = all.stream().map(e -> e.split(":")[0]).distinct().count();
            assertEquals(all.size(), distinct, "a source in two shares of neuron " + i);
            widest = Math.max(widest, all.size());
        }
        assertTrue(widest > 256, "the widest neuron reads " + widest + " inputs");
        // Relays add one step before the neuron: lif2 lags lif1 by two steps, not one.
        Program.Population lif1 = p.populations().stream().filter(q -> q.layer().equals("lif1")).findFirst().orElseThrow();
        assertEquals(Pipeline.delays(p)[lif1.id()] + 2, Pipeline.delays(p)[lif2.id()]);
    }

    @Test
    void bothEnginesAgreeOnARelayedProgram() throws Exception {
        // Through the file: relays keep their kind, soma and floor.
        Program p = ProgramReader.read(ProgramWriter.toBytes(build()));
        for (Program.Population q : p.populations()) {
            assertEquals(q.relays(), q.params().floor(), q.layer());
            if (q.relays()) assertEquals("lif2", p.populations().get(q.soma()).layer());
        }
        Costs costs = Costs.of(TargetLoader.preset("truenorth"));
        int steps = 8;
        SimResult event = new EventEngine(2).run(p, costs, steps, InputSpikes.poisson(p.inputChannels(), 0.4, 5), Engine.Options.recording());
        SimResult dense = new DenseEngine().run(p, costs, steps, InputSpikes.poisson(p.inputChannels(), 0.4, 5), Engine.Options.recording());
        assertNull(event.differenceFrom(dense));
        long relaySpikes = 0;
        for (Program.Population q : p.populations()) if (q.relays()) relaySpikes += event.popSpikes()[q.id()];
        assertTrue(relaySpikes > 0, "no relay fired");
        assertArrayEquals(dense.finalV(), event.finalV());
    }

    private static Program.Population popOf(Program p, int neuron) {
        for (Program.Population q : p.populations()) if (neuron >= q.offset() && neuron < q.offset() + q.size()) return q;
        throw new AssertionError("neuron " + neuron);
    }

    /** Every neuron's incoming synapses as sorted "source:mantissa". */
    private static List<List<String>> incoming(Program p) {
        List<List<String>> in = new ArrayList<>();
        for (int n = 0; n < p.neurons(); n++) in.add(new ArrayList<>());
        for (int src = 0; src < p.synapses().sources(); src++) {
            int from = src;
            p.forEachSynapse(src, (t, m) -> in.get(t).add(from + ":" + m));
        }
        for (List<String> l : in) Collections.sort(l);
        return in;
    }
}
