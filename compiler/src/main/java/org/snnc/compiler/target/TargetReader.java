package org.snnc.compiler.target;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The schema of a target file, as code: reads a parsed YAML tree into a {@link Target}, or
 * records every error found. docs/targets.md describes the same keys for humans; the ranges
 * here are the ones documented there.
 */
final class TargetReader {

    private static final List<String> PJ = List.of("pJ");
    private static final List<String> MW = List.of("mW");
    private static final List<String> MHZ = List.of("MHz");
    private static final List<String> DURATION = Timing.DURATION_UNITS;
    private static final int MILLION = 1 << 20;

    private final Problems problems;

    private TargetReader(Problems problems) {
        this.problems = problems;
    }

    /** Returns the target, or null after adding at least one error to {@code problems}. */
    static Target read(YamlTree tree, Problems problems) {
        return new TargetReader(problems).read(tree);
    }

    private Target read(YamlTree tree) {
        Section root = Section.root(problems, tree);
        root.plainInteger("schema_version", Target.SCHEMA_VERSION, Target.SCHEMA_VERSION,
                "the version of this file format");
        String name = root.text("name", "a short identifier such as loihi",
                "[a-z0-9][a-z0-9_.-]*", "a lower-case identifier of letters, digits, '_', '-', '.'");
        String description = root.text("description", "one line that says what this target is",
                "(?s).*\\S.*", "a non-empty description");

        ChipSpec chip = chip(root.section("chip", "the mesh of cores on one chip"));
        BoardSpec board = board(root.section("board", "how many chips and how they connect"));
        Section coreSection = root.section("core", "what one core can hold");
        CoreLimits core = core(coreSection);
        Section numbersSection = root.section("numbers", "integer formats of the arithmetic");
        NumberFormat numbers = numbers(numbersSection);
        NeuronSemantics neuron = neuron(root.section("neuron", "the neuron model"));
        Section timingSection = root.section("timing", "latency of each event");
        Timing timing = timing(timingSection);
        EnergyModel energy = energy(root.section("energy", "energy of each event"));

        problems.finishSections();
        checkChip(chip);
        checkCore(core, neuron);
        checkNumbers(numbers, numbersSection, neuron);
        checkNeuron(neuron);
        checkClock(timing, timingSection, board);

        if (problems.any()) {
            return null;
        }
        return new Target(name, description, chip, board, core, numbers, neuron, timing, energy);
    }

    // ---- sections ----

    private static ChipSpec chip(Section s) {
        return new ChipSpec(
                s.integer("mesh_width", 1, 1024, "the number of tiles along x (east-west)"),
                s.integer("mesh_height", 1, 1024, "the number of tiles along y (north-south)"),
                s.integer("cores_per_tile", 1, 64, "the number of cores behind one router"),
                s.integer("cores", 1, MILLION, "the number of neuromorphic cores on one chip"));
    }

    private static BoardSpec board(Section s) {
        return new BoardSpec(
                s.integer("chips_x", 1, 1024, "the number of chips along x"),
                s.integer("chips_y", 1, 1024, "the number of chips along y"),
                s.quantity("inter_chip_hop_energy", PJ, false,
                        "the energy of one spike crossing one chip-to-chip link, in pJ"),
                s.quantity("inter_chip_hop_latency", DURATION, false,
                        "the time one spike takes to cross one chip-to-chip link"));
    }

    private static CoreLimits core(Section s) {
        Sourced<Integer> neurons = s.integer("max_neurons", 1, MILLION, "the number of neurons (compartments) "
                + "one core holds");
        Sourced<Integer> in = s.integer("max_input_axons", 1, MILLION, "the number of distinct input axons "
                + "one core can receive");
        Sourced<Integer> out = s.integer("max_output_axons", 1, MILLION, "the number of fan-out entries "
                + "(neuron, destination core) one core can hold");
        Sourced<Integer> bits = s.integer("synapse_memory_bits", 1, Integer.MAX_VALUE,
                "the synapse memory of one core, in bits");
        Sourced<Integer> types = s.integer("axon_types", 0, 16, "the number of axon types, or 0 when every "
                + "synapse stores its own weight");
        Sourced<Boolean> join = s.flag("compartment_join", "whether several compartments may sum into one "
                + "neuron");
        Sourced<Integer> maxJoin = s.integer("max_joined_compartments", 1, MILLION, "the most compartments one "
                + "neuron may join (1 without compartment_join)");
        Sourced<Boolean> fanOutOne = s.flag("fan_out_one", "whether a neuron may target one axon only");
        // Optional: files written before the key existed keep their meaning (join where they join).
        Sourced<FanInSplit> split = s.optionalChoice("fan_in_split", FanInSplit.class,
                "how a neuron with more inputs than a core takes is split over cores", false)
                .orElse(join == null ? null : new Sourced<>(join.value() ? FanInSplit.JOIN : FanInSplit.NONE,
                        "derived from core.compartment_join (no fan_in_split given)"));
        return new CoreLimits(neurons, in, out, bits, types, join, maxJoin, fanOutOne, split);
    }

