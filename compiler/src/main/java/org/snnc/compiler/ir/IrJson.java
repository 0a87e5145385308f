package org.snnc.compiler.ir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The JSON form of the IR (DESIGN.md §9, `compile`): {@code network}, {@code params},
 * {@code timesteps}, {@code layers[]} {name, op, shape [C,H,W], neurons, synapses, macs, inputs,
 * attributes}, {@code outputs}, {@code totals}, {@code sources}.
 */
public final class IrJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IrJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode toJson(SpikingIr ir) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("network", ir.network());
        ObjectNode params = root.putObject("params");
        for (Map.Entry<String, Object> e : ir.params().entrySet()) params.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
        root.put("timesteps", ir.timesteps());
        ArrayNode layers = root.putArray("layers");
        for (Node n : ir.nodes()) {
            ObjectNode l = layers.addObject();
            l.put("name", n.name());
            l.put("op", n.op().keyword());
            ArrayNode shape = l.putArray("shape");
            for (int d : n.shape().toArray()) shape.add(d);
            l.put("neurons", n.neurons());
            l.put("synapses", n.synapses());
            l.put("macs", n.macs());
            ArrayNode inputs = l.putArray("inputs");
            for (int in : n.inputs()) inputs.add(ir.node(in).name());
            l.set("attributes", MAPPER.valueToTree(Attributes.of(n.op())));
            if (n.value() != null) l.put("value", n.value());
            l.put("source", n.origin().toString());
        }
        ArrayNode outputs = root.putArray("outputs");
        for (SpikingIr.OutputRef o : ir.outputs()) {
            outputs.addObject().put("name", o.name()).put("layer", ir.node(o.node()).name());
        }
        SpikingIr.Totals t = ir.totals();
        root.putObject("totals").put("neurons", t.neurons()).put("synapses", t.synapses()).put("macs", t.macs());
        ArrayNode sources = root.putArray("sources");
        for (SpikingIr.SourceRef s : ir.sources()) sources.addObject().put("path", s.path()).put("sha256", s.sha256());
        return root;
    }

    public static String write(SpikingIr ir) {
        try {
            return MAPPER.writeValueAsString(toJson(ir));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
    }
}
