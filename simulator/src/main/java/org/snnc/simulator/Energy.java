package org.snnc.simulator;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.energy.PaperEnergy;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.target.Quantity;
import org.snnc.compiler.target.Target;

/**
 * The energy of a run, both ways DESIGN.md §5 asks for: the seed paper's (Eq. 9–12) and the
 * target's event model. All energies in picojoules.
 */
public final class Energy {

    /** The paper's 45 nm table (Horowitz, ISSCC 2014; the paper's Table 4): 32-bit MAC. */
    public static final Quantity E_MAC = PaperEnergy.E_MAC;
    /** The same table's 32-bit accumulate. */
    public static final Quantity E_AC = PaperEnergy.E_AC;

    private Energy() {
    }

    /**
     * One synaptic layer by the paper's model.
     *
     * @param flops Eq. 9 dense MACs of one ANN forward pass (one time step)
     * @param rate  R(l): spikes of the layer's spiking source over the run / the source's neurons
     *              (DESIGN.md §6: 0..timesteps, not a per-step probability)
     * @param mac   whether this layer is charged as MACs (first layer with the MAC option)
     */
    public record PaperLayer(String name, long flops, double rate, boolean mac, double annPj, double snnPj) {
    }

    /**
     * @param firstLayerMac whether the layers reading an input were charged as one ANN pass of
     *                      MACs ({@code FLOPs x E_MAC}) rather than as ACs by the input's rate
     */
    public record Paper(double annPj, double snnPj, boolean firstLayerMac, List<PaperLayer> layers, Quantity eMac, Quantity eAc) {
        /** E_ANN / E_SNN, the paper's Table 5 figure; infinite when the SNN did nothing. */
        public double ratio() {
            return annPj / snnPj;
        }
    }

    /**
     * The target's event model: every event times its energy, plus static power for the run.
     *
     * @param chipsUsed chips holding at least one core; static power is per chip
     * @param timeNs    the run's simulated time
     */
    public record Hardware(double synapticOpsPj, double neuronUpdatesPj, double spikesPj, double hopsWithinTilePj,
            double hopsEastWestPj, double hopsNorthSouthPj, double hopsInterChipPj, double staticPj, int chipsUsed,
            double timeNs) {
        public double totalPj() {
            return synapticOpsPj + neuronUpdatesPj + spikesPj + hopsWithinTilePj + hopsEastWestPj + hopsNorthSouthPj
                    + hopsInterChipPj + staticPj;
        }
    }

    /**
     * Eq. 9–12: {@code E_ANN = Σ FLOPs(l) E_MAC}; {@code E_SNN = Σ FLOPs(l) R(l) E_AC}, where the
     * first layer (reading an input) is charged {@code FLOPs E_MAC} instead when
     * {@code firstLayerMac}, as for an analog input computed once.
     */
    public static Paper paper(Program p, SimResult r, boolean firstLayerMac) {
        // The rates come from the run; the pricing is the shared Eq. 10-12 code that snnc energy uses.
        List<PaperEnergy.LayerInput> inputs = new ArrayList<>();
        for (Program.SynapticLayer l : p.layers()) {
            double rate;
            if (l.sourceInput() >= 0) {
                rate = (double) r.inputSpikes()[l.sourceInput()] / p.inputs().get(l.sourceInput()).count();
            } else {
                rate = (double) r.popSpikes()[l.sourcePopulation()] / p.populations().get(l.sourcePopulation()).size();
            }
            inputs.add(new PaperEnergy.LayerInput(l.name(), l.macs(), rate, firstLayerMac && l.sourceInput() >= 0, 1));
        }
        PaperEnergy.Result e = PaperEnergy.compute(inputs,
                firstLayerMac ? PaperEnergy.FirstLayer.MAC : PaperEnergy.FirstLayer.AC);
        List<PaperLayer> layers = new ArrayList<>();
        for (PaperEnergy.Layer l : e.layers()) {
            layers.add(new PaperLayer(l.name(), l.flopsAnn(), l.rate(), l.mac(), l.annPj(), l.snnPj()));
        }
        return new Paper(e.annPj(), e.snnPj(), firstLayerMac, layers, e.eMac(), e.eAc());
    }

    public static Hardware hardware(Program p, SimResult r, Costs costs, Target t) {
        var e = t.energy();
        boolean[] used = new boolean[p.mesh().chipsX() * p.mesh().chipsY()];
        int chips = 0;
        for (int k = 0; k < p.cores().count(); k++) {
            if (!used[p.cores().chip()[k]]) {
                used[p.cores().chip()[k]] = true;
                chips++;
            }
        }
        double timeNs = r.totalTicks() * costs.tickNs();
        // mW x ns = 1e-3 W x 1e-9 s = 1e-12 J: picojoules.
        double staticPj = e.staticPower().value() * chips * timeNs;
        return new Hardware(r.totalSynOps() * e.synapticOp().value(), r.totalUpdates() * e.neuronUpdate().value(),
                r.totalSpikes() * e.spikeOut().value(), r.hopsWithinTile() * e.hopWithinTile().value(),
                r.hopsEastWest() * e.hopEastWest().value(), r.hopsNorthSouth() * e.hopNorthSouth().value(),
                r.hopsInterChip() * t.board().interChipHopEnergy().value(), staticPj, chips, timeNs);
    }
}
