package org.snnc.compiler.program;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/** Small networks and a toy target for the program tests. */
final class ProgramFixtures {

    private ProgramFixtures() {
    }

    static SpikingIr ir(String source) {
        Diagnostics d = new Diagnostics();
        return Frontend.compileText("test.snn", source, Map.of(), d)
                .orElseThrow(() -> new AssertionError("test network does not compile: " + d.sorted()));
    }

    /** A 2x2 mesh of one-core tiles, two chips side by side, 4 neurons per core, Loihi-like numbers. */
    static Target tiny(int maxNeurons) {
        String yaml = """
                schema_version: 1
                name: tiny
                description: "toy"
                chip:
                  mesh_width:     { value: 2, source: "toy" }
                  mesh_height:    { value: 2, source: "toy" }
                  cores_per_tile: { value: 1, source: "toy" }
                  cores:          { value: 4, source: "toy" }
                board:
                  chips_x: { value: 2, source: "toy" }
                  chips_y: { value: 1, source: "toy" }
                  inter_chip_hop_energy:  { value: 10, unit: pJ, source: "toy" }
                  inter_chip_hop_latency: { value: 10, unit: cycles, source: "toy" }
                core:
                  max_neurons:         { value: %d, source: "toy" }
                  max_input_axons:     { value: 64, source: "toy" }
                  max_output_axons:    { value: 64, source: "toy" }
                  synapse_memory_bits: { value: 32768, source: "toy" }
                  axon_types:          { value: 0, source: "toy" }
                  compartment_join:    { value: false, source: "toy" }
                  max_joined_compartments: { value: 1, source: "toy" }
                  fan_out_one:         { value: false, source: "toy" }
                numbers:
                  weight_bits:            { value: 8, source: "toy" }
                  weight_exponent_min:    { value: 0, source: "toy" }
                  weight_exponent_max:    { value: 7, source: "toy" }
                  weight_exponent_shared: { value: true, source: "toy" }
                  synaptic_input_shift:   { value: 6, source: "toy" }
                  current_bits:           { value: 24, source: "toy" }
                  current_overflow:       { value: wrap, source: "toy" }
                  voltage_bits:           { value: 24, source: "toy" }
                  voltage_overflow:       { value: saturate, source: "toy" }
                  decay_bits:             { value: 12, source: "toy" }
                  threshold_bits:         { value: 17, source: "toy" }
                  threshold_shift:        { value: 6, source: "toy" }
                neuron:
                  reset_modes:     { value: [zero, subtract], source: "toy" }
                  default_reset:   { value: zero, source: "toy" }
                  leak:            { value: multiplicative, source: "toy" }
                  leak_per_neuron: { value: false, source: "toy" }
                timing:
                  clock:           { value: 100, unit: MHz, source: "toy" }
                  synaptic_op:     { value: 1, unit: cycles, source: "toy" }
                  neuron_update:   { value: 2, unit: cycles, source: "toy" }
                  spike_out:       { value: 3, unit: cycles, source: "toy" }
                  hop_within_tile: { value: 1, unit: cycles, source: "toy" }
                  hop_east_west:   { value: 4, unit: cycles, source: "toy" }
                  hop_north_south: { value: 5, unit: cycles, source: "toy" }
                  barrier:         { value: 100, unit: cycles, source: "toy" }
                  min_step:        { value: 0, unit: cycles, source: "toy" }
                energy:
                  synaptic_op:     { value: 1.0, unit: pJ, source: "toy" }
                  neuron_update:   { value: 2.0, unit: pJ, source: "toy" }
                  spike_out:       { value: 3.0, unit: pJ, source: "toy" }
                  hop_within_tile: { value: 0.5, unit: pJ, source: "toy" }
                  hop_east_west:   { value: 4.0, unit: pJ, source: "toy" }
                  hop_north_south: { value: 5.0, unit: pJ, source: "toy" }
                  static_power:    { value: 1.0, unit: mW, source: "toy" }
                """.formatted(maxNeurons);
        return TargetLoader.load("tiny.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static final String MLP = """
            network Tiny(T: int = 5) {
              timesteps T
              neuron lif = LIF(leak: 0.99, threshold: 1.0, reset: zero)
              input x: [6] encode poisson
              output y = x -> dense(5) -> lif -> dense(3) -> accumulate
            }
            """;

    static Program.Population pop(Program p, String layer) {
        for (Program.Population pop : p.populations()) if (pop.layer().equals(layer)) return pop;
        throw new AssertionError("no population " + layer);
    }
}
