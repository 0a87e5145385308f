package org.snnc.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;

/**
 * Hand-computed traces of the integer neuron. The Loihi ones follow Lava's PyLifModelBitAcc line
 * by line (lava-nc/lava src/lava/proc/lif/models.py): u decays by (4096 - du_eff) >> 12 on the
 * magnitude, adds a << 6, wraps at 24 bits; v decays likewise, adds u, saturates; fires when
 * v > vth << 6; resets v to 0.
 */
class NeuronReferenceTest {

    /** Loihi numbers: du_eff 1024 (Lava du 1023 + ds_offset 1), dv 256, vth 10. */
    static NeuronParams loihi(int decayU, int decayV, int vth, ResetMode reset) {
        return new NeuronParams(24, Overflow.WRAP, 24, Overflow.SATURATE, LeakForm.MULTIPLICATIVE, 12, decayU, decayV, 0, vth, 6, 6,
                reset, false);
    }

    static void step(NeuronParams p, NeuronReference.State s, long a, long u, long v, boolean spike) {
        assertEquals(spike, NeuronReference.step(p, s, a), "spike");
        assertEquals(u, s.u, "u");
        assertEquals(v, s.v, "v");
    }

    @Test
    void loihiTraceOverSixSteps() {
        NeuronParams p = loihi(1024, 256, 10, ResetMode.ZERO);
        NeuronReference.State s = new NeuronReference.State(0, 0);
        // t1 a=3:  u = 0 + 3*64 = 192;                   v = 0 + 192 = 192 <= 640
        step(p, s, 3, 192, 192, false);
        // t2 a=5:  u = 192*3072>>12 = 144, + 320 = 464;  v = 192*3840>>12 = 180, + 464 = 644 > 640: spike, v = 0
        step(p, s, 5, 464, 0, true);
        // t3 a=0:  u = 464*3072>>12 = 348;               v = 0 + 348 = 348
        step(p, s, 0, 348, 348, false);
        // t4 a=-2: u = 348*3072>>12 = 261, - 128 = 133;  v = 348*3840>>12 = 326 (326.25), + 133 = 459
        step(p, s, -2, 133, 459, false);
        // t5 a=-20: u = 133*3072>>12 = 99 (99.75), - 1280 = -1181;  v = 459*3840>>12 = 430 (430.3), - 1181 = -751
        step(p, s, -20, -1181, -751, false);
        // t6 a=0:  u = -(1181*3072>>12) = -885 (-885.75 truncated toward 0, not floored to -886);
        //          v = -(751*3840>>12) = -704 (-704.06), - 885 = -1589
        step(p, s, 0, -885, -1589, false);
    }

    @Test
    void aRelayFloorsItsVoltageAtZeroAndKeepsTheSurplus() {
        // TrueNorth-like relay: no current, no leak, threshold 10, subtractive reset, v floored at 0.
        NeuronParams p = new NeuronParams(0, Overflow.WRAP, 20, Overflow.SATURATE, LeakForm.NONE, 0, 0, 0, 0, 10, 0, 0,
                ResetMode.SUBTRACT, false, true);
        NeuronReference.State s = new NeuronReference.State(0, 0);
        // a=-5: v = -5, floored to 0 (the negative charge is dropped, not owed)
        step(p, s, -5, 0, 0, false);
        // a=7: v = 7
        step(p, s, 7, 0, 7, false);
        // a=12: v = 19 > 10: spike, v = 9
        step(p, s, 12, 0, 9, true);
        // a=3: v = 12 > 10: spike, v = 2 (the surplus of the last step fires now)
        step(p, s, 3, 0, 2, true);
        // a=-4: v = -2, floored to 0
        step(p, s, -4, 0, 0, false);
        // Without the floor the same input would leave v at -2.
        NeuronParams open = new NeuronParams(0, Overflow.WRAP, 20, Overflow.SATURATE, LeakForm.NONE, 0, 0, 0, 0, 10, 0, 0,
                ResetMode.SUBTRACT, false, false);
        NeuronReference.State t = new NeuronReference.State(0, 2);
        step(open, t, -4, 0, -2, false);
    }

