package org.snnc.runtime.model;

import java.util.Map;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;

/** Test networks from .snn text. */
final class Nets {

    private Nets() {
    }

    static SpikingIr ir(String text) {
        Diagnostics d = new Diagnostics();
        return Frontend.compileText("test.snn", text, Map.of(), d)
                .orElseThrow(() -> new AssertionError("test network does not compile: " + d));
    }

    static Network build(String text, long seed) {
        return Network.build(ir(text), new ModelOptions(seed, Init.XAVIER));
    }
}
