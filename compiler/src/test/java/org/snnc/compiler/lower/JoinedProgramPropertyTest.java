package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.program.MappedPlacement;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.SeededWeights;
import org.snnc.compiler.program.SequentialPlacement;
import org.snnc.compiler.target.Target;

/**
 * Random networks on random targets that join compartments or relay shares: the program built on
 * the mapping holds every synapse of every neuron exactly once, shared out between the soma and its
 * compartments (or its positive relays, the negative ones mirroring them), with the mantissa the
 * same network gets on cores that take every input whole.
 */
class JoinedProgramPropertyTest {

    @Test
    void joinedProgramsHoldEverySynapseOnce() {
        SplittableRandom rnd = new SplittableRandom(20261128L);
        int joinedPrograms = 0;
        int relayedPrograms = 0;
        for (int round = 0; round < 120; round++) {
            String input = "[" + (1 + rnd.nextInt(4)) + ", " + (4 + rnd.nextInt(7)) + ", " + (4 + rnd.nextInt(7)) + "]";
            StringBuilder body = new StringBuilder();
            for (int l = 0, layers = 1 + rnd.nextInt(3); l < layers; l++) {
                int c = 1 + rnd.nextInt(10);
                switch (rnd.nextInt(4)) {
                    case 0 -> body.append("conv(").append(c).append(", kernel: 3, padding: 1, dilation: ").append(1 + rnd.nextInt(2)).append(")");
                    case 1 -> body.append("avgpool(2, stride: 1) -> conv(").append(c).append(", kernel: 3, padding: 1)");
                    case 2 -> body.append("conv(").append(c).append(", kernel: 2, stride: 2, padding: 0)");
                    default -> body.append("conv(").append(c).append(", kernel: 1)");
                }
                body.append(" -> lif -> ");
            }
            body.append("flatten -> dense(").append(2 + rnd.nextInt(12)).append(") -> accumulate");
            SpikingIr ir;
            try {
                ir = Nets.of(input, body.toString());
            } catch (AssertionError e) {
                continue;
            }
            int neurons = 8 + rnd.nextInt(120);
            int weightBits = 3 + rnd.nextInt(6);
            boolean relay = rnd.nextBoolean();
            boolean fanOutOne = relay && rnd.nextInt(3) == 0;
            Target joins = Targets.of(4, 4, 2, 4, 4, neurons, 12 + rnd.nextInt(80), fanOutOne ? neurons : 4000, 1 << 20, 0, !relay,
                    relay ? 1 : neurons, fanOutOne, weightBits, relay ? "relay" : "join");
            Target whole = Targets.of(16, 16, 4, 4, 4, 1 << 12, 1 << 16, 1 << 16, 1 << 30, 0, false, 1, false, weightBits, "none");
            MappedPlacement mapped;
            try {
                mapped = MappedPlacement.of(ir, joins);
            } catch (MappingException e) {
                continue;
            }
            if (mapped.unsupported().isPresent()) continue;
            try {
                Program joined = ProgramBuilder.build(ir, joins, new SeededWeights(round, 2.0, 0.1), mapped).program();
                Program reference = ProgramBuilder.build(ir, whole, new SeededWeights(round, 2.0, 0.1), new SequentialPlacement())
                        .program();
                if (joined.populations().stream().anyMatch(Program.Population::compartments)) joinedPrograms++;
                if (joined.populations().stream().anyMatch(Program.Population::relays)) relayedPrograms++;
                if (relay) mirrored(joined);
                assertEquals(synapsesBySoma(reference), synapsesBySoma(joined), "round " + round + ": " + body);
            } catch (RuntimeException e) {
                fail("round " + round + ": " + body + " threw " + e, e);
            }
        }
        assertTrue(joinedPrograms > 5, "programs with joined compartments " + joinedPrograms);
        assertTrue(relayedPrograms > 5, "programs with relays " + relayedPrograms);
    }

    /** A negative relay reads its positive twin's sources with the signs turned. */
    private static void mirrored(Program p) {
        List<List<String>> in = new ArrayList<>();
        for (int n = 0; n < p.neurons(); n++) in.add(new ArrayList<>());
        for (int src = 0; src < p.synapses().sources(); src++) {
            int from = src;
            p.forEachSynapse(src, (target, m) -> in.get(target).add(from + ":" + m));
        }
        List<Program.Population> pops = p.populations();
        for (int k = 0; k + 1 < pops.size(); k++) {
            Program.Population plus = pops.get(k), minus = pops.get(k + 1);
            if (!plus.relays() || !plus.layer().endsWith("+")) continue;
            assertEquals(plus.layer().substring(0, plus.layer().length() - 1) + "-", minus.layer());
            for (int i = 0; i < plus.size(); i++) {
                List<String> a = new ArrayList<>(), b = new ArrayList<>();
                for (String e : in.get(plus.offset() + i)) a.add(e);
                for (String e : in.get(minus.offset() + i)) {
                    String[] f = e.split(":");
                    b.add(f[0] + ":" + -Integer.parseInt(f[1]));
                }
                Collections.sort(a);
                Collections.sort(b);
                assertEquals(a, b, plus.layer() + " neuron " + i);
            }
        }
    }

    /**
     * Every neuron's synapses as sorted "source:mantissa" strings, those of its compartments and
     * positive relays included (the relays' spikes into the neuron left out).
     */
    private static List<List<String>> synapsesBySoma(Program p) {
        int[] somaOf = new int[p.neurons()];
        boolean[] relay = new boolean[p.neurons()];
        int somas = 0;
        for (Program.Population pop : p.populations()) {
            Program.Population soma = pop.kind() == Program.Kind.NEURONS ? pop : p.populations().get(pop.soma());
            if (pop.kind() == Program.Kind.NEURONS) somas += pop.size();
            boolean skip = pop.relays() && pop.layer().endsWith("-");
            for (int i = 0; i < pop.size(); i++) {
                somaOf[pop.offset() + i] = skip ? -1 : soma.offset() + i;
                relay[pop.offset() + i] = pop.relays();
            }
        }
        List<List<String>> in = new ArrayList<>();
        for (int n = 0; n < somas; n++) in.add(new ArrayList<>());
        int inputs = p.inputChannels();
        for (int src = 0; src < p.synapses().sources(); src++) {
            int from = src;
            if (src >= inputs && relay[src - inputs]) continue;
            p.forEachSynapse(src, (target, m) -> {
                if (somaOf[target] >= 0) in.get(somaOf[target]).add(from + ":" + m);
            });
        }
        for (List<String> l : in) Collections.sort(l);
        return in;
    }
}
