package org.snnc.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void iouByHandWithAnAbsentClassAndIgnoredPixels() {
        // 4 classes; class 3 never occurs in truth nor prediction. Pixels (truth, prediction):
        // (0,0) (0,0) (0,1) (1,1) (1,1) (1,0) (2,2) (2,1) and two ignored (255) predicted 2.
        // class 0: TP 2, FP 1 (1->0), FN 1 (0->1)  -> 2/4
        // class 1: TP 2, FP 2 (0->1, 2->1), FN 1   -> 2/5
        // class 2: TP 1, FP 0, FN 1                -> 1/2
        // mIoU = (0.5 + 0.4 + 0.5) / 3; accuracy 5/8.
        ConfusionMatrix cm = new ConfusionMatrix(4);
        int[] labels = {0, 0, 0, 1, 1, 1, 2, 2, 255, 255};
        int[] predicted = {0, 0, 1, 1, 1, 0, 2, 1, 2, 2};
        // As scores [1][4][1][10] whose arg-max is the prediction.
        float[] scores = new float[4 * 10];
        for (int q = 0; q < 10; q++) {
            scores[predicted[q] * 10 + q] = 1f;
        }
        cm.addArgmax(scores, labels, 1, 1, 10);
        double[] iou = cm.perClassIou();
        assertEquals(0.5, iou[0], 1e-12);
        assertEquals(0.4, iou[1], 1e-12);
        assertEquals(0.5, iou[2], 1e-12);
        assertTrue(Double.isNaN(iou[3]));
        assertEquals(1.4 / 3, cm.meanIou(), 1e-12);
        assertEquals(5.0 / 8, cm.pixelAccuracy(), 1e-12);
        assertEquals(1, cm.count(2, 1));
    }

    @Test
    void allBackgroundPredictionScoresOnlyTheBackground() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        for (int i = 0; i < 6; i++) cm.add(0, 0);
        for (int i = 0; i < 2; i++) cm.add(1, 0);
        for (int i = 0; i < 2; i++) cm.add(2, 0);
        // background IoU 6/10, classes 1 and 2 IoU 0: mIoU 0.2.
        assertEquals(0.2, cm.meanIou(), 1e-12);
        assertEquals(0.6, cm.pixelAccuracy(), 1e-12);
    }

    @Test
    void spikeRateIsSpikesOverNeuronsPerSampleSummedOverSteps() {
        SpikeRates r = new SpikeRates(List.of("lif1", "lif2"), new long[] {10, 4});
        // batch of 2: lif1 fired 30 times over all steps (1.5 per neuron per sample), lif2 never.
        r.add(new long[] {30, 0}, 2);
        r.add(new long[] {10, 8}, 2);
        Map<String, Double> rates = r.rates();
        assertEquals(List.of("lif1", "lif2"), List.copyOf(rates.keySet()));
        assertEquals(40.0 / 10 / 4, rates.get("lif1"), 1e-12);
        assertEquals(8.0 / 4 / 4, rates.get("lif2"), 1e-12);
    }
}