    private static NumberFormat numbers(Section s) {
        return new NumberFormat(
                s.integer("weight_bits", 1, 32, "the bits of the signed weight mantissa"),
                s.integer("weight_exponent_min", -32, 32, "the smallest weight exponent"),
                s.integer("weight_exponent_max", -32, 32, "the largest weight exponent"),
                s.flag("weight_exponent_shared", "whether one exponent serves a whole layer"),
                s.integer("synaptic_input_shift", 0, 31,
                        "the left shift applied to every synaptic input"),
                s.integer("current_bits", 0, 32,
                        "the bits of the signed current, or 0 when there is no current"),
                s.optionalChoice("current_overflow", Overflow.class,
                        "what the current does past its range", false),
                s.integer("voltage_bits", 1, 32, "the bits of the signed voltage"),
                s.choice("voltage_overflow", Overflow.class,
                        "what the voltage does past its range"),
                s.integer("decay_bits", 0, 24,
                        "the bits of the decay constants, or 0 when there is no decay"),
                s.integer("threshold_bits", 1, 32, "the bits of the unsigned threshold"),
                s.integer("threshold_shift", 0, 31,
                        "the left shift of the threshold before it is compared with v"));
    }

    private static NeuronSemantics neuron(Section s) {
        return new NeuronSemantics(
                s.choices("reset_modes", ResetMode.class, "the reset modes the hardware offers"),
                s.choice("default_reset", ResetMode.class,
                        "the reset used when a network names none"),
                s.choice("leak", LeakForm.class, "the form of the leak"),
                s.flag("leak_per_neuron", "whether each neuron has its own leak constant"));
    }

    private static Timing timing(Section s) {
        return new Timing(
                s.optionalQuantity("clock", MHZ, true, "the core clock in MHz", false),
                s.quantity("synaptic_op", DURATION, false, "the time of one synaptic operation"),
                s.quantity("neuron_update", DURATION, false, "the time of one neuron update"),
                s.quantity("spike_out", DURATION, false, "the time for a spike to leave its core"),
                s.quantity("hop_within_tile", DURATION, false,
                        "the time of a hop between cores of one tile"),
                s.quantity("hop_east_west", DURATION, false,
                        "the time of a hop across one tile along x"),
                s.quantity("hop_north_south", DURATION, false,
                        "the time of a hop across one tile along y"),
                s.quantity("barrier", DURATION, false,
                        "the time of the synchronisation that ends a time step"),
                s.quantity("min_step", DURATION, false,
                        "the shortest time step, or 0 when a step lasts as long as its work"));
    }

    private static EnergyModel energy(Section s) {
        return new EnergyModel(
                s.quantity("synaptic_op", PJ, false, "the energy of one synaptic operation"),
                s.quantity("neuron_update", PJ, false, "the energy of one neuron update"),
                s.quantity("spike_out", PJ, false, "the energy of a spike leaving its core"),
                s.quantity("hop_within_tile", PJ, false,
                        "the energy of a hop between cores of one tile"),
                s.quantity("hop_east_west", PJ, false,
                        "the energy of a hop across one tile along x"),
                s.quantity("hop_north_south", PJ, false,
                        "the energy of a hop across one tile along y"),
                s.quantity("static_power", MW, false, "the static power of one chip, in mW"));
    }

    // ---- checks that relate two keys; each runs only when its keys were read ----

    private void checkChip(ChipSpec chip) {
        if (chip.meshWidth() == null || chip.meshHeight() == null
                || chip.coresPerTile() == null || chip.cores() == null) {
            return;
        }
        long product = (long) chip.meshWidth().value() * chip.meshHeight().value()
                * chip.coresPerTile().value();
        if (product != chip.cores().value()) {
            problems.add(problems.valueAt("chip.cores"), "chip.cores",
                    "mesh_width x mesh_height x cores_per_tile = " + chip.meshWidth().value()
                            + " x " + chip.meshHeight().value() + " x "
                            + chip.coresPerTile().value() + " = " + product + ", but cores is "
                            + chip.cores().value(),
                    "make cores equal to the product, or correct the mesh");
        }
    }

