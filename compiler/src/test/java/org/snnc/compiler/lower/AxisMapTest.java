package org.snnc.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.snnc.compiler.ir.LayerMath;
import org.snnc.compiler.mapping.AxisMap;

class AxisMapTest {

    @Test
    void convHaloCountsByHand() {
        // 3x3 conv, padding 1, on 12 positions: a 4-wide tile reads one more position on each side.
        AxisMap m = AxisMap.conv(12, 12, 3, 1, 1, 1);
        assertEquals(6, m.distinct(4, 8), "interior tile: 4 + 2 halo");
        assertEquals(5, m.distinct(0, 4), "border tile: the halo above falls in padding");
        assertEquals(5, m.distinct(8, 12));
        assertEquals(11, m.pairs(0, 4), "4 outputs x 3 taps, one in padding");
        assertEquals(LayerMath.validTaps(12, 12, 3, 1, 1, 1), m.pairs(0, 12));
    }

    @Test
    void dilatedAndStridedMatchLayerMath() {
        AxisMap m = AxisMap.conv(16, 16, 3, 1, 12, 12);
        assertEquals(2, m.maxSourcesPerOutput(), "dilation 12 on 16 positions: at most two taps inside");
        assertEquals(LayerMath.validTaps(16, 16, 3, 1, 12, 12), m.pairs(0, 16));
        AxisMap s = AxisMap.conv(9, 4, 3, 2, 0, 1);
        assertEquals(3, s.distinct(0, 1));
        assertEquals(5, s.distinct(0, 2), "outputs 0 and 1 of stride 2 share position 2");
    }

    @Test
    void pooledConvReadsTheSourcesUnderThePooledWindows() {
        // avgpool(3, stride 2, padding 1) 8 -> 4, then conv 3x3 padding 1: output 1 reads pooled
        // 0, 1, 2, i.e. source windows [-1,1], [1,3], [3,5] -> positions 0..5.
        AxisMap m = AxisMap.pooledConv(8, 4, 4, 3, 1, 1, 1, 3, 2, 1);
        assertEquals(6, m.distinct(1, 2));
        assertEquals(6, m.pairs(1, 2), "each source once, however many windows cover it");
        assertEquals(4, m.distinct(0, 1), "output 0 reads pooled 0 and 1: sources 0..3");
    }

    @Test
    void transposedInvertsTheScatter() {
        // tconv kernel 4, stride 2, padding 1: 8 -> 16; each output has exactly two sources inside
        // except at the borders.
        AxisMap m = AxisMap.transposed(8, 16, 4, 2, 1, 1);
        assertEquals(LayerMath.validTransposedTaps(8, 16, 4, 2, 1, 1), m.pairs(0, 16));
        assertEquals(1, m.distinct(0, 1));
        assertEquals(2, m.distinct(5, 6));
    }
}
