package org.snnc.compiler.ir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of an op as ordered name/value pairs, in the language's own argument names: the
 * one description that both the text and the JSON form of the IR print.
 */
public final class Attributes {

    private Attributes() {
    }

    /** Values are Integer, Long, Double, Boolean, String, {@code List<Integer>} or nested maps. */
    public static Map<String, Object> of(Op op) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (op instanceof Op.Input in) {
            a.put("encode", in.encoding().kind().keyword());
            if (in.encoding().kind() == Encoding.Kind.EVENTS) {
                a.put("polarity", in.encoding().polarities());
                a.put("window_ms", in.encoding().windowMs());
            }
        } else if (op instanceof Op.Conv c) {
            a.put("out", c.outChannels());
            a.put("kernel", pair(c.kernel()));
            a.put("stride", pair(c.stride()));
            a.put("padding", pair(c.padding()));
            a.put("dilation", pair(c.dilation()));
            a.put("bias", c.bias());
        } else if (op instanceof Op.ConvTranspose t) {
            a.put("out", t.outChannels());
            a.put("kernel", pair(t.kernel()));
            a.put("stride", pair(t.stride()));
            a.put("padding", pair(t.padding()));
            a.put("output_padding", pair(t.outputPadding()));
            a.put("dilation", pair(t.dilation()));
            a.put("bias", t.bias());
        } else if (op instanceof Op.AvgPool p) {
            a.put("kernel", pair(p.kernel()));
            a.put("stride", pair(p.stride()));
            a.put("padding", pair(p.padding()));
            a.put("count_include_pad", p.countIncludePad());
        } else if (op instanceof Op.Dense d) {
            a.put("out", d.outFeatures());
            a.put("bias", d.bias());
        } else if (op instanceof Op.Upsample u) {
            a.put("size", List.of(u.height(), u.width()));
            a.put("mode", u.mode().keyword());
            a.put("align_corners", u.alignCorners());
        } else if (op instanceof Op.Bntt b) {
            a.put("timesteps", b.timesteps());
            a.put("eps", b.eps());
            a.put("momentum", b.momentum());
            a.put("shift", b.shift());
        } else if (op instanceof Op.BatchNorm b) {
            a.put("eps", b.eps());
            a.put("momentum", b.momentum());
            a.put("affine", b.affine());
        } else if (op instanceof Op.Spiking s) {
            NeuronModel m = s.model();
            a.put("model", m.kind());
            a.put("leak", m.leak());
            a.put("threshold", m.threshold());
            a.put("reset", m.reset().keyword());
            Map<String, Object> sg = new LinkedHashMap<>();
            sg.put("kind", m.surrogate().kind().keyword());
            sg.put("scale", m.surrogate().scale());
            if (m.surrogate().kind() == Surrogate.Kind.FAST_SIGMOID) sg.put("slope", m.surrogate().shape());
            if (m.surrogate().kind() == Surrogate.Kind.ATAN) sg.put("alpha", m.surrogate().shape());
            a.put("surrogate", sg);
            a.put("detach_reset", m.detachReset());
        } else if (op instanceof Op.SparseProjection s) {
            a.put("out", s.outFeatures());
            a.put("fan_in", s.fanIn());
            a.put("seed", s.seed());
        }
        return a;
    }

    private static Object pair(Pair p) {
        return p.h() == p.w() ? (Object) p.h() : List.of(p.h(), p.w());
    }
}