    private void checkCore(CoreLimits core, NeuronSemantics neuron) {
        if (core.fanInSplit() != null && core.compartmentJoin() != null
                && core.fanInSplit().value() == FanInSplit.JOIN && !core.compartmentJoin().value()) {
            problems.add(problems.valueAt("core.fan_in_split"), "core.fan_in_split",
                    "is join, but compartment_join is false",
                    "set compartment_join to true, or fan_in_split to relay or none");
        }
        if (core.fanInSplit() != null && neuron.resetModes() != null
                && core.fanInSplit().value() == FanInSplit.RELAY
                && !neuron.resetModes().value().contains(ResetMode.SUBTRACT)) {
            problems.add(problems.valueAt("core.fan_in_split"), "core.fan_in_split",
                    "is relay, but neuron.reset_modes lacks subtract: a relay neuron must keep the charge"
                            + " above its threshold",
                    "add subtract to reset_modes, or set fan_in_split to none");
        }
        if (core.compartmentJoin() != null && core.maxJoinedCompartments() != null
                && !core.compartmentJoin().value() && core.maxJoinedCompartments().value() != 1) {
            problems.add(problems.valueAt("core.max_joined_compartments"),
                    "core.max_joined_compartments", "is " + core.maxJoinedCompartments().value()
                            + ", but compartment_join is false",
                    "set max_joined_compartments to 1, or compartment_join to true");
        }
        if (core.maxNeurons() != null && core.maxJoinedCompartments() != null
                && core.maxJoinedCompartments().value() > core.maxNeurons().value()) {
            problems.add(problems.valueAt("core.max_joined_compartments"),
                    "core.max_joined_compartments", "is " + core.maxJoinedCompartments().value()
                            + ", more than the " + core.maxNeurons().value()
                            + " compartments of core.max_neurons",
                    "a joined neuron lives in one core; lower max_joined_compartments");
        }
    }

    private void checkNumbers(NumberFormat n, Section section, NeuronSemantics neuron) {
        if (n.weightExponentMin() != null && n.weightExponentMax() != null
                && n.weightExponentMin().value() > n.weightExponentMax().value()) {
            problems.add(problems.valueAt("numbers.weight_exponent_min"),
                    "numbers.weight_exponent_min", "is " + n.weightExponentMin().value()
                            + ", above weight_exponent_max " + n.weightExponentMax().value(),
                    "swap the two, or write 0 for both when weights have no exponent");
        }
        if (n.currentBits() != null) {
            boolean written = section.has("current_overflow");
            if (n.currentBits().value() > 0 && !written) {
                problems.add(problems.valueAt("numbers.current_bits"), "numbers.current_bits",
                        "is " + n.currentBits().value() + ", but current_overflow is missing",
                        "add current_overflow: { value: wrap or saturate, source: \"...\" }");
            } else if (n.currentBits().value() == 0 && written) {
                problems.add(problems.valueAt("numbers.current_overflow"),
                        "numbers.current_overflow",
                        "is given, but current_bits is 0 (there is no current variable)",
                        "remove current_overflow, or give current_bits");
            }
        }
        if (n.thresholdBits() != null && n.thresholdShift() != null && n.voltageBits() != null) {
            int needed = n.thresholdBits().value() + n.thresholdShift().value();
            int available = n.voltageBits().value() - 1;
            if (needed > available) {
                problems.add(problems.valueAt("numbers.threshold_bits"), "numbers.threshold_bits",
                        "a " + n.thresholdBits().value() + "-bit threshold shifted left by "
                                + n.thresholdShift().value() + " needs " + needed
                                + " magnitude bits, but a signed " + n.voltageBits().value()
                                + "-bit voltage has " + available,
                        "the largest thresholds could never be reached; lower threshold_bits or "
                                + "threshold_shift, or raise voltage_bits");
            }
        }
        if (n.decayBits() != null && neuron.leak() != null && n.decayBits().value() == 0
                && neuron.leak().value() == LeakForm.MULTIPLICATIVE) {
            problems.add(problems.valueAt("numbers.decay_bits"), "numbers.decay_bits",
                    "is 0, but neuron.leak is multiplicative, which needs decay constants",
                    "give the bits of the decay constants, or change neuron.leak");
        }
    }

    private void checkNeuron(NeuronSemantics neuron) {
        if (neuron.resetModes() != null && neuron.defaultReset() != null
                && !neuron.resetModes().value().contains(neuron.defaultReset().value())) {
            problems.add(problems.valueAt("neuron.default_reset"), "neuron.default_reset",
                    "is " + name(neuron.defaultReset().value()) + ", which reset_modes does not "
                            + "list", "add it to reset_modes, or pick one of them");
        }
    }

    private void checkClock(Timing timing, Section section, BoardSpec board) {
        if (section.has("clock")) {
            return;
        }
        Map<String, Quantity> durations = new LinkedHashMap<>();
        durations.put("timing.synaptic_op", timing.synapticOp());
        durations.put("timing.neuron_update", timing.neuronUpdate());
        durations.put("timing.spike_out", timing.spikeOut());
        durations.put("timing.hop_within_tile", timing.hopWithinTile());
        durations.put("timing.hop_east_west", timing.hopEastWest());
        durations.put("timing.hop_north_south", timing.hopNorthSouth());
        durations.put("timing.barrier", timing.barrier());
        durations.put("timing.min_step", timing.minStep());
        durations.put("board.inter_chip_hop_latency", board.interChipHopLatency());
        durations.forEach((path, q) -> {
            if (q != null && q.unit().equals("cycles")) {
                problems.add(problems.valueAt(path), path,
                        "is in cycles, but timing.clock is not given",
                        "add timing.clock: { value: ..., unit: MHz, source: \"...\" }, or write "
                                + "the duration in ns");
            }
        });
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
