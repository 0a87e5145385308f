package org.snnc.compiler.lower;

import java.util.Map;
import org.snnc.compiler.Frontend;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.ir.SpikingIr;

/** Networks for tests, through the real front end. */
final class Nets {

    private Nets() {
    }

    /** A network whose output is {@code input -> body}; {@code lif} is a LIF neuron. */
    static SpikingIr of(String input, String body) {
        String text = "network N(T: int = 4) {\n  timesteps T\n"
                + "  neuron lif = LIF(leak: 0.9, threshold: 1.0, reset: subtract)\n"
                + "  input x: " + input + " encode poisson\n"
                + "  output y = x -> " + body + "\n}\n";
        Diagnostics d = new Diagnostics();
        return Frontend.compileText("test.snn", text, Map.of(), d)
                .orElseThrow(() -> new AssertionError(text + "\n" + d.sorted()));
    }
}
