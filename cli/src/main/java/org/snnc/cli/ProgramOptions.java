package org.snnc.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.mapping.MappingException;
import org.snnc.compiler.lower.Quantize;
import org.snnc.compiler.program.MappedPlacement;
import org.snnc.compiler.program.Placement;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuildException;
import org.snnc.compiler.program.ProgramBuilder;
import org.snnc.compiler.program.SeededWeights;
import org.snnc.compiler.program.SequentialPlacement;
import org.snnc.compiler.program.WeightSource;
import org.snnc.compiler.target.Target;
import org.snnc.runtime.io.TrainedWeights;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.model.Network;
import picocli.CommandLine.Option;

/**
 * How a program is built from a network, shared by {@code snnc sim} and {@code snnc compile -o} so
 * that both build the same program from the same flags: the weights (trained, or seeded random) and
 * the placement.
 */
public final class ProgramOptions {

    enum PlacementKind { mapped, sequential }

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random weights (and of sim's input spikes) (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--weight-gain", paramLabel = "G", defaultValue = "2.0", description = "Xavier-uniform gain of the random weights (default ${DEFAULT-VALUE}, the paper's code).")
    double weightGain;

    @Option(names = "--weight-mean", paramLabel = "M", defaultValue = "0.0", description = "Shift of the random weights, in units of their bound (default ${DEFAULT-VALUE}).")
    double weightMean;

    @Option(names = "--weights", paramLabel = "W",
            description = "Trained weights: a .safetensors file or a run directory holding checkpoint.safetensors"
                    + " (default: seeded random weights, see --seed, --weight-gain, --weight-mean).")
    Path trained;

    @Option(names = "--placement", paramLabel = "mapped|sequential",
            description = {"Where neurons go: mapped (the mapping passes' tiles, placement and routes) or sequential"
                    + " (consecutive neurons per core in board order).",
                    "Default: mapped, or sequential with a note where the mapping does not fit or uses what a program"
                    + " cannot hold yet (splitter or relay cores, joins over a sparse layer)."})
    PlacementKind placement;

    @Option(names = "--quant-scale", paramLabel = "layer|channel", defaultValue = "layer",
            description = {"Weight scale of the quantization: one per layer, or one per output channel (each channel's"
                    + " largest weight takes the full mantissa; its threshold follows) (default ${DEFAULT-VALUE})."})
    QuantScale quantScale;

    enum QuantScale {
        layer(Quantize.Scaling.LAYER), channel(Quantize.Scaling.CHANNEL);

        final Quantize.Scaling scaling;

        QuantScale(Quantize.Scaling scaling) {
            this.scaling = scaling;
        }
    }

    public Quantize.Scaling scaling() {
        return quantScale == null ? Quantize.Scaling.LAYER : quantScale.scaling;
    }

    /** A built program, the build's notes, and the placement actually used ({@code mapped} or {@code sequential}). */
    public record Built(ProgramBuilder.Result result, String placement) {
        public Program program() {
            return result.program();
        }
    }

    public long seed() {
        return seed;
    }

    /**
     * The weights the program is built from: those of {@code --weights}, checked against the
     * network tensor by tensor, or seeded random ones. Warnings go to {@code notes}.
     */
    public WeightSource weights(SpikingIr ir, List<String> notes) {
        if (trained == null) return new SeededWeights(seed, weightGain, weightMean);
        Network net;
        try {
            net = Network.build(ir, new ModelOptions(seed, Init.XAVIER));
        } catch (ModelException e) {
            throw new UserError(ir.network() + ": " + e.getMessage());
        }
        WeightsFile.load(net, ir, trained, w -> notes.add("warning: " + w));
        return new TrainedWeights(net, WeightsFile.resolve(trained).toString());
    }

    /**
     * Builds the program, with the chosen placement.
     *
     * @param source  names the input in error messages
     * @param mapped  the mapping already computed for this network and target, when the caller has one
     * @param notes   receives what was decided: the placement used and why
     * @throws UserError when the network cannot be built, or {@code --placement mapped} cannot be honoured
     */
    public Built build(String source, SpikingIr ir, Target target, Optional<MappedPlacement> mapped,
            List<String> notes) {
        int before = notes.size();
        Placement chosen = choose(ir, target, mapped, notes);
        try {
            ProgramBuilder.Result built = ProgramBuilder.build(ir, target, weights(ir, notes), chosen,
                    ProgramBuilder.SynapseForm.KERNELS, scaling());
            notes.addAll(built.notes());
            return new Built(built, chosen.toString());
        } catch (ProgramBuildException e) {
            // A sequential fallback that cannot fit either: say why the mapping was not used.
            String why = chosen instanceof SequentialPlacement && notes.size() > before && placement != PlacementKind.sequential
                    ? " (" + notes.get(before) + ")" : "";
            throw new UserError(source + ": " + e.getMessage() + why);
        }
    }

    private Placement choose(SpikingIr ir, Target target, Optional<MappedPlacement> given, List<String> notes) {
        if (placement == PlacementKind.sequential) {
            notes.add("placement: sequential (consecutive neurons per core in board order)");
            return new SequentialPlacement();
        }
        boolean asked = placement == PlacementKind.mapped;
        MappedPlacement m;
        try {
            m = given.isPresent() ? given.get() : MappedPlacement.of(ir, target);
        } catch (MappingException e) {
            if (asked) throw new UserError("--placement mapped: " + ir.network() + " does not fit target " + target.name() + ":\n" + e.getMessage());
            notes.add("placement: sequential, since the mapping failed: " + e.errors().get(0).message());
            return new SequentialPlacement();
        }
        Optional<String> why = m.unsupported();
        if (why.isPresent() && m.joins()) {
            // The hardware mapping joins compartments to save cores; a program needs one
            // compartment per neuron, which the same passes may still fit with more cores.
            try {
                MappedPlacement single = MappedPlacement.withoutJoins(ir, target);
                if (single.unsupported().isEmpty()) {
                    notes.add("placement: mapped without joined compartments (" + cores(single) + " cores; the mapping"
                            + " that joins them uses " + cores(m) + ", but " + why.get() + ")");
                    return single;
                }
            } catch (MappingException e) {
                // No tiling fits one compartment per neuron: the reason below stands.
            }
        }
        if (why.isPresent()) {
            if (asked) throw new UserError("--placement mapped: " + why.get() + "; use --placement sequential");
            notes.add("placement: sequential, since " + why.get());
            return new SequentialPlacement();
        }
        notes.add("placement: mapped (" + cores(m) + " cores; traffic x hops "
                + m.routed().placed().cost() + ", " + m.routed().placed().initialCost() + " before the place pass improved it)");
        if (m.splitterCores() > 0) {
            notes.add("splitters: the mapping's " + m.splitterCores() + " splitter cores (" + target.name() + " neurons send to one"
                    + " core) hold no program neurons; spikes go straight to their destination cores, one step sooner than"
                    + " through splitters, and their cores' work is not counted");
        }
        if (m.grewBoard()) {
            Program.Mesh mesh = m.mesh(target);
            notes.add("board: " + cores(m) + " cores need more than the " + target.board().chips() + " chips of target '"
                    + target.name() + "'; the program's board is " + mesh.chipsX() + " x " + mesh.chipsY() + " of those chips");
        }
        return m;
    }

    private static int cores(MappedPlacement m) {
        return m.routed().placed().wired().cores().size();
    }
}
