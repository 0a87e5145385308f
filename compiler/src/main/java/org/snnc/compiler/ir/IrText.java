package org.snnc.compiler.ir;

import java.util.List;
import java.util.Map;

/**
 * The stable text form of the IR ({@code snnc compile --emit ir}), one line per node:
 *
 * <pre>
 * conv1 = conv(image; out=64, kernel=3, ...) [64,64,64] synapses=... macs=...  // features
 * </pre>
 *
 * Golden files pin it, so it changes only on purpose.
 */
public final class IrText {

    private IrText() {
    }

    public static String write(SpikingIr ir) {
        StringBuilder b = new StringBuilder();
        b.append("network ").append(ir.network());
        if (!ir.params().isEmpty()) {
            b.append('(');
            boolean first = true;
            for (Map.Entry<String, Object> e : ir.params().entrySet()) {
                if (!first) b.append(", ");
                first = false;
                b.append(e.getKey()).append('=').append(value(e.getValue()));
            }
            b.append(')');
        }
        b.append('\n');
        b.append("timesteps ").append(ir.timesteps()).append("\n\n");
        for (Node n : ir.nodes()) {
            b.append(n.name()).append(" = ").append(n.op().keyword()).append('(');
            for (int i = 0; i < n.inputs().size(); i++) {
                if (i > 0) b.append(", ");
                b.append(ir.node(n.inputs().get(i)).name());
            }
            Map<String, Object> attrs = Attributes.of(n.op());
            if (!attrs.isEmpty()) {
                b.append(n.inputs().isEmpty() ? "" : "; ");
                boolean first = true;
                for (Map.Entry<String, Object> e : attrs.entrySet()) {
                    if (!first) b.append(", ");
                    first = false;
                    b.append(e.getKey()).append('=').append(value(e.getValue()));
                }
            }
            b.append(") ").append(n.shape());
            if (n.neurons() > 0) b.append(" neurons=").append(n.neurons());
            if (n.synapses() > 0) b.append(" synapses=").append(n.synapses());
            if (n.macs() > 0) b.append(" macs=").append(n.macs());
            if (n.value() != null) b.append("  // ").append(n.value());
            b.append('\n');
        }
        b.append('\n');
        for (SpikingIr.OutputRef o : ir.outputs()) {
            b.append("output ").append(o.name()).append(" = ").append(ir.node(o.node()).name()).append('\n');
        }
        SpikingIr.Totals t = ir.totals();
        b.append("totals neurons=").append(t.neurons()).append(" synapses=").append(t.synapses()).append(" macs=")
                .append(t.macs()).append('\n');
        return b.toString();
    }

    static String value(Object v) {
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) b.append(',');
                b.append(value(list.get(i)));
            }
            return b.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder();
            Object kind = map.get("kind");
            b.append(kind).append('(');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey().equals("kind")) continue;
                if (!first) b.append(", ");
                first = false;
                b.append(e.getKey()).append('=').append(value(e.getValue()));
            }
            return b.append(')').toString();
        }
        if (v instanceof String s) return '"' + s + '"';
        return String.valueOf(v);
    }
}
