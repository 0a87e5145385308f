package org.snnc.compiler.lower;

import java.nio.charset.StandardCharsets;
import org.snnc.compiler.target.Target;
import org.snnc.compiler.target.TargetLoader;

/** Small targets for tests, written as YAML so they pass the loader's checks like any user's file. */
final class Targets {

    private Targets() {
    }

    static Target of(int meshW, int meshH, int perTile, int chipsX, int chipsY, int neurons, int axons, int outAxons,
            int synapseBits, int axonTypes, boolean join, int maxJoin, boolean fanOutOne, int weightBits) {
        return of(meshW, meshH, perTile, chipsX, chipsY, neurons, axons, outAxons, synapseBits, axonTypes, join, maxJoin,
                fanOutOne, weightBits, null);
    }

    /** @param split core.fan_in_split (none, join, relay), or null to leave it to compartment_join */
    static Target of(int meshW, int meshH, int perTile, int chipsX, int chipsY, int neurons, int axons, int outAxons,
            int synapseBits, int axonTypes, boolean join, int maxJoin, boolean fanOutOne, int weightBits, String split) {
        String s = "\"test\"";
        String yaml = "schema_version: 1\nname: test\ndescription: \"test target\"\nchip:\n"
                + "  mesh_width: { value: " + meshW + ", source: " + s + " }\n"
                + "  mesh_height: { value: " + meshH + ", source: " + s + " }\n"
                + "  cores_per_tile: { value: " + perTile + ", source: " + s + " }\n"
                + "  cores: { value: " + (meshW * meshH * perTile) + ", source: " + s + " }\n"
                + "board:\n  chips_x: { value: " + chipsX + ", source: " + s + " }\n"
                + "  chips_y: { value: " + chipsY + ", source: " + s + " }\n"
                + "  inter_chip_hop_energy: { value: 0, unit: pJ, source: " + s + " }\n"
                + "  inter_chip_hop_latency: { value: 0, unit: ns, source: " + s + " }\n"
                + "core:\n  max_neurons: { value: " + neurons + ", source: " + s + " }\n"
                + "  max_input_axons: { value: " + axons + ", source: " + s + " }\n"
                + "  max_output_axons: { value: " + outAxons + ", source: " + s + " }\n"
                + "  synapse_memory_bits: { value: " + synapseBits + ", source: " + s + " }\n"
                + "  axon_types: { value: " + axonTypes + ", source: " + s + " }\n"
                + "  compartment_join: { value: " + join + ", source: " + s + " }\n"
                + "  max_joined_compartments: { value: " + maxJoin + ", source: " + s + " }\n"
                + "  fan_out_one: { value: " + fanOutOne + ", source: " + s + " }\n"
                + (split == null ? "" : "  fan_in_split: { value: " + split + ", source: " + s + " }\n")
                + "numbers:\n  weight_bits: { value: " + weightBits + ", source: " + s + " }\n"
                + "  weight_exponent_min: { value: 0, source: " + s + " }\n"
                + "  weight_exponent_max: { value: 0, source: " + s + " }\n"
                + "  weight_exponent_shared: { value: false, source: " + s + " }\n"
                + "  synaptic_input_shift: { value: 0, source: " + s + " }\n"
                + "  current_bits: { value: 0, source: " + s + " }\n"
                + "  voltage_bits: { value: 16, source: " + s + " }\n"
                + "  voltage_overflow: { value: saturate, source: " + s + " }\n"
                + "  decay_bits: { value: 0, source: " + s + " }\n"
                + "  threshold_bits: { value: 12, source: " + s + " }\n"
                + "  threshold_shift: { value: 0, source: " + s + " }\n"
                + "neuron:\n  reset_modes: { value: [zero, subtract], source: " + s + " }\n"
                + "  default_reset: { value: zero, source: " + s + " }\n"
                + "  leak: { value: none, source: " + s + " }\n"
                + "  leak_per_neuron: { value: false, source: " + s + " }\n"
                + "timing:\n  clock: { value: 50, unit: MHz, source: " + s + " }\n"
                + "  synaptic_op: { value: 1, unit: cycles, source: " + s + " }\n"
                + "  neuron_update: { value: 1, unit: cycles, source: " + s + " }\n"
                + "  spike_out: { value: 1, unit: cycles, source: " + s + " }\n"
                + "  hop_within_tile: { value: 1, unit: cycles, source: " + s + " }\n"
                + "  hop_east_west: { value: 1, unit: cycles, source: " + s + " }\n"
                + "  hop_north_south: { value: 1, unit: cycles, source: " + s + " }\n"
                + "  barrier: { value: 1, unit: us, source: " + s + " }\n"
                + "  min_step: { value: 0, unit: ns, source: " + s + " }\n"
                + "energy:\n  synaptic_op: { value: 1.0, unit: pJ, source: " + s + " }\n"
                + "  neuron_update: { value: 1.0, unit: pJ, source: " + s + " }\n"
                + "  spike_out: { value: 1.0, unit: pJ, source: " + s + " }\n"
                + "  hop_within_tile: { value: 1.0, unit: pJ, source: " + s + " }\n"
                + "  hop_east_west: { value: 1.0, unit: pJ, source: " + s + " }\n"
                + "  hop_north_south: { value: 1.0, unit: pJ, source: " + s + " }\n"
                + "  static_power: { value: 0, unit: mW, source: " + s + " }\n";
        return TargetLoader.load("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }
}