    @Test
    void softResetKeepsTheSurplus() {
        NeuronParams p = loihi(4096, 0, 10, ResetMode.SUBTRACT);
        NeuronReference.State s = new NeuronReference.State(0, 0);
        // du_eff 4096: u is this step's input. a=12: u = 768; v = 768 > 640: spike, v = 768 - 640 = 128
        step(p, s, 12, 768, 128, true);
        // a=8: u = 512; v = 128 + 512 = 640, not > 640
        step(p, s, 8, 512, 640, false);
        // a=0: u = 0; v = 640 (no leak: dv = 0)
        step(p, s, 0, 0, 640, false);
    }

    @Test
    void currentWrapsAsLavaDoesAndVoltageSaturates() {
        // Non-spiking, so the saturated voltage (above even the largest vth << 6 = 8388544) stays visible.
        NeuronParams p = new NeuronParams(24, Overflow.WRAP, 24, Overflow.SATURATE, LeakForm.MULTIPLICATIVE, 12, 4096, 0, 0, 131071, 6, 6,
                ResetMode.ZERO, true);
        NeuronReference.State s = new NeuronReference.State(0, 0);
        // a = 2^17: u = 2^23 exactly, which Lava keeps (it wraps only above 2^23); v saturates at 2^23 - 1.
        step(p, s, 1 << 17, 1 << 23, (1 << 23) - 1, false);
        // a = 2^17 + 1: u = 2^23 + 64 -> 2^23 + 64 - 2^24 = -2^23 + 64;  v = 2^23 - 1 - 2^23 + 64 = 63
        step(p, s, (1 << 17) + 1, -(1 << 23) + 64, 63, false);
        // a = -2^17: u = -2^23, at or below -2^23 -> + 2^24 = +2^23 (Lava's rule; two's complement would keep -2^23);
        //           v = 63 + 2^23 saturates at 2^23 - 1
        step(p, s, -(1 << 17), 1 << 23, (1 << 23) - 1, false);
        assertEquals(-(1L << 23) + 5, NeuronReference.overflow((1L << 23) + 5 + (3L << 24), 24, Overflow.WRAP), "several wraps");
        assertEquals(-((1L << 23) - 1), NeuronReference.overflow(-(1L << 30), 24, Overflow.SATURATE));
    }

    @Test
    void linearLeakMovesTowardZeroWithoutCrossing() {
        // TrueNorth-like: no current, input straight into v, leak 3 toward 0, threshold 10 unshifted.
        NeuronParams p = new NeuronParams(0, Overflow.WRAP, 20, Overflow.SATURATE, LeakForm.LINEAR, 0, 0, 0, 3, 10, 0, 0,
                ResetMode.ZERO, false);
        NeuronReference.State s = new NeuronReference.State(0, 0);
        step(p, s, 4, 0, 4, false);    // 0 -> 0, + 4 = 4
        step(p, s, 0, 0, 1, false);    // 4 - 3 = 1
        step(p, s, 0, 0, 0, false);    // 1 -> 0, not -2
        step(p, s, -2, 0, -2, false);  // 0, - 2 = -2
        step(p, s, 0, 0, 0, false);    // -2 -> 0, not +1
        step(p, s, 12, 0, 0, true);    // 12 > 10: spike, v = 0
    }

    @Test
    void integratorNeverFiresAndKeepsItsSum() {
        NeuronParams p = new NeuronParams(24, Overflow.WRAP, 24, Overflow.SATURATE, LeakForm.MULTIPLICATIVE, 12, 4096, 0, 0, 0, 6, 6,
                ResetMode.ZERO, true);
        NeuronReference.State s = new NeuronReference.State(0, 0);
        step(p, s, 100, 6400, 6400, false);
        step(p, s, -30, -1920, 4480, false);
        step(p, s, 0, 0, 4480, false);
    }
}
